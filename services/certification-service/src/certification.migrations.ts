import { sqlMigration } from '@skills/postgres';
import { CredentialsSchema } from './credentials/credentials.schema';
import { ImportRowKeysAppliedOrder, ImportRowKeysByTrainee, ImportRowKeysSchema, ImportRowKeysTrainee, TraineeRelationsByCertificates, TraineeRelationsByFacts, TraineeRelationsSchema, TraineeReplicaForgotten, TraineeReplicaSchema, TraineeReplicaWorkingAge } from '@skills/service-runtime';

/** One evaluator per credit code; evaluator codes (the 4 characters in certificate numbers) handed out in order. */
export const EvaluatorClaims = sqlMigration(
  'EvaluatorClaims',
  1732300000201,
  `CREATE TABLE evaluator_claims (
     credit_code text PRIMARY KEY,
     evaluator_id uuid NOT NULL UNIQUE
   );
   CREATE SEQUENCE evaluator_code_sequence`,
  'DROP TABLE evaluator_claims; DROP SEQUENCE evaluator_code_sequence',
);

/**
 * Certificate numbers: the serial per evaluator and year (a row lock makes concurrent issues take
 * turns), and every issued number with the ladder stream it lives in (unique, so never issued twice).
 */
export const CertificateNumbers = sqlMigration(
  'CertificateNumbers',
  1732300000202,
  `CREATE TABLE certificate_serials (
     evaluator_id uuid NOT NULL,
     year text NOT NULL,
     last_serial integer NOT NULL,
     PRIMARY KEY (evaluator_id, year)
   );
   CREATE TABLE certificate_numbers (
     certificate_number text PRIMARY KEY,
     trainee_id uuid NOT NULL,
     occupation_code text NOT NULL
   )`,
  'DROP TABLE certificate_numbers; DROP TABLE certificate_serials',
);

/**
 * Trainees known from trainee-service's events: region for the distribution, masked name for verification.
 * Kept by the shared TraineeReplica now, which widens the table (TraineeReplicaSchema, last).
 */
export const CertificationTraineeReplica = sqlMigration(
  'CertificationTraineeReplica',
  1732300000203,
  `CREATE TABLE known_trainees (
     trainee_id uuid PRIMARY KEY,
     region_code text NOT NULL,
     name_masked text
   )`,
  'DROP TABLE known_trainees',
);

/** Employments from placement-service's events: who employs whom, from when to when (credit codes). */
export const EmploymentReplica = sqlMigration(
  'EmploymentReplica',
  1732300000204,
  `CREATE TABLE employments (
     employment_id uuid PRIMARY KEY,
     trainee_id uuid NOT NULL,
     employer_credit_code text NOT NULL,
     start_date date NOT NULL,
     end_date date
   );
   CREATE INDEX employments_by_trainee ON employments (trainee_id, employer_credit_code)`,
  'DROP TABLE employments',
);

/**
 * Wrong holder names given with a certificate number in public verification, counted per number and UTC
 * day in the database, so every replica and restart sees one count (VERIFY_WRONG_NAMES_PER_CERTIFICATE_PER_DAY).
 * Only the number and the count: never a name, nor who asked.
 */
export const VerificationWrongNames = sqlMigration(
  'VerificationWrongNames',
  1736200000205,
  `CREATE TABLE verification_wrong_names (
     certificate_number text NOT NULL,
     day date NOT NULL,
     wrong_names integer NOT NULL CHECK (wrong_names >= 0),
     PRIMARY KEY (certificate_number, day)
   );
   CREATE INDEX verification_wrong_names_by_day ON verification_wrong_names (day)`,
  'DROP TABLE verification_wrong_names',
);

/**
 * Wrong holder names per certificate number, client address and UTC day (WrongNameBound): an address that
 * guessed wrong is locked out of that number alone, and nobody else with it. The address is kept for the
 * day it counts in, never a name.
 */
export const VerificationWrongNamesByAddress = sqlMigration(
  'VerificationWrongNamesByAddress',
  1766300000205,
  `CREATE TABLE verification_wrong_names_by_address (
     certificate_number text NOT NULL,
     address text NOT NULL,
     day date NOT NULL,
     wrong_names integer NOT NULL CHECK (wrong_names >= 0),
     PRIMARY KEY (certificate_number, address, day)
   );
   CREATE INDEX verification_wrong_names_by_address_by_day ON verification_wrong_names_by_address (day)`,
  'DROP TABLE verification_wrong_names_by_address',
);

/**
 * The day an evaluator began certifying on the platform, which its certificates imports are judged by
 * (FIRST_CERTIFIED_HERE, CertificatesImportApplier): the earliest LevelCertified of any route but
 * `imported` for one evaluator, read from this index, never by scanning the log.
 */
export const EventsCertifiedHereByEvaluator = sqlMigration(
  'EventsCertifiedHereByEvaluator',
  1765700000001,
  `CREATE INDEX IF NOT EXISTS events_certified_here_by_evaluator ON events ((data->>'evaluatorId'), recorded_at)
     WHERE event_type = 'LevelCertified' AND data->>'route' <> 'imported'`,
  'DROP INDEX IF EXISTS events_certified_here_by_evaluator',
);

/**
 * The certificates read model keeps when each certificate was entered (`recorded_at`, answered as
 * `recordedAt` and listed by with ?sort=recorded and recordedFrom/recordedTo) where it kept only its
 * certifiedOn: filled in place from the log, under the projection's lock, each certificate with the time
 * its first LevelCertified was recorded (as the projection keeps the first of a number certified twice).
 * In place, not dropped and filled again: the table answers the public verification, which must not say
 * "no such certificate" of a valid one while a province's certificates are replayed. To the millisecond, as
 * the projection keeps the events' times. A certificate an older replica still running beside the new one
 * records has no time (README, Upgrading: stop the older replicas first). A fresh database has no table
 * yet: the projection creates it.
 */
export const CertificatesRecordedAt = sqlMigration(
  'CertificatesRecordedAt',
  1766200000201,
  `SELECT pg_advisory_xact_lock(hashtext('projection:' || current_schema() || ':certificates'));
   DO $$
   BEGIN
     IF to_regclass('certificates') IS NOT NULL THEN
       ALTER TABLE certificates ADD COLUMN IF NOT EXISTS recorded_at timestamptz;
       UPDATE certificates c SET recorded_at = date_trunc('milliseconds', first.recorded_at)
         FROM (SELECT DISTINCT ON (data->>'certificateNumber') data->>'certificateNumber' AS number, recorded_at
                 FROM events WHERE event_type = 'LevelCertified'
                 ORDER BY data->>'certificateNumber', transaction_id, global_position) first
        WHERE first.number = c.certificate_number AND c.recorded_at IS NULL;
     END IF;
   END $$`,
);

/**
 * A certificate recorded in error is voided (VoidCertificate), and its number is free again:
 * - `certificate_numbers` keeps a voided number's row without its holder (trainee_id and occupation_code
 *   NULL), counting its recordings voided (`voided_recordings`): an import claims it again by updating that
 *   very row, so the claim waits for a void in flight and reads the count it left (LevelCertified's
 *   `recording`), and a certification never hands the number out again (it is on the index);
 * - `imported_certificate_rows`: the import row that recorded each imported certificate (its natural
 *   key), whose keys the void forgets (ImportedCertificateRows);
 * - `credential_allocations` gets an entry per recording: a voided recording's stays revoked while the
 *   number's next recording has its own. Every entry until now is a first recording.
 * Not undone once a certificate was voided: the build before cannot read a CertificateVoided.
 */
export const VoidedCertificates = sqlMigration(
  'VoidedCertificates',
  1766400000201,
  `ALTER TABLE certificate_numbers ALTER COLUMN trainee_id DROP NOT NULL, ALTER COLUMN occupation_code DROP NOT NULL,
     ADD COLUMN voided_recordings integer NOT NULL DEFAULT 0;
   CREATE TABLE imported_certificate_rows (
     certificate_number text PRIMARY KEY,
     organisation_id uuid NOT NULL,
     natural_key text NOT NULL
   );
   ALTER TABLE credential_allocations ADD COLUMN recording integer NOT NULL DEFAULT 1;
   ALTER TABLE credential_allocations DROP CONSTRAINT credential_allocations_pkey;
   ALTER TABLE credential_allocations ADD PRIMARY KEY (certificate_number, recording)`,
  `DO $$ BEGIN
     IF EXISTS (SELECT 1 FROM certificate_numbers WHERE voided_recordings > 0) THEN
       RAISE EXCEPTION 'certificates were voided: the build before this migration cannot read CertificateVoided, and would hand out their credentials'' revoked entries again';
     END IF;
   END $$;
   ALTER TABLE credential_allocations DROP CONSTRAINT credential_allocations_pkey;
   ALTER TABLE credential_allocations ADD PRIMARY KEY (certificate_number);
   ALTER TABLE credential_allocations DROP COLUMN recording;
   DROP TABLE imported_certificate_rows;
   ALTER TABLE certificate_numbers DROP COLUMN voided_recordings, ALTER COLUMN trainee_id SET NOT NULL, ALTER COLUMN occupation_code SET NOT NULL`,
);

/**
 * Employments placement voided (EmploymentVoided: a hire recorded in error), by id: their rows leave
 * `employments`, and a TraineeHired or EmploymentEnded of one that comes after the void (a dead letter
 * retried, a replay) is not written back. Undone by dropping it: the voided employments stay gone.
 */
export const VoidedEmployments = sqlMigration(
  'VoidedEmployments',
  1766700000201,
  `CREATE TABLE voided_employments (
     employment_id uuid PRIMARY KEY
   )`,
  'DROP TABLE voided_employments',
);

export const certificationMigrations = [
  EvaluatorClaims,
  CertificateNumbers,
  CertificationTraineeReplica,
  EmploymentReplica,
  TraineeReplicaSchema,
  TraineeRelationsSchema,
  TraineeReplicaWorkingAge,
  VerificationWrongNames,
  ImportRowKeysSchema,
  CredentialsSchema,
  ImportRowKeysTrainee,
  ImportRowKeysByTrainee,
  ImportRowKeysAppliedOrder,
  TraineeReplicaForgotten,
  EventsCertifiedHereByEvaluator,
  CertificatesRecordedAt,
  VerificationWrongNamesByAddress,
  VoidedCertificates,
  TraineeRelationsByCertificates,
  TraineeRelationsByFacts,
  VoidedEmployments,
];
