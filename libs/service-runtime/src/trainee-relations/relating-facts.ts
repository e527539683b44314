import { Statement } from '@skills/postgres';
import { PoolClient } from 'pg';
import { certifiedSql } from './certificate-relations';

/** An enrolment (by the course's provider) or a hire (by the employer), by its id. */
export interface RelatingFact {
  kind: 'enrollment' | 'employment';
  id: string;
}

/** An organisation related to a trainee by a fact other than a certificate (relatedOrganisationOf). */
export interface TraineeRelation {
  traineeId: string;
  organisationId: string;
  /** The enrolment or hire relating them; absent for the registration (the trainee's one, by this organisation). */
  by?: RelatingFact;
  /** Never: a void is a TraineeRelationVoided, which relateStatement does not take. */
  voided?: false;
}

/** An enrolment or hire voided (EnrollmentVoided, EmploymentVoided): as if it had never related the pair. */
export interface TraineeRelationVoided {
  traineeId: string;
  organisationId: string;
  by: RelatingFact;
  voided: true;
}

/**
 * Records the facts other than certificates that relate organisations to trainees, or void one, in the
 * caller's transaction; once is enough. A chunk without a void (every import's) in one statement
 * (relateStatement); the voids after the facts, a void being for good whatever came before it.
 */
export async function relateAll(tx: PoolClient, relations: Array<TraineeRelation | TraineeRelationVoided>): Promise<void> {
  const relating = relations.filter((relation): relation is TraineeRelation => !relation.voided);
  const voided = relations.filter((relation): relation is TraineeRelationVoided => relation.voided === true);
  if (relating.length > 0) {
    const { text, values } = relateStatement(relating);
    await tx.query(text, values);
  }
  if (voided.length > 0) await takeBackVoided(tx, voided);
}

/**
 * The same as a statement, to send with a command's last ones (a registration's side writes): the facts
 * kept, and each pair related by a fact this statement kept, so by none voided before (its void came first:
 * a letter retried). One already kept related its pair when it was; one whose void is committing now is
 * waited for by the insert, which then keeps nothing and relates nobody (a NOT EXISTS on the voids would read
 * the snapshot of before that void, and relate the pair for good). A relation that rested on certificates
 * alone rests on more now: their void no longer takes it back. A relation made before facts were kept
 * (facts_kept false) stays so: the facts that made it are unknown still.
 */
export function relateStatement(relations: TraineeRelation[]): Statement {
  return {
    text: `WITH kept AS (
             INSERT INTO trainee_relating_facts (trainee_id, organisation_id, kind, fact_id)
             SELECT DISTINCT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])
             ON CONFLICT (trainee_id, organisation_id, kind, fact_id) DO NOTHING
             RETURNING trainee_id, organisation_id
           )
           INSERT INTO trainee_relations (trainee_id, organisation_id, by_certificates_alone, facts_kept)
           SELECT DISTINCT trainee_id, organisation_id, false, true FROM kept
           ON CONFLICT (trainee_id, organisation_id) DO UPDATE SET by_certificates_alone = false WHERE trainee_relations.by_certificates_alone IS DISTINCT FROM false`,
    values: factColumns(relations),
  };
}

/**
 * Keeps the voids (a fact delivered after its void relates nobody), then takes back each relation of their
 * pairs that no fact relates any more: neither another enrolment or hire by that organisation nor its
 * registration of the trainee still stands. One a standing certificate recording relates rests on
 * certificates alone from then on (their void takes it back). One made before facts were kept stays.
 */
async function takeBackVoided(tx: PoolClient, voids: TraineeRelationVoided[]): Promise<void> {
  const values = factColumns(voids);
  // A fact relating one of these pairs, committing now, locks its relation: waiting for it here, the
  // next statement's snapshot sees that fact, and does not take back the relation it keeps.
  await tx.query(
    `SELECT 1 FROM trainee_relations
      WHERE (trainee_id, organisation_id) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))
      ORDER BY trainee_id, organisation_id
        FOR UPDATE`,
    values.slice(0, 2),
  );
  await tx.query(
    `INSERT INTO trainee_relating_facts (trainee_id, organisation_id, kind, fact_id, voided)
     SELECT DISTINCT *, true FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])
     ON CONFLICT (trainee_id, organisation_id, kind, fact_id) DO UPDATE SET voided = true WHERE NOT trainee_relating_facts.voided`,
    values,
  );
  // The update and the delete touch apart the pairs still certified and those no longer.
  await tx.query(
    `WITH unrelated AS (
       SELECT pair.trainee_id, pair.organisation_id, ${certifiedSql('pair')} AS certified
         FROM (SELECT DISTINCT * FROM unnest($1::uuid[], $2::text[]) AS p(trainee_id, organisation_id)) pair
         JOIN trainee_relations relation USING (trainee_id, organisation_id)
        WHERE relation.facts_kept
          AND NOT EXISTS (SELECT 1 FROM trainee_relating_facts fact
                           WHERE fact.trainee_id = pair.trainee_id AND fact.organisation_id = pair.organisation_id AND NOT fact.voided)
     ), by_certificates AS (
       UPDATE trainee_relations relation SET by_certificates_alone = true FROM unrelated
        WHERE relation.trainee_id = unrelated.trainee_id AND relation.organisation_id = unrelated.organisation_id AND unrelated.certified
     )
     DELETE FROM trainee_relations relation USING unrelated
      WHERE relation.trainee_id = unrelated.trainee_id AND relation.organisation_id = unrelated.organisation_id AND NOT unrelated.certified`,
    values.slice(0, 2),
  );
}

/** The facts as a statement's array parameters: trainee, organisation, kind, id (a registration's is its trainee's). */
function factColumns(relations: Array<TraineeRelation | TraineeRelationVoided>): [string[], string[], string[], string[]] {
  return [
    relations.map((relation) => relation.traineeId),
    relations.map((relation) => relation.organisationId),
    relations.map((relation) => relation.by?.kind ?? 'registration'),
    relations.map((relation) => relation.by?.id ?? relation.traineeId),
  ];
}
