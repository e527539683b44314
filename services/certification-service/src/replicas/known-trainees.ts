import { Inject, Injectable } from '@nestjs/common';
import { Database } from '@skills/event-sourcing';
import { RUNTIME_CONFIG, RuntimeConfig, waitUntil } from '@skills/service-runtime';

export interface KnownTrainee {
  regionCode: string;
  /** null once the trainee's personal data was erased. */
  nameMasked: string | null;
}

/** The trainees certification knows of; a fresh id is waited for (read-your-writes across services). */
@Injectable()
export class KnownTrainees {
  constructor(
    private readonly database: Database,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  async find(traineeId: string): Promise<KnownTrainee | undefined> {
    const { rows } = await this.database.query<{ region_code: string; name_masked: string | null }>('SELECT region_code, name_masked FROM known_trainees WHERE trainee_id = $1', [traineeId]);
    return rows[0] && { regionCode: rows[0].region_code, nameMasked: rows[0].name_masked };
  }

  waitFor(traineeId: string): Promise<KnownTrainee | undefined> {
    return waitUntil(() => this.find(traineeId), this.config.replicaWaitMs);
  }
}
