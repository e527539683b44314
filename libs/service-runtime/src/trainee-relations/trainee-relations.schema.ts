import { sqlMigration } from '@skills/postgres';

/**
 * The organisations related to a trainee (domain.md section 9): the one that registered them, and every
 * provider that enrolled, evaluator that certified and employer that hired them, as their facts arrive.
 * Staff of these organisations may read the trainee in full, their archive and their ladder.
 *
 * This is trainee-service's own `TraineeRelations` migration, moved here unchanged in name and
 * timestamp: a trainee-service database that already ran it records it as done and does not run it
 * again, while every other service that lists it creates the table. IF NOT EXISTS only makes that
 * safe should a table of that name exist anyway.
 */
export const TraineeRelationsSchema = sqlMigration(
  'TraineeRelations',
  1733200000001,
  `CREATE TABLE IF NOT EXISTS trainee_relations (
     trainee_id uuid NOT NULL,
     organisation_id text NOT NULL,
     PRIMARY KEY (trainee_id, organisation_id)
   )`,
  'DROP TABLE trainee_relations',
);

/**
 * An evaluator is related to a worker by its certificates alone, and a certificate recorded in error and
 * voided (CertificateVoided) must take back the relation it alone made:
 * - `trainee_certificate_relations`: the recordings of certificate numbers that relate an evaluator to a
 *   trainee, a voided one kept as such (`voided`), so that its LevelCertified delivered later (a letter
 *   retried) relates nobody;
 * - `trainee_relations.by_certificates_alone`: true while the relation rests on those recordings alone, so
 *   the last of them voided takes it back; false once another kind of fact made it too. Unknown (NULL) for the
 *   relations made before: such a relation to an evaluator rests on certificates that were not kept here, and
 *   goes when a void says its evaluator issued the worker no other (CertificateVoidedV1.evaluatorHoldsOthers).
 */
export const TraineeRelationsByCertificates = sqlMigration(
  'TraineeRelationsByCertificates',
  1766400000401,
  `ALTER TABLE trainee_relations ADD COLUMN by_certificates_alone boolean;
   CREATE TABLE trainee_certificate_relations (
     trainee_id uuid NOT NULL,
     organisation_id text NOT NULL,
     certificate_number text NOT NULL,
     recording integer NOT NULL,
     voided boolean NOT NULL DEFAULT false,
     PRIMARY KEY (trainee_id, organisation_id, certificate_number, recording)
   );
   CREATE INDEX trainee_certificate_relations_by_number ON trainee_certificate_relations (certificate_number, recording)`,
  `DROP TABLE trainee_certificate_relations;
   ALTER TABLE trainee_relations DROP COLUMN by_certificates_alone`,
);

/**
 * A provider is related to a trainee by an enrolment and an employer by a hire, and an enrolment or a hire
 * recorded in error and voided (EnrollmentVoided, EmploymentVoided) must take back the relation it made,
 * unless another fact relates the pair still:
 * - `trainee_relating_facts`: the facts other than certificates that relate an organisation to a trainee
 *   (the registration, each enrolment, each hire), a voided one kept as such (`voided`), so that its fact
 *   delivered later (a letter retried) relates nobody;
 * - `trainee_relations.facts_kept`: every fact relating the pair is kept here or in
 *   trainee_certificate_relations, so a void judges the relation from them. False for the relations made
 *   before: their facts were not kept (a registration, enrolment or hire may relate the pair unseen), so a
 *   hire's or enrolment's void leaves them as they are, and the certificate rules for them stay as they
 *   were. A relation resting on certificates alone (by_certificates_alone) rests on recordings kept since
 *   TraineeRelationsByCertificates: its facts are known. False by default too, for a row written without
 *   saying (by a build before this one, during a rolling deploy): kept, rather than taken back on a guess.
 */
export const TraineeRelationsByFacts = sqlMigration(
  'TraineeRelationsByFacts',
  1766600000401,
  `ALTER TABLE trainee_relations ADD COLUMN facts_kept boolean NOT NULL DEFAULT false;
   UPDATE trainee_relations SET facts_kept = true WHERE by_certificates_alone;
   CREATE TABLE trainee_relating_facts (
     trainee_id uuid NOT NULL,
     organisation_id text NOT NULL,
     kind text NOT NULL CHECK (kind IN ('registration', 'enrollment', 'employment')),
     fact_id text NOT NULL,
     voided boolean NOT NULL DEFAULT false,
     PRIMARY KEY (trainee_id, organisation_id, kind, fact_id)
   )`,
  `DROP TABLE trainee_relating_facts;
   ALTER TABLE trainee_relations DROP COLUMN facts_kept`,
);
