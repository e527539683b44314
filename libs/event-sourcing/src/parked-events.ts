import { isTransientDatabaseError, Sql, sqlMigration, Statement } from '@skills/postgres';
import { PoolClient } from 'pg';
import { RecordedEvent } from './event-store';

/**
 * Events a projection could not apply, per projection, in the service's schema: the projection's
 * checkpoint moves past them (in the same transaction as the row) so one bad event cannot stall its
 * read model, and operators see and retry them (/admin/projections). Only the event's position, stream
 * and type are kept: its data stays in the log, where the retry reads it.
 */
export const ParkedEventsSchema = sqlMigration(
  'ParkedEvents',
  1700000000010,
  `
  CREATE TABLE parked_events (
    projection text NOT NULL,
    global_position bigint NOT NULL,
    transaction_id xid8 NOT NULL,
    stream_id text NOT NULL,
    event_type text NOT NULL,
    error text NOT NULL,
    parked_at timestamptz NOT NULL DEFAULT now(),
    retried_at timestamptz,
    PRIMARY KEY (projection, global_position)
  );
  `,
  'DROP TABLE parked_events',
);

export interface ParkedEvent {
  globalPosition: string;
  streamId: string;
  eventType: string;
  error: string;
  parkedAt: string;
  retriedAt: string | null;
}

/** A parked event as the runner writes it: where it is in the log, and why it is parked. */
export interface Parking {
  event: RecordedEvent;
  error: string;
}

/**
 * Not the event's fault: a lost connection, a server shutting down or out of resources, a
 * serialization failure or deadlock. Such an error stops the batch and is retried (with the loop's
 * backoff) until it passes, however long: parking would shelve good events for a database outage.
 */
export const isTransientFailure = isTransientDatabaseError;

/**
 * The error as operators read it: SQLSTATE and message. Postgres quotes the offending value in some
 * messages (`value "…" is out of range for type integer`, `invalid input syntax for type uuid: "…"`);
 * that value may be personal data, so it is left out. Identifiers (`column "wage_max"`) stay.
 */
export function describeFailure(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? (error.name && error.name !== 'error' ? `${error.name}: ${error.message}` : error.message) : String(error);
  const text = `${typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? `SQLSTATE ${code}: ` : ''}${message}`;
  return (
    text
      .replace(/(\bvalue |: )"(?:[^"]|"")*"/g, '$1"…"')
      // JSON.parse's own words quote the text around the fault, and the token it stopped at.
      .replace(/token '[^']*'/g, "token '…'")
      .replace(/, .*" is not valid JSON/gs, ', "…" is not valid JSON')
      .slice(0, 2000)
  );
}

/** Why an event that did not fail is parked too: its projection must see a stream's events in order. */
export const behind = (blocker: string) => `waits behind the parked event at position ${blocker} of the same stream`;

export async function parkEvents(tx: PoolClient, projection: string, parkings: Parking[]): Promise<void> {
  for (const { event, error } of parkings)
    await tx.query(
      `INSERT INTO parked_events (projection, global_position, transaction_id, stream_id, event_type, error)
       VALUES ($1, $2, $3::xid8, $4, $5, $6)
       ON CONFLICT (projection, global_position) DO UPDATE SET error = excluded.error, parked_at = now()`,
      [projection, event.position.globalPosition, event.position.transactionId, event.streamId, event.type, error],
    );
}

/** The streams with a parked event of the projection, each with its first one (see blockedStreamsOf). */
export function blockedStreamsStatement(projection: string): Statement {
  return {
    text: `SELECT DISTINCT ON (stream_id) stream_id, global_position::text AS first FROM parked_events
      WHERE projection = $1 ORDER BY stream_id, transaction_id, global_position`,
    values: [projection],
  };
}

/** For each stream with a parked event of the projection, the first one's position (read by blockedStreamsStatement). */
export function blockedStreamsOf(rows: { stream_id: string; first: string }[]): Map<string, string> {
  return new Map(rows.map((row) => [row.stream_id, row.first]));
}

/** The projection's parked events in log order, the first `limit` of them. */
export async function listParked(sql: Sql, projection: string, limit = 100): Promise<{ count: number; events: ParkedEvent[] }> {
  const { rows } = await sql.query<{ global_position: string; stream_id: string; event_type: string; error: string; parked_at: Date; retried_at: Date | null; count: string }>(
    `SELECT global_position::text AS global_position, stream_id, event_type, error, parked_at, retried_at, count(*) OVER ()::text AS count
       FROM parked_events WHERE projection = $1 ORDER BY transaction_id, global_position LIMIT $2`,
    [projection, limit],
  );
  return {
    count: Number(rows[0]?.count ?? 0),
    events: rows.map((row) => ({
      globalPosition: row.global_position,
      streamId: row.stream_id,
      eventType: row.event_type,
      error: row.error,
      parkedAt: row.parked_at.toISOString(),
      retriedAt: row.retried_at?.toISOString() ?? null,
    })),
  };
}
