import { Injectable } from '@nestjs/common';
import type { CertificationIntegrationEvent, IntegrationEnvelope, PlacementIntegrationEvent, TraineeIntegrationEvent, TrainingIntegrationEvent } from '@skills/contracts';
import { UnknownEntity } from '@skills/domain-kernel';
import { Database, Statement } from '@skills/postgres';
import { PoolClient } from 'pg';
import { mayRead, Reader } from './may-read';

/**
 * The organisation a fact relates to the trainee (domain.md section 9): the one that registered them,
 * the provider that enrolled them, the evaluator that certified them, the employer that hired them.
 */
export function relatedOrganisationOf(message: IntegrationEnvelope): TraineeRelation | undefined {
  const fact = message as TraineeIntegrationEvent | TrainingIntegrationEvent | CertificationIntegrationEvent | PlacementIntegrationEvent;
  switch (fact.type) {
    case 'TraineeRegistered':
      // A platform admin registers for no organisation.
      return fact.payload.registeredBy ? { traineeId: fact.payload.traineeId, organisationId: fact.payload.registeredBy } : undefined;
    case 'TraineeEnrolled':
      return { traineeId: fact.payload.traineeId, organisationId: fact.payload.course.providerId };
    case 'LevelCertified':
      return { traineeId: fact.payload.traineeId, organisationId: fact.payload.evaluatorId };
    case 'TraineeHired':
      return { traineeId: fact.payload.traineeId, organisationId: fact.payload.employerId };
    default:
      return undefined;
  }
}

/** An organisation related to a trainee (relatedOrganisationOf). */
export interface TraineeRelation {
  traineeId: string;
  organisationId: string;
}

/** Records that organisations are related to trainees, in the caller's transaction, in one statement; once is enough. */
export async function relateAll(tx: PoolClient, relations: TraineeRelation[]): Promise<void> {
  if (relations.length === 0) return;
  const { text, values } = relateStatement(relations);
  await tx.query(text, values);
}

/** The same as a statement, to send with a command's last ones (a registration's side writes). */
export function relateStatement(relations: TraineeRelation[]): Statement {
  return {
    text: 'INSERT INTO trainee_relations (trainee_id, organisation_id) SELECT * FROM unnest($1::uuid[], $2::text[]) ON CONFLICT DO NOTHING',
    values: [relations.map((relation) => relation.traineeId), relations.map((relation) => relation.organisationId)],
  };
}

/**
 * Applies `mayRead` to a service's reads of a trainee with the organisations related to them
 * (`trainee_relations`, kept by TraineeRelationsConsumer and by trainee-service's registration).
 */
@Injectable()
export class TraineeRelations {
  constructor(private readonly database: Database) {}

  async relatedOrganisations(traineeId: string): Promise<string[]> {
    const { rows } = await this.database.query<{ organisation_id: string }>('SELECT organisation_id FROM trainee_relations WHERE trainee_id = $1', [traineeId]);
    return rows.map((row) => row.organisation_id);
  }

  /**
   * A caller who may not read the trainee is answered 404, as for a trainee that does not exist.
   * `alsoRelated`: organisations the service's own records relate to the trainee before the message
   * that relates them here has come back (e.g. the evaluator of a certificate just issued).
   */
  async assertMayRead(caller: Reader, traineeId: string, alsoRelated: readonly string[] = []): Promise<void> {
    const related = caller.role === 'platform_admin' || caller.role === 'trainee' ? [] : [...alsoRelated, ...(await this.relatedOrganisations(traineeId))];
    if (!mayRead(caller, traineeId, related)) throw new UnknownEntity('trainee', traineeId);
  }
}
