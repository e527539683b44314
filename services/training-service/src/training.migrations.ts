import { sqlMigration } from '@skills/postgres';
import { ImportRowKeysAppliedOrder, ImportRowKeysByTrainee, ImportRowKeysSchema, ImportRowKeysTrainee, OrganisationReplicaSchema, TraineeReplicaForgotten, TraineeReplicaSchema, TraineeReplicaWorkingAge } from '@skills/service-runtime';

/** One provider per credit code, claimed in the registration's transaction. */
export const ProviderClaims = sqlMigration(
  'ProviderClaims',
  1732300000101,
  `CREATE TABLE provider_claims (
     credit_code text PRIMARY KEY,
     provider_id uuid NOT NULL UNIQUE
   )`,
  'DROP TABLE provider_claims',
);

/**
 * The trainees this context knows of, learnt from trainee-service's integration events. Kept by a
 * consumer (inbox) rather than a projection: its source is another service's log.
 */
export const TraineeReplica = sqlMigration(
  'TraineeReplica',
  1732300000102,
  `CREATE TABLE known_trainees (
     trainee_id uuid PRIMARY KEY,
     region_code text NOT NULL,
     registered_on date NOT NULL
   )`,
  'DROP TABLE known_trainees',
);

/**
 * A trainee's enrolments found in the log without reading it all: a void learnt from trainee-service frees
 * the seats they took meanwhile (WithdrawVoidedEnrolments).
 */
export const EventsEnrolmentsByTrainee = sqlMigration(
  'EventsEnrolmentsByTrainee',
  1765900000101,
  `CREATE INDEX IF NOT EXISTS events_enrolled_trainee ON events (lower(data->>'traineeId')) WHERE event_type = 'TraineeEnrolled'`,
  'DROP INDEX IF EXISTS events_enrolled_trainee',
);

/**
 * The course and the enrolment each enrolments import row's key was kept for (ImportedEnrolmentRows): a void of an enrolment
 * forgets its rows' keys, so the same row uploaded again is recorded anew. With its key or not at all:
 * the key is written after the applier, in the same transaction (hence deferred), and an erasure that
 * deletes the key deletes this row (it holds a keyed hash of the identity number, as the key does).
 */
export const ImportedEnrolmentRows = sqlMigration(
  'ImportedEnrolmentRows',
  1766600000101,
  `CREATE TABLE imported_enrolment_rows (
     organisation_id uuid NOT NULL,
     kind text NOT NULL DEFAULT 'enrolments_and_results' CHECK (kind = 'enrolments_and_results'),
     natural_key text NOT NULL,
     key text NOT NULL,
     course_id uuid NOT NULL,
     trainee_id uuid NOT NULL,
     enrollment_id uuid NOT NULL,
     PRIMARY KEY (organisation_id, kind, natural_key, key),
     FOREIGN KEY (organisation_id, kind, natural_key, key) REFERENCES import_row_keys ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
   );
   CREATE INDEX imported_enrolment_rows_enrolment ON imported_enrolment_rows (enrollment_id)`,
  'DROP TABLE imported_enrolment_rows',
);

export const trainingMigrations = [
  ProviderClaims,
  TraineeReplica,
  TraineeReplicaSchema,
  TraineeReplicaWorkingAge,
  OrganisationReplicaSchema,
  ImportRowKeysSchema,
  ImportRowKeysTrainee,
  ImportRowKeysByTrainee,
  ImportRowKeysAppliedOrder,
  TraineeReplicaForgotten,
  EventsEnrolmentsByTrainee,
  ImportedEnrolmentRows,
];
