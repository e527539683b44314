import { sqlMigration } from '@skills/postgres';

/**
 * The first answer to every command sent with an `Idempotency-Key`, one row per key, in the schema of
 * the service that ran the command (ServiceRuntimeModule adds this migration to every service, right
 * after the event store's and before the service's own). Keys are therefore scoped per service: the
 * same key sent to trainee-service and training-service names two unrelated commands, also in the
 * all-in-one process where both schemas live in one database.
 *
 * The row is written in the same transaction as the command's events, so it exists if and only if
 * the command's effects do (see RequestTransaction). `fingerprint` is an HMAC of method, path and
 * body keyed by the client's key (a SHA-256 in rows stored before: fingerprintKey), never the body
 * itself: the table holds no personal data beyond what the answer carries, nor a digest to test guesses against.
 * `body` is the answer's JSON text exactly as first sent (NULL for an empty 204 answer).
 * `created_at` is there for a retention job; keys are kept until one is added.
 */
export const IdempotencyKeysSchema = sqlMigration(
  'IdempotencyKeys',
  1700000000100,
  `
  CREATE TABLE idempotency_keys (
    key text PRIMARY KEY,
    fingerprint text NOT NULL,
    method text NOT NULL,
    path text NOT NULL,
    status smallint NOT NULL,
    content_type text NOT NULL,
    body text,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
  `,
  'DROP TABLE idempotency_keys',
);

/**
 * Keys are the caller's own (api.md: every call is made by a signed-in user): the same key sent by
 * another user names another command, and nobody is answered someone else's first answer. `caller` is
 * the user id, or `public` for the few public commands; rows stored before it are `public`.
 */
export const IdempotencyKeysPerCaller = sqlMigration(
  'IdempotencyKeysPerCaller',
  1700000000101,
  `
  ALTER TABLE idempotency_keys ADD COLUMN caller text NOT NULL DEFAULT 'public';
  ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
  ALTER TABLE idempotency_keys ADD PRIMARY KEY (caller, key);
  `,
);

/**
 * The table holds neither the keys nor the answers in clear: an answer may carry a secret shown once
 * (an API key's secret, a trainee's activation code, a TOTP secret). `key` becomes a SHA-256 digest of
 * the key, and each new answer's body is sealed (AES-256-GCM) under a key derived from the
 * idempotency key and the caller, which only the client holding the key can bring back (see
 * answer-sealing.ts). Rows stored before keep their body in clear (`sealed` false) and are found by
 * their digested key all the same.
 */
export const IdempotencyAnswersSealed = sqlMigration(
  'IdempotencyAnswersSealed',
  1700000000102,
  `
  ALTER TABLE idempotency_keys ADD COLUMN sealed boolean NOT NULL DEFAULT false;
  UPDATE idempotency_keys SET key = encode(sha256(convert_to('idempotency-key:' || key, 'UTF8')), 'hex');
  `,
);

/** The idempotency table's migrations, in order (ServiceRuntimeModule adds them to every service). */
export const IDEMPOTENCY_MIGRATIONS = [IdempotencyKeysSchema, IdempotencyKeysPerCaller, IdempotencyAnswersSealed];
