import { sqlMigration } from '@skills/postgres';

/**
 * What a service that applies import rows keeps (see import-batches.ts):
 * - `import_row_keys`: every row applied, by organisation, kind, natural key and key (keyed hashes made
 *   by trainee-service, no personal data), so the same row uploaded again is "already present" and a
 *   changed row of the same natural key is a correction (see ImportRowKeysAppliedOrder);
 * - `import_batch_answers`: each batch's answer, written with the batch's effects, so a batch delivered
 *   again is answered again from here and never applied twice.
 */
export const ImportRowKeysSchema = sqlMigration(
  'ImportRowKeys',
  1764700000001,
  `CREATE TABLE import_row_keys (
     organisation_id uuid NOT NULL,
     kind text NOT NULL,
     natural_key text NOT NULL,
     key text NOT NULL,
     PRIMARY KEY (organisation_id, kind, natural_key, key)
   );
   CREATE TABLE import_batch_answers (
     job_id uuid NOT NULL,
     batch integer NOT NULL,
     mode text NOT NULL,
     outcomes jsonb NOT NULL,
     PRIMARY KEY (job_id, batch, mode)
   )`,
  'DROP TABLE import_batch_answers; DROP TABLE import_row_keys',
);

/**
 * Whose row each key is (the trainee the row was applied for; a trainees file's rows have none, their
 * person is registered by the row itself). A key is the same person's row only if it was applied for the
 * same trainee (knownKeysStatement): a person erased and registered again has a new trainee id, and the
 * same results file enrols them anew instead of answering already present. Keys kept before this have
 * none, and match any trainee as before. An erasure deletes the person's keys (ImportRowsConsumer).
 */
export const ImportRowKeysTrainee = sqlMigration('ImportRowKeysTrainee', 1765100000003, 'ALTER TABLE import_row_keys ADD COLUMN trainee_id uuid', 'ALTER TABLE import_row_keys DROP COLUMN trainee_id');

/** A person's keys found by their trainee id, for their erasure (one that ran the first ImportRowKeysTrainee has it already). */
export const ImportRowKeysByTrainee = sqlMigration(
  'ImportRowKeysByTrainee',
  1765100000005,
  'CREATE INDEX IF NOT EXISTS import_row_keys_trainee ON import_row_keys (trainee_id) WHERE trainee_id IS NOT NULL',
  'DROP INDEX import_row_keys_trainee',
);

/**
 * The order keys were applied in (`applied`, from a sequence; a key applied again takes a new one), so a
 * row is already present only as its natural key's latest version: a file uploaded again after a
 * corrected one is applied again (A, B, A ends at A, as within one file), not answered present while the
 * record holds B. Keys kept before this are all 0: any of them still counts, as before.
 */
export const ImportRowKeysAppliedOrder = sqlMigration(
  'ImportRowKeysAppliedOrder',
  1765300000001,
  `CREATE SEQUENCE import_row_keys_applied;
   ALTER TABLE import_row_keys ADD COLUMN applied bigint NOT NULL DEFAULT 0;
   ALTER TABLE import_row_keys ALTER COLUMN applied SET DEFAULT nextval('import_row_keys_applied')`,
  'ALTER TABLE import_row_keys DROP COLUMN applied; DROP SEQUENCE import_row_keys_applied',
);
