import { recordingOf } from '@skills/contracts';
import type { CertificationIntegrationEvent, IntegrationEnvelope } from '@skills/contracts';
import { PoolClient } from 'pg';

/**
 * A recording of a certificate's number as it bears on its evaluator's relation to the worker: certified
 * (LevelCertified) or voided (CertificateVoided, as if it had never been recorded).
 */
export interface CertificateRelation {
  traineeId: string;
  organisationId: string;
  certificateNumber: string;
  recording: number;
  voided: boolean;
  /** Of a void: whether the evaluator issued the worker another certificate still recorded (CertificateVoidedV1.evaluatorHoldsOthers). */
  evaluatorHoldsOthers?: boolean;
}

/** The certificate recording a certification fact certifies or voids, if it is one of those. */
export function certificateRelationOf(message: IntegrationEnvelope): CertificateRelation | undefined {
  const fact = message as CertificationIntegrationEvent;
  switch (fact?.type) {
    case 'LevelCertified':
    case 'CertificateVoided': {
      const { traineeId, evaluatorId, certificateNumber } = fact.payload;
      const relation = { traineeId, organisationId: evaluatorId, certificateNumber, recording: recordingOf(fact.payload) };
      return fact.type === 'CertificateVoided' ? { ...relation, voided: true, evaluatorHoldsOthers: fact.payload.evaluatorHoldsOthers } : { ...relation, voided: false };
    }
    default:
      return undefined;
  }
}

/**
 * Keeps the recordings, then each evaluator's relation to a worker holding a recording of these numbers as
 * they say: related while one relates them, the relation taken back once none does, unless it rests on
 * another kind of fact too. One made before recordings were kept (by_certificates_alone unknown) rests on
 * certificates this table does not hold: a void takes it back when its evaluator holds no other certificate
 * of the worker (the void says so: evaluatorHoldsOthers), no fact but a certificate naming an evaluator. Judged
 * from the recordings kept, not from the order the messages came in: a void before its LevelCertified (a
 * letter retried) leaves the recording voided, and a recording of a number of which a later one is kept
 * (for this worker or another) relates nobody, the number being recorded again only once that one was voided.
 */
export async function recordCertificateRelations(tx: PoolClient, relations: CertificateRelation[]): Promise<void> {
  if (relations.length === 0) return;
  if (!relations.some((each) => each.voided)) return recordCertified(tx, relations);
  const column = columnsOf(relations);
  await tx.query(
    `INSERT INTO trainee_certificate_relations (trainee_id, organisation_id, certificate_number, recording, voided)
     SELECT DISTINCT ON (trainee_id, organisation_id, certificate_number, recording) *
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::boolean[]) AS c(trainee_id, organisation_id, certificate_number, recording, voided)
      ORDER BY trainee_id, organisation_id, certificate_number, recording, voided DESC
     ON CONFLICT (trainee_id, organisation_id, certificate_number, recording) DO UPDATE SET voided = true
      WHERE excluded.voided AND NOT trainee_certificate_relations.voided`,
    [column((each) => each.traineeId), column((each) => each.organisationId), column((each) => each.certificateNumber), column((each) => each.recording), column((each) => each.voided)],
  );
  // Voids of the last certificate their evaluator issued the worker, by the certification service's count.
  const lastOfTheirs = relations.filter((each) => each.voided && each.evaluatorHoldsOthers === false);
  // The insert and the delete touch apart the pairs still certified and those no longer.
  await tx.query(
    `WITH pairs AS (
       SELECT DISTINCT trainee_id, organisation_id FROM trainee_certificate_relations WHERE certificate_number = ANY($1::text[])
     ), standing AS (
       SELECT pair.trainee_id, pair.organisation_id, ${certifiedSql('pair')} AS certified
         FROM pairs pair
     ), related AS (
       INSERT INTO trainee_relations (trainee_id, organisation_id, by_certificates_alone, facts_kept)
       SELECT trainee_id, organisation_id, true, true FROM standing WHERE certified
       ON CONFLICT DO NOTHING
     )
     DELETE FROM trainee_relations relation USING standing
      WHERE relation.trainee_id = standing.trainee_id AND relation.organisation_id = standing.organisation_id
        AND NOT standing.certified
        AND (relation.by_certificates_alone
             OR (relation.by_certificates_alone IS NULL AND (relation.trainee_id, relation.organisation_id) IN (SELECT * FROM unnest($2::uuid[], $3::text[]))))`,
    [[...new Set(column((each) => each.certificateNumber))], lastOfTheirs.map((each) => each.traineeId), lastOfTheirs.map((each) => each.organisationId)],
  );
}

/**
 * A chunk of certifications alone (every import's, nearly every chunk), in one statement: its recordings
 * kept, and each worker related to the evaluator by a recording neither voided (its void came first) nor
 * superseded by a later recording of the number. No relation is taken back without a void: one a later
 * recording for another worker leaves resting on nothing goes when the void of its own recording comes,
 * which the later recording says is on its way.
 */
async function recordCertified(tx: PoolClient, certified: CertificateRelation[]): Promise<void> {
  const column = columnsOf(certified);
  await tx.query(
    `WITH recorded AS (
       INSERT INTO trainee_certificate_relations (trainee_id, organisation_id, certificate_number, recording, voided)
       SELECT DISTINCT trainee_id, organisation_id, certificate_number, recording, false
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[]) AS c(trainee_id, organisation_id, certificate_number, recording)
       ON CONFLICT (trainee_id, organisation_id, certificate_number, recording) DO NOTHING
     )
     INSERT INTO trainee_relations (trainee_id, organisation_id, by_certificates_alone, facts_kept)
     SELECT DISTINCT c.trainee_id, c.organisation_id, true, true
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[]) AS c(trainee_id, organisation_id, certificate_number, recording)
      WHERE NOT EXISTS (SELECT 1 FROM trainee_certificate_relations kept
                         WHERE kept.certificate_number = c.certificate_number AND (kept.recording > c.recording OR (kept.recording = c.recording AND kept.voided)))
     ON CONFLICT (trainee_id, organisation_id) DO NOTHING`,
    [column((each) => each.traineeId), column((each) => each.organisationId), column((each) => each.certificateNumber), column((each) => each.recording)],
  );
}

/**
 * SQL: whether a recording kept relates the evaluator to the worker of `pair` (an alias with trainee_id and
 * organisation_id), neither voided nor superseded by a later recording of its number.
 */
export const certifiedSql = (pair: string): string =>
  `EXISTS (SELECT 1 FROM trainee_certificate_relations held
            WHERE held.trainee_id = ${pair}.trainee_id AND held.organisation_id = ${pair}.organisation_id AND NOT held.voided
              AND NOT EXISTS (SELECT 1 FROM trainee_certificate_relations later
                               WHERE later.certificate_number = held.certificate_number AND later.recording > held.recording))`;

/** One field of each relation, as a statement's array parameter. */
const columnsOf =
  (relations: CertificateRelation[]) =>
  <T>(of: (relation: CertificateRelation) => T): T[] =>
    relations.map(of);
