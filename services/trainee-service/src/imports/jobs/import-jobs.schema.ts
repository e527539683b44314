import { sqlMigration } from '@skills/postgres';

/**
 * Import jobs (api.md, Imports) and their rows. A job's rows hold personal data (names, identity
 * numbers, phones, as the file had them): sealed under the job's own data key, itself sealed with the
 * master key (`wrapped_key`). Rows are numbered as the user sees them in the file; `batch` groups the
 * rows that are judged and applied together (null for a row refused while reading the file);
 * `import_job_answers` the batches answered, so an answer delivered twice counts once.
 */
export const ImportJobsSchema = sqlMigration(
  'ImportJobs',
  1764700000002,
  `CREATE TABLE import_jobs (
     job_id uuid PRIMARY KEY,
     organisation_id uuid NOT NULL,
     kind text NOT NULL,
     course_id uuid,
     started_by jsonb NOT NULL,
     state text NOT NULL,
     phase text NOT NULL DEFAULT 'judge',
     run_requested boolean NOT NULL DEFAULT false,
     skip_refused boolean NOT NULL DEFAULT false,
     total integer NOT NULL,
     batches integer NOT NULL,
     submitted integer NOT NULL DEFAULT 0,
     answered integer NOT NULL DEFAULT 0,
     done integer NOT NULL DEFAULT 0,
     created integer NOT NULL DEFAULT 0,
     already_present integer NOT NULL DEFAULT 0,
     corrected integer NOT NULL DEFAULT 0,
     refused integer NOT NULL DEFAULT 0,
     wrapped_key jsonb NOT NULL,
     failure text,
     created_at timestamptz NOT NULL DEFAULT now(),
     started_at timestamptz,
     finished_at timestamptz
   );
   CREATE INDEX import_jobs_to_work ON import_jobs (state) WHERE state IN ('validating', 'running');
   CREATE TABLE import_job_rows (
     job_id uuid NOT NULL REFERENCES import_jobs ON DELETE CASCADE,
     row integer NOT NULL,
     batch integer,
     natural_key text,
     key text,
     trainee_id uuid,
     sealed jsonb,
     outcome text,
     field text,
     rule text,
     detail text,
     PRIMARY KEY (job_id, row)
   );
   CREATE INDEX import_job_rows_by_batch ON import_job_rows (job_id, batch);
   CREATE TABLE import_job_answers (
     job_id uuid NOT NULL REFERENCES import_jobs ON DELETE CASCADE,
     batch integer NOT NULL,
     mode text NOT NULL,
     PRIMARY KEY (job_id, batch, mode)
   );
   CREATE TABLE import_course_providers (
     course_id uuid PRIMARY KEY,
     provider_id uuid NOT NULL
   )`,
  'DROP TABLE import_course_providers; DROP TABLE import_job_answers; DROP TABLE import_job_rows; DROP TABLE import_jobs',
);

/**
 * `progressed_at`: when the job last moved (a batch submitted or answered), so a job whose owner never
 * answers fails instead of waiting for ever; `run_from`: rows already done when the run started (refused
 * and already present in the dry run), so the run's rate counts only what it applied; rows by trainee and
 * by natural key, so an erasure reaches the person's rows in jobs.
 */
export const ImportJobsProgressSchema = sqlMigration(
  'ImportJobsProgress',
  1764800000001,
  `ALTER TABLE import_jobs ADD COLUMN progressed_at timestamptz NOT NULL DEFAULT now(), ADD COLUMN run_from integer NOT NULL DEFAULT 0;
   CREATE INDEX import_job_rows_by_trainee ON import_job_rows (trainee_id) WHERE trainee_id IS NOT NULL;
   CREATE INDEX import_job_rows_by_natural_key ON import_job_rows (natural_key) WHERE sealed IS NOT NULL`,
  'DROP INDEX import_job_rows_by_natural_key; DROP INDEX import_job_rows_by_trainee; ALTER TABLE import_jobs DROP COLUMN progressed_at, DROP COLUMN run_from',
);

/**
 * Room on each page of a job's rows for their outcomes: a batch's answer rewrites its 500 rows (once
 * judged, once applied), and a row version that fits on its own page is a HOT update, with no new entry
 * in each of the table's four indexes. That UPDATE was the costliest statement of an import (a quarter
 * of the statement time, by pg_stat_statements); with room, most updates are HOT and an import of
 * 100,000 trainees took 5 % less time. Most of its cost was found later to be its plan, which read every
 * row of the job for each answer (ImportJobs.recordOutcomes now names the batch; docs/benchmarks.md).
 */
export const ImportJobRowsRoomForOutcomes = sqlMigration(
  'ImportJobRowsRoomForOutcomes',
  1765000000001,
  'ALTER TABLE import_job_rows SET (fillfactor = 40)',
  'ALTER TABLE import_job_rows RESET (fillfactor)',
);

/**
 * When a job was asked to run (with the upload, `?run=true`, or by POST …/run; asked again once its dry
 * run stopped it, then): an organisation's jobs of one kind and course apply in this order, one after
 * the other (run-order.ts). Jobs asked before it are taken as asked when they started running, or when
 * they were uploaded.
 */
export const ImportJobsRunOrder = sqlMigration(
  'ImportJobsRunOrder',
  1765100000001,
  'ALTER TABLE import_jobs ADD COLUMN run_requested_at timestamptz; UPDATE import_jobs SET run_requested_at = coalesce(started_at, created_at) WHERE run_requested',
  'ALTER TABLE import_jobs DROP COLUMN run_requested_at',
);

/**
 * A failed job's reason as a rule (ImportFailureRule), for screens to say in words; the jobs that failed
 * before are given theirs from the sentence each rule was written with.
 */
export const ImportJobsFailureRule = sqlMigration(
  'ImportJobsFailureRule',
  1765100000004,
  `ALTER TABLE import_jobs ADD COLUMN failure_rule text;
   UPDATE import_jobs SET failure_rule = CASE
       WHEN failure LIKE 'a batch could not be applied%' THEN 'batch_failed'
       WHEN failure LIKE 'the service that applies these rows did not answer%' THEN 'owner_silent'
       WHEN failure LIKE 'not run within%' THEN 'dry_run_not_run' END
     WHERE failure IS NOT NULL`,
  'ALTER TABLE import_jobs DROP COLUMN failure_rule',
);

/**
 * A results or certificates file's row keeps the keyed hash of its identity number (PreparedRow.personKey),
 * so a person's erasure finds their rows that no trainee was matched to (ImportJobUpkeep.forgetRowsOf).
 * An erasure now finds rows by natural key whether or not they still hold cells (their hashes go too):
 * the natural key's index covers every row that has one.
 */
export const ImportJobRowsPersonKey = sqlMigration(
  'ImportJobRowsPersonKey',
  1765100000002,
  `ALTER TABLE import_job_rows ADD COLUMN person_key text;
   CREATE INDEX import_job_rows_by_person_key ON import_job_rows (person_key) WHERE person_key IS NOT NULL;
   DROP INDEX import_job_rows_by_natural_key;
   CREATE INDEX import_job_rows_by_natural_key ON import_job_rows (natural_key) WHERE natural_key IS NOT NULL`,
  `DROP INDEX import_job_rows_by_natural_key;
   CREATE INDEX import_job_rows_by_natural_key ON import_job_rows (natural_key) WHERE sealed IS NOT NULL;
   DROP INDEX import_job_rows_by_person_key;
   ALTER TABLE import_job_rows DROP COLUMN person_key`,
);

/**
 * The list of an organisation's jobs (GET /api/v1/imports): the file's name as uploaded, for the clerk to
 * know a job again (null for a job uploaded before jobs kept it), and the jobs by organisation, newest
 * first, so a page is read from the index and not from every organisation's jobs.
 */
export const ImportJobsListed = sqlMigration(
  'ImportJobsListed',
  1765500000002,
  `ALTER TABLE import_jobs ADD COLUMN file_name text;
   CREATE INDEX import_jobs_by_organisation ON import_jobs (organisation_id, created_at DESC, job_id DESC)`,
  'DROP INDEX import_jobs_by_organisation; ALTER TABLE import_jobs DROP COLUMN file_name',
);

/**
 * The rows a job refused past the lookup limit, counted by each job's answer (TOO_MANY_LOOKUPS) and so by
 * every job of a page of the list: from an index of those rows alone, not by reading all of a job's
 * unbatched rows (up to 200,000 refused ones) for each job listed.
 */
export const ImportJobRowsTooManyLookups = sqlMigration(
  'ImportJobRowsTooManyLookups',
  1765500000003,
  "CREATE INDEX import_job_rows_too_many_lookups ON import_job_rows (job_id) WHERE batch IS NULL AND rule = 'too_many_lookups'",
  'DROP INDEX import_job_rows_too_many_lookups',
);

/**
 * A trainees file's row whose identity number is not one keeps the keyed hash of its phone (PreparedRow.phoneKey),
 * so a person's erasure (or void) finds the row that names them by their phone under a mistyped number
 * (ImportJobUpkeep.forgetRowsOf). Rows uploaded before have none: their cells go with their job's 30 days.
 */
export const ImportJobRowsPhoneKey = sqlMigration(
  'ImportJobRowsPhoneKey',
  1766800000001,
  `ALTER TABLE import_job_rows ADD COLUMN phone_key text;
   CREATE INDEX import_job_rows_by_phone_key ON import_job_rows (phone_key) WHERE phone_key IS NOT NULL`,
  'DROP INDEX import_job_rows_by_phone_key; ALTER TABLE import_job_rows DROP COLUMN phone_key',
);

/**
 * Who uploaded a job beside its user id and role (`started_by`): their username as the access token
 * carried it at upload, or the API key it was uploaded with (`{"apiKey": {"clientId": …}}`), so the
 * organisation's staff see which colleague (or key) sent a file. A staff account's name, not a
 * trainee's personal data (domain.md section 7). Null for jobs uploaded before: they answer no username.
 */
export const ImportJobsUploader = sqlMigration(
  'ImportJobsUploader',
  1766900000201,
  'ALTER TABLE import_jobs ADD COLUMN uploaded_by jsonb',
  'ALTER TABLE import_jobs DROP COLUMN uploaded_by',
);
