import { Inject, Injectable } from '@nestjs/common';
import { Database } from '@skills/event-sourcing';
import { RUNTIME_CONFIG, RuntimeConfig } from '@skills/service-runtime';

/**
 * Read-your-writes across services: a client that just got 201 from trainee-service may enrol the
 * trainee at once, before the integration event has arrived here. An unknown id is therefore
 * waited for (REPLICA_WAIT_MS) before it is called unknown.
 */
@Injectable()
export class TraineeReplica {
  constructor(
    private readonly database: Database,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  async isKnown(traineeId: string): Promise<boolean> {
    const { rowCount } = await this.database.query('SELECT 1 FROM known_trainees WHERE trainee_id = $1', [traineeId]);
    return (rowCount ?? 0) > 0;
  }

  async waitUntilKnown(traineeId: string): Promise<boolean> {
    const deadline = Date.now() + this.config.replicaWaitMs;
    for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
      if (await this.isKnown(traineeId)) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
