// A copy of libs/event-sourcing/src/event-store.ts#appendToStream with the changes proposed in
// docs/benchmarks.md, each behind a switch so the benchmark can measure them one at a time. Nothing
// in libs/ uses this file.
import { ConcurrencyError, DomainEvent, EventMetadata, eventsChannel, ExpectedVersion, isUniqueViolation, RecordedEvent, Sql } from '@skills/event-sourcing';
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';

export interface ProposedOptions {
  /**
   * 'in-transaction' (today): `SELECT pg_notify` inside the append's transaction. Postgres then takes
   * a database-wide lock at commit (async.c PreCommit_Notify) and holds it across the WAL flush, so
   * every notifying commit waits for the previous one's fsync: no group commit.
   * 'after-commit': the caller wakes listeners once the transaction has committed (see AfterCommitNotifier).
   * 'none': no wake-up at all; only to measure what the after-commit NOTIFY itself costs.
   */
  notify: 'in-transaction' | 'after-commit' | 'none';
  /** 'select' (today): a separate `SELECT max(stream_version)` round trip; 'inline': one statement. */
  versionCheck: 'select' | 'inline';
  /** 'all' (today): RETURNING every column, data parsed back from jsonb; 'positions': only what the server assigns. */
  returning: 'all' | 'positions';
  /** 'v4' (today): random ids, scattered over the unique index; 'v7': time-ordered ids, appended at its right edge. */
  eventIds: 'v4' | 'v7';
  /** With versionCheck 'inline': a named prepared statement (parse and plan once per connection). */
  prepared?: boolean;
  /** With notify 'after-commit': at most one NOTIFY per this many ms (0: one per round trip). */
  notifyMinIntervalMs?: number;
  /** Only to measure what the `event_id` UNIQUE index costs per event (the schema keeps it today). */
  dropEventIdIndex?: boolean;
}

export const CURRENT: ProposedOptions = { notify: 'in-transaction', versionCheck: 'select', returning: 'all', eventIds: 'v4' };

/** What docs/benchmarks.md proposes for libs/event-sourcing/src/event-store.ts (P7 in bench/profile.ts). */
export const PROPOSED: ProposedOptions = { notify: 'after-commit', versionCheck: 'inline', returning: 'positions', eventIds: 'v4', prepared: true };

interface FullRow {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  stream_version: number;
  event_id: string;
  event_type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date;
}

const COLUMNS = `global_position, transaction_id::text AS transaction_id, stream_id, stream_version, event_id,
  event_type, schema_version, data, metadata, recorded_at`;

export async function appendToStreamProposed<Event extends DomainEvent>(
  tx: Sql,
  schema: string,
  streamId: string,
  expectedVersion: ExpectedVersion,
  events: Event[],
  metadata: EventMetadata,
  options: ProposedOptions,
): Promise<{ nextExpectedVersion: number; recorded: RecordedEvent<Event>[] }> {
  const ids = events.map(() => (options.eventIds === 'v7' ? uuidV7() : randomUUID()));
  const types = events.map((event) => event.type);
  const data = events.map((event) => JSON.stringify(event.data));
  const expected = expectedVersion === 'any' ? null : expectedVersion;
  try {
    let currentVersion: number;
    let rows: Array<Partial<FullRow> & { global_position: string; transaction_id: string; stream_version: number; recorded_at: Date }>;
    if (options.versionCheck === 'select') {
      const current = await tx.query<{ version: number }>(
        'SELECT coalesce(max(stream_version), 0)::int AS version FROM events WHERE stream_id = $1',
        [streamId],
      );
      currentVersion = current.rows[0].version;
      if (expected !== null && expected !== currentVersion) throw new ConcurrencyError(streamId, expectedVersion, currentVersion);
      if (events.length === 0) return { nextExpectedVersion: currentVersion, recorded: [] };
      const returning = options.returning === 'all' ? COLUMNS : 'global_position, transaction_id::text AS transaction_id, stream_version, recorded_at';
      ({ rows } = await tx.query(
        `INSERT INTO events (stream_id, stream_version, event_id, event_type, data, metadata)
         SELECT $1, $2::int + ordinality, event_id, event_type, data, $6::jsonb
           FROM unnest($3::uuid[], $4::text[], $5::jsonb[]) WITH ORDINALITY AS e(event_id, event_type, data)
         RETURNING ${returning}`,
        [streamId, currentVersion, ids, types, data, JSON.stringify(metadata)],
      ));
    } else {
      // One round trip: the version check and the insert in one statement. Concurrent writers at the
      // same expected version still collide on (stream_id, stream_version); a writer whose expected
      // version is behind or ahead inserts nothing and learns the current version from the same row.
      const returning =
        options.returning === 'all'
          ? `i.global_position, i.transaction_id::text AS transaction_id, i.stream_id, i.stream_version, i.event_id,
             i.event_type, i.schema_version, i.data, i.metadata, i.recorded_at`
          : 'i.global_position, i.transaction_id::text AS transaction_id, i.stream_version, i.recorded_at';
      const text = `WITH current AS (
           SELECT coalesce(max(stream_version), 0)::int AS version FROM events WHERE stream_id = $1
         ), inserted AS (
           INSERT INTO events (stream_id, stream_version, event_id, event_type, data, metadata)
           SELECT $1, current.version + e.ordinality, e.event_id, e.event_type, e.data, $6::jsonb
             FROM current, unnest($3::uuid[], $4::text[], $5::jsonb[]) WITH ORDINALITY AS e(event_id, event_type, data)
            WHERE $2::int IS NULL OR current.version = $2::int
           RETURNING *
         )
         SELECT current.version AS current_version, ${returning}
           FROM current LEFT JOIN inserted i ON true`;
      const values = [streamId, expected, ids, types, data, JSON.stringify(metadata)];
      // A named statement is parsed and planned once per connection instead of on every append.
      const result = options.prepared
        ? await (tx as unknown as PoolClient).query<{ current_version: number } & FullRow>({ name: `skills_append_${options.returning}`, text, values })
        : await tx.query<{ current_version: number } & FullRow>(text, values);
      currentVersion = result.rows[0].current_version;
      if (expected !== null && expected !== currentVersion) throw new ConcurrencyError(streamId, expectedVersion, currentVersion);
      if (events.length === 0) return { nextExpectedVersion: currentVersion, recorded: [] };
      rows = result.rows;
    }
    if (options.notify === 'in-transaction') await tx.query('SELECT pg_notify($1, $2)', [eventsChannel(schema), streamId]);
    const sorted = rows.sort((a, b) => a.stream_version - b.stream_version);
    const recorded = sorted.map((row, index) =>
      options.returning === 'all'
        ? toRecorded<Event>(row as FullRow)
        : ({
            // The caller's own objects: no jsonb round trip. (jsonb would reorder keys and drop
            // undefined fields; event data is plain JSON, so nothing a caller reads changes.)
            type: events[index].type,
            data: events[index].data,
            eventId: ids[index],
            streamId,
            streamVersion: row.stream_version,
            schemaVersion: 1,
            position: { transactionId: row.transaction_id, globalPosition: String(row.global_position) },
            metadata,
            recordedAt: row.recorded_at.toISOString(),
          } as RecordedEvent<Event>),
    );
    return { nextExpectedVersion: currentVersion + events.length, recorded };
  } catch (error) {
    if (isUniqueViolation(error, 'events_stream_version_unique')) throw new ConcurrencyError(streamId, expectedVersion);
    throw error;
  }
}

function toRecorded<Event extends DomainEvent>(row: FullRow): RecordedEvent<Event> {
  return {
    type: row.event_type,
    data: row.data,
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    schemaVersion: row.schema_version,
    position: { transactionId: row.transaction_id, globalPosition: String(row.global_position) },
    metadata: row.metadata,
    recordedAt: row.recorded_at.toISOString(),
  } as RecordedEvent<Event>;
}

/** RFC 9562 UUIDv7: 48-bit Unix milliseconds, then random bits (version 7, variant 10). */
export function uuidV7(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Wakes LISTENers after commit, outside the writers' transactions: a NOTIFY-only transaction writes
 * no WAL, so the database-wide notify lock is held for microseconds instead of across an fsync.
 * Coalesced: while one NOTIFY is in flight, any number of further requests become one more. Listeners
 * only use the notification as a wake-up (payload unused), and keep their poll as the safety net
 * for a process that dies between commit and notify.
 */
export class AfterCommitNotifier {
  private inFlight?: Promise<void>;
  private again = false;

  constructor(
    private readonly pool: Pool,
    private readonly channel: string,
    private readonly minIntervalMs = 0,
  ) {}

  notify(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    const pause = this.minIntervalMs > 0 ? new Promise((resolve) => setTimeout(resolve, this.minIntervalMs)) : Promise.resolve();
    this.inFlight = this.pool
      .query('SELECT pg_notify($1, $2)', [this.channel, ''])
      .then(() => pause)
      .then(() => undefined, () => undefined)
      .finally(() => {
        this.inFlight = undefined;
        if (this.again) {
          this.again = false;
          this.notify();
        }
      });
  }

  async idle(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }
}
