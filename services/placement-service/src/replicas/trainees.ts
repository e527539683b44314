import { Inject, Injectable } from '@nestjs/common';
import { SkillLevel } from '@skills/domain-kernel';
import { Database } from '@skills/event-sourcing';
import { RUNTIME_CONFIG, RuntimeConfig, waitUntil } from '@skills/service-runtime';

/** What placement knows of trainees from other contexts: that they exist, and their levels. */
@Injectable()
export class TraineeFacts {
  constructor(
    private readonly database: Database,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  /** Waits for a fresh id (read-your-writes across services, REPLICA_WAIT_MS). */
  async waitUntilKnown(traineeId: string): Promise<boolean> {
    const known = async () => ((await this.database.query('SELECT 1 FROM known_trainees WHERE trainee_id = $1', [traineeId])).rowCount ? true : undefined);
    return (await waitUntil(known, this.config.replicaWaitMs)) === true;
  }

  async levelIn(traineeId: string, occupationCode: string): Promise<SkillLevel | null> {
    const { rows } = await this.database.query<{ level: SkillLevel | null }>('SELECT level FROM trainee_levels WHERE trainee_id = $1 AND occupation_code = $2', [traineeId, occupationCode]);
    return rows[0]?.level ?? null;
  }
}
