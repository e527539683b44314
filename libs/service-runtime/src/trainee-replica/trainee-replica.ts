import { Inject, Injectable } from '@nestjs/common';
import { Database } from '@skills/postgres';
import { RuntimeConfig } from '../runtime-config';
import { RUNTIME_CONFIG } from '../tokens';
import { waitUntil } from '../wait-until';

export interface KnownTrainee {
  traineeId: string;
  regionCode: string | null;
  /** null once the trainee's personal data was erased. */
  nameMasked: string | null;
  registeredOn: string | null;
}

/**
 * The trainees a service knows of from trainee-service's topic (`known_trainees`, kept by
 * TraineeReplicaConsumer): the one replica of trainees that training, certification and placement share.
 * A fresh id is waited for (REPLICA_WAIT_MS): a client that just registered a trainee may use the id at once.
 */
@Injectable()
export class TraineeReplica {
  constructor(
    private readonly database: Database,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  async find(traineeId: string): Promise<KnownTrainee | undefined> {
    const { rows } = await this.database.query<KnownTrainee>(
      `SELECT trainee_id AS "traineeId", region_code AS "regionCode", name_masked AS "nameMasked", to_char(registered_on, 'YYYY-MM-DD') AS "registeredOn"
       FROM known_trainees WHERE trainee_id = $1`,
      [traineeId],
    );
    return rows[0];
  }

  waitFor(traineeId: string): Promise<KnownTrainee | undefined> {
    return waitUntil(() => this.find(traineeId), this.config.replicaWaitMs);
  }
}
