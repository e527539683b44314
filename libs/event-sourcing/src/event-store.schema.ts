import { sqlMigration } from '@skills/postgres';

/**
 * The event log, the outbox and projection checkpoints of one service (its schema). The inbox and
 * dead letters are messaging's (MessagingSchema); schemas created before the split already hold them.
 *
 * `transaction_id` is what makes readers of the global order safe: a sequence value taken by a slow
 * transaction becomes visible after higher ones. Readers order by (transaction_id, global_position)
 * and only read rows of transactions older than every transaction still running
 * (pg_snapshot_xmin), so nothing can ever appear behind a position already read.
 */
export const EventStoreSchema = sqlMigration(
  'EventStoreSchema',
  1700000000000,
  `
  CREATE TABLE events (
    global_position bigserial PRIMARY KEY,
    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
    stream_id text NOT NULL,
    stream_version integer NOT NULL CHECK (stream_version > 0),
    event_id uuid NOT NULL UNIQUE,
    event_type text NOT NULL,
    schema_version integer NOT NULL DEFAULT 1,
    data jsonb NOT NULL,
    metadata jsonb NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
  );
  CREATE INDEX events_log_order ON events (transaction_id, global_position);

  CREATE TABLE outbox (
    id bigserial PRIMARY KEY,
    message_id uuid NOT NULL UNIQUE,
    topic text NOT NULL,
    message_key text NOT NULL,
    envelope jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );

  CREATE TABLE projection_checkpoints (
    projection text PRIMARY KEY,
    transaction_id xid8 NOT NULL DEFAULT '0',
    global_position bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
  );
  `,
  'DROP TABLE projection_checkpoints, outbox, events',
);
