import { sqlMigration } from '@skills/postgres';
import { TraineeReplicaForgotten, TraineeReplicaSchema, TraineeReplicaWorkingAge } from '@skills/service-runtime';

/** One employer per credit code. */
export const EmployerClaims = sqlMigration(
  'EmployerClaims',
  1732300000301,
  `CREATE TABLE employer_claims (
     credit_code text PRIMARY KEY,
     employer_id uuid NOT NULL UNIQUE
   )`,
  'DROP TABLE employer_claims',
);

/**
 * Which placement an employment lives in, and the active employments per trainee and employer: the
 * primary key refuses a second active employment at one employer even under concurrent hires.
 */
export const Employments = sqlMigration(
  'Employments',
  1732300000302,
  `CREATE TABLE employment_index (
     employment_id uuid PRIMARY KEY,
     placement_id uuid NOT NULL
   );
   CREATE TABLE active_employments (
     trainee_id uuid NOT NULL,
     employer_id uuid NOT NULL,
     employment_id uuid NOT NULL UNIQUE,
     PRIMARY KEY (trainee_id, employer_id)
   )`,
  'DROP TABLE active_employments; DROP TABLE employment_index',
);

/** Trainees known from trainee events, and their current level per occupation from certification events. */
export const PlacementReplicas = sqlMigration(
  'PlacementReplicas',
  1732300000303,
  `CREATE TABLE known_trainees (
     trainee_id uuid PRIMARY KEY
   );
   CREATE TABLE trainee_levels (
     trainee_id uuid NOT NULL,
     occupation_code text NOT NULL,
     level text,
     rank smallint NOT NULL,
     PRIMARY KEY (trainee_id, occupation_code)
   )`,
  'DROP TABLE trainee_levels; DROP TABLE known_trainees',
);

/**
 * Every employment per trainee and employer with its dates, kept after it ends, so a backdated hire is
 * judged against what overlapped its start (issue 14). `active_employments` stays the claim of the open
 * one: its primary key still decides between concurrent hires. Filled from this service's own log.
 */
export const EmploymentPeriods = sqlMigration(
  'EmploymentPeriods',
  1736000000301,
  `CREATE TABLE employment_periods (
     employment_id uuid PRIMARY KEY,
     trainee_id uuid NOT NULL,
     employer_id uuid NOT NULL,
     start_date date NOT NULL,
     end_date date
   );
   CREATE INDEX employment_periods_by_trainee ON employment_periods (trainee_id, employer_id);
   INSERT INTO employment_periods (employment_id, trainee_id, employer_id, start_date, end_date)
   SELECT (hired.data->>'employmentId')::uuid, (hired.data->>'traineeId')::uuid, (posted.data->>'employerId')::uuid,
          (hired.data->>'startDate')::date, (ended.data->>'endDate')::date
   FROM events hired
   JOIN events posted ON posted.stream_id = hired.stream_id AND posted.event_type = 'PlacementPosted'
   LEFT JOIN events ended ON ended.stream_id = hired.stream_id AND ended.event_type = 'EmploymentEnded'
                         AND ended.data->>'employmentId' = hired.data->>'employmentId'
   WHERE hired.event_type = 'TraineeHired'`,
  'DROP TABLE employment_periods',
);

/**
 * Every certificate certification published, with its dates, for the level held on a hire's start date
 * (issue 14); `trainee_levels` only knew the level held now.
 *
 * On a deployment that already ran, this table starts empty: certificates published before it are not
 * replayed (the consumer group's offsets, or the in-process outbox that deleted delivered messages,
 * are past them), and a revocation of such a certificate updates nothing. Filling it needs a replay of
 * the certification topic from its start.
 */
export const TraineeCertificates = sqlMigration(
  'TraineeCertificates',
  1736000000302,
  `CREATE TABLE trainee_certificates (
     certificate_number text PRIMARY KEY,
     trainee_id uuid NOT NULL,
     occupation_code text NOT NULL,
     level text NOT NULL,
     rank smallint NOT NULL,
     certified_on date NOT NULL,
     revoked_on date
   );
   CREATE INDEX trainee_certificates_by_trainee ON trainee_certificates (trainee_id, occupation_code)`,
  'DROP TABLE trainee_certificates',
);

/**
 * A revocation that found no certificate in `trainee_certificates`, remembered by certificate number with
 * its date, so the LevelCertified that comes after it (parked as a dead letter and retried, or replayed)
 * is written revoked, not standing again (as TraineeReplicaForgotten remembers voids and erasures).
 * A revocation applied before this table existed, whose certificate is still missing, is not here.
 */
export const EarlyRevocations = sqlMigration(
  'EarlyRevocations',
  1765800000301,
  `CREATE TABLE early_revocations (
     certificate_number text PRIMARY KEY,
     revoked_on date NOT NULL
   )`,
  'DROP TABLE early_revocations',
);

/**
 * The board keeps the day a placement was closed (`closed_on`, answered as `closedOn`) where it kept only
 * that it was: filled in place from the log, under the projection's lock, from each PlacementClosed (which
 * has always carried the day). In place, not dropped and filled again: the public board stays whole, and an
 * older replica still running beside the new one reads and writes `closed` as before. A fresh database has
 * no board yet: the projection creates it.
 */
export const PlacementBoardClosedOn = sqlMigration(
  'PlacementBoardClosedOn',
  1766100000301,
  `SELECT pg_advisory_xact_lock(hashtext('projection:' || current_schema() || ':placement-board'));
   DO $$
   BEGIN
     IF to_regclass('placement_board') IS NOT NULL THEN
       ALTER TABLE placement_board ADD COLUMN IF NOT EXISTS closed_on date;
       UPDATE placement_board b SET closed_on = (e.data->>'closedOn')::date
         FROM events e
        WHERE e.event_type = 'PlacementClosed' AND e.data->>'placementId' = b.placement_id::text AND b.closed_on IS NULL;
     END IF;
   END $$`,
);

/**
 * A certificate's number may be recorded more than once (certification's CertificateVoided frees it, and an
 * import may record it again, perhaps for another worker): `trainee_certificates` keeps which recording of its
 * number a row is (the rows of before are each the first), `early_revocations` which recording a remembered
 * revocation is of, and `voided_certificates` each recording voided, so that its LevelCertified coming after
 * the void (parked as a dead letter and retried, or replayed) does not bring it back. In place: the
 * certificates answer hires and the wage insight, and a replay would not refill them (TraineeCertificates).
 * `early_revocations` keeps its key (one per number, the highest recording's): an older replica still running
 * beside the new one writes it as before.
 */
export const CertificateRecordings = sqlMigration(
  'CertificateRecordings',
  1766400000301,
  `ALTER TABLE trainee_certificates ADD COLUMN recording integer NOT NULL DEFAULT 1;
   ALTER TABLE early_revocations ADD COLUMN recording integer NOT NULL DEFAULT 1;
   CREATE TABLE voided_certificates (
     certificate_number text NOT NULL,
     recording integer NOT NULL,
     PRIMARY KEY (certificate_number, recording)
   )`,
  'DROP TABLE voided_certificates; ALTER TABLE early_revocations DROP COLUMN recording; ALTER TABLE trainee_certificates DROP COLUMN recording',
);

/** TraineeReplicaSchema widens `known_trainees` to the shared TraineeReplica's columns. */
export const placementMigrations = [
  EmployerClaims,
  Employments,
  PlacementReplicas,
  TraineeReplicaSchema,
  TraineeReplicaWorkingAge,
  EmploymentPeriods,
  TraineeCertificates,
  TraineeReplicaForgotten,
  EarlyRevocations,
  PlacementBoardClosedOn,
  CertificateRecordings,
];
