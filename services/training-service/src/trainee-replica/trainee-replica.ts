import { Inject, Injectable } from '@nestjs/common';
import { Database } from '@skills/event-sourcing';
import { RUNTIME_CONFIG, RuntimeConfig, waitUntil } from '@skills/service-runtime';

/** The trainees this context knows of; a fresh id is waited for (REPLICA_WAIT_MS), see `waitUntil`. */
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
    return (await waitUntil(async () => ((await this.isKnown(traineeId)) ? true : undefined), this.config.replicaWaitMs)) === true;
  }
}
