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

/** A pair a void left related by nothing (TraineeUnrelatedV1): the enrolments and hires that related it, every one voided. */
export interface TraineeUnrelated {
  traineeId: string;
  organisationId: string;
  voidedFacts: RelatingFact[];
}

/**
 * Records the facts other than certificates that relate organisations to trainees, or void one, in the
 * caller's transaction; once is enough. A chunk without a void (every import's) in one statement
 * (relateStatement); the voids after the facts, a void being for good whatever came before it. Answers the
 * pairs the voids took back (none on a void applied again: its pair went the first time).
 */
export async function relateAll(tx: PoolClient, relations: Array<TraineeRelation | TraineeRelationVoided>): Promise<TraineeUnrelated[]> {
  const relating = relations.filter((relation): relation is TraineeRelation => !relation.voided);
  const voided = relations.filter((relation): relation is TraineeRelationVoided => relation.voided === true);
  if (relating.length > 0) {
    const { text, values } = relateStatement(relating);
    await tx.query(text, values);
  }
  return voided.length > 0 ? takeBackVoided(tx, voided) : [];
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
async function takeBackVoided(tx: PoolClient, voids: TraineeRelationVoided[]): Promise<TraineeUnrelated[]> {
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
  const { rows } = await tx.query<{ trainee_id: string; organisation_id: string; voided_facts: RelatingFact[] }>(
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
      WHERE relation.trainee_id = unrelated.trainee_id AND relation.organisation_id = unrelated.organisation_id AND NOT unrelated.certified
      RETURNING relation.trainee_id, relation.organisation_id,
                (SELECT coalesce(json_agg(json_build_object('kind', fact.kind, 'id', fact.fact_id) ORDER BY fact.kind, fact.fact_id), '[]')
                   FROM trainee_relating_facts fact
                  WHERE fact.trainee_id = relation.trainee_id AND fact.organisation_id = relation.organisation_id AND fact.kind <> 'registration') AS voided_facts`,
    values.slice(0, 2),
  );
  return rows.map((row) => ({ traineeId: row.trainee_id, organisationId: row.organisation_id, voidedFacts: row.voided_facts }));
}

/**
 * Takes back, on the word of the service that knows all their facts (TraineeUnrelatedV1), the relations
 * made before facts were kept here (facts_kept false) that its void left related by nothing. The voided
 * facts it names are kept as voids first, as their own voids would keep them (they may come later, on
 * another topic): a fact named delivered afterwards relates nobody. A pair related by a fact kept here and
 * standing (an enrolment or hire since, whichever message came first; the registration) or by a standing
 * certificate recording keeps its relation; a pair whose facts are kept here (facts_kept) is judged by its
 * own voids, as ever. Once is enough: applied again, it finds the pair gone or related since.
 */
export async function takeBackUnrelated(tx: PoolClient, unrelated: TraineeUnrelated[]): Promise<void> {
  if (unrelated.length === 0) return;
  const pairs = [unrelated.map((each) => each.traineeId), unrelated.map((each) => each.organisationId)];
  // As takeBackVoided: a fact relating one of these pairs, committing now, is waited for and then seen.
  await tx.query(
    `SELECT 1 FROM trainee_relations
      WHERE (trainee_id, organisation_id) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))
      ORDER BY trainee_id, organisation_id
        FOR UPDATE`,
    pairs,
  );
  const voided = unrelated.flatMap(({ traineeId, organisationId, voidedFacts }) =>
    voidedFacts.map((by): TraineeRelationVoided => ({ traineeId, organisationId, by, voided: true })),
  );
  if (voided.length > 0) {
    await tx.query(
      `INSERT INTO trainee_relating_facts (trainee_id, organisation_id, kind, fact_id, voided)
       SELECT DISTINCT *, true FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])
       ON CONFLICT (trainee_id, organisation_id, kind, fact_id) DO UPDATE SET voided = true WHERE NOT trainee_relating_facts.voided`,
      factColumns(voided),
    );
  }
  await tx.query(
    `DELETE FROM trainee_relations relation
      USING (SELECT DISTINCT * FROM unnest($1::uuid[], $2::text[]) AS p(trainee_id, organisation_id)) pair
      WHERE relation.trainee_id = pair.trainee_id AND relation.organisation_id = pair.organisation_id
        AND NOT relation.facts_kept
        AND NOT EXISTS (SELECT 1 FROM trainee_relating_facts fact
                         WHERE fact.trainee_id = pair.trainee_id AND fact.organisation_id = pair.organisation_id AND NOT fact.voided)
        AND NOT ${certifiedSql('pair')}`,
    pairs,
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
