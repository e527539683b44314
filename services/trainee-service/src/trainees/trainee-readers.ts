import { Injectable } from '@nestjs/common';
import type { Caller } from '@skills/contracts';
import { UnknownEntity } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { PoolClient } from 'pg';
import { mayRead } from './may-read';

/** Records that an organisation is related to a trainee, in the caller's transaction; once is enough. */
export async function relate(tx: PoolClient, traineeId: string, organisationId: string): Promise<void> {
  await tx.query('INSERT INTO trainee_relations (trainee_id, organisation_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [traineeId, organisationId]);
}

/** Applies `mayRead` to a trainee's reads with the organisations related to them (trainee_relations). */
@Injectable()
export class TraineeReaders {
  constructor(private readonly database: Database) {}

  async relatedOrganisations(traineeId: string): Promise<string[]> {
    const { rows } = await this.database.query<{ organisation_id: string }>('SELECT organisation_id FROM trainee_relations WHERE trainee_id = $1', [traineeId]);
    return rows.map((row) => row.organisation_id);
  }

  /** A caller who may not read the trainee is answered 404, as for a trainee that does not exist. */
  async assertMayRead(caller: Caller, traineeId: string): Promise<void> {
    const related = caller.role === 'platform_admin' || caller.role === 'trainee' ? [] : await this.relatedOrganisations(traineeId);
    if (!mayRead(caller, traineeId, related)) throw new UnknownEntity('trainee', traineeId);
  }
}
