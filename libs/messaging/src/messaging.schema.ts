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
