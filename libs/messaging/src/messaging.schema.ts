import { sqlMigration } from '@skills/postgres';

/**
 * The inbox (exactly-once effect of consumed messages) and the dead letters of the in-process
 * transport, in each service's schema. IF NOT EXISTS: schemas created before this migration existed
 * got both tables from the event store's first migration.
 */
export const MessagingSchema = sqlMigration(
  'MessagingSchema',
  1700000000001,
  `
  CREATE TABLE IF NOT EXISTS inbox (
    consumer text NOT NULL,
    message_id uuid NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
  );

  CREATE TABLE IF NOT EXISTS dead_letters (
    id bigserial PRIMARY KEY,
    consumer text NOT NULL,
    topic text NOT NULL,
    message_id uuid,
    envelope jsonb NOT NULL,
    error text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now()
  );
  `,
  'DROP TABLE dead_letters, inbox',
);

/**
 * One dead letter per (consumer, event id): a message dead-lettered again after a retry updates its row
 * instead of adding one. Letters that are not envelopes (no event id) stay one row each.
 */
export const DeadLettersPerMessage = sqlMigration(
  'DeadLettersPerMessage',
  1700000000002,
  `
  DELETE FROM dead_letters older USING dead_letters newer
   WHERE newer.consumer = older.consumer AND newer.message_id = older.message_id AND newer.id > older.id;
  CREATE UNIQUE INDEX dead_letters_per_message ON dead_letters (consumer, message_id);
  `,
  'DROP INDEX dead_letters_per_message',
);

/**
 * A decision asks whether an aggregate's fact waits unapplied as one of a consumer's dead letters
 * (unappliedLetterAbout): found by the aggregate, not by reading every letter of the consumer (an incident
 * can leave thousands, some of them an import's large batches).
 */
export const DeadLettersByAggregate = sqlMigration(
  'DeadLettersByAggregate',
  1796550000000,
  "CREATE INDEX IF NOT EXISTS dead_letters_by_aggregate ON dead_letters (consumer, topic, (envelope->>'aggregateId'))",
  'DROP INDEX dead_letters_by_aggregate',
);

export const MESSAGING_MIGRATIONS = [MessagingSchema, DeadLettersPerMessage, DeadLettersByAggregate];
