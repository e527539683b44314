import { Actor } from '@skills/contracts';
import { randomUUID } from 'node:crypto';
import { isUniqueViolation, notifyAfterCommit, Sql, Statement } from '@skills/postgres';
import { PoolClient } from 'pg';

/** A domain event as aggregates produce it: a stable past-tense name and its data. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

export interface EventMetadata {
  /** Flows from the HTTP request (or the message that caused this) into logs and messages. */
  correlationId: string;
  causationId?: string;
  /** Who made the change (personal-data rules require it to be recorded): the caller, or a name. */
  actor?: Actor;
  /** The business time the fact happened, where it differs from when it was recorded. */
  occurredAt?: string;
}

/** A place in the service's whole log; ordered by transaction, then position (see the schema). */
export interface LogPosition {
  transactionId: string;
  globalPosition: string;
}

export const LOG_START: LogPosition = { transactionId: '0', globalPosition: '0' };

/** What an event is given as it is appended, before the log places it. */
interface EventFacts {
  eventId: string;
  streamId: string;
  streamVersion: number;
  schemaVersion: number;
  metadata: EventMetadata;
  recordedAt: string;
}

/**
 * An event decided and on its way into the log, sent with its transaction's last statements
 * (prepareAppend): everything a recorded event has but its place in the log, which only the insert answers.
 */
export type DecidedEvent<Event extends DomainEvent = DomainEvent> = Event & EventFacts;

export type RecordedEvent<Event extends DomainEvent = DomainEvent> = DecidedEvent<Event> & { position: LogPosition };

/** `0` means the stream must not exist yet; `'any'` skips the check (only for tests and tools). */
export type ExpectedVersion = number | 'any';

export class ConcurrencyError extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: ExpectedVersion,
    readonly actualVersion?: number,
  ) {
    super(`stream ${streamId} expected at version ${expectedVersion}${actualVersion === undefined ? '' : `, is at ${actualVersion}`}`);
    this.name = 'ConcurrencyError';
  }
}

interface EventRow {
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

// transaction_id leaves as text (JSON-safe); ORDER BY must therefore name the table's xid8 column
// (events.transaction_id), or it would sort the text alias and put '1000' before '999'.
const COLUMNS = `global_position, transaction_id::text AS transaction_id, stream_id, stream_version, event_id,
  event_type, schema_version, data, metadata, recorded_at`;

export const eventsChannel = (schema: string) => `${schema}_events`;

/**
 * Appends to a stream inside the caller's transaction, so that whatever else the command writes
 * (outbox rows, uniqueness claims) commits with it. A second writer at the same expected version
 * fails on the (stream_id, stream_version) key with a ConcurrencyError.
 */
export async function appendToStream<Event extends DomainEvent>(
  tx: Sql,
  schema: string,
  streamId: string,
  expectedVersion: ExpectedVersion,
  events: Event[],
  metadata: EventMetadata,
): Promise<{ nextExpectedVersion: number; recorded: RecordedEvent<Event>[] }> {
  const ids = events.map(() => randomUUID());
  const expected = expectedVersion === 'any' ? null : expectedVersion;
  try {
    const { rows } = await tx.query<AppendRow>({
      // Named: parsed and planned once per connection (each pool's connections keep one search_path).
      name: 'skills_append_to_stream',
      text: APPEND,
      values: [streamId, expected, ids, events.map((event) => event.type), events.map((event) => JSON.stringify(event.data)), JSON.stringify(metadata)],
    });
    const currentVersion = rows[0].current_version;
    if (expected !== null && expected !== currentVersion) throw new ConcurrencyError(streamId, expectedVersion, currentVersion);
    if (events.length === 0) return { nextExpectedVersion: currentVersion, recorded: [] };
    notifyAfterCommit(tx, eventsChannel(schema));
    const inserted = rows.sort((a, b) => a.stream_version - b.stream_version);
    const recorded = inserted.map(
      (row, index) =>
        ({
          // The caller's own event objects: no need to read back what was just written.
          type: events[index].type,
          data: events[index].data,
          eventId: ids[index],
          streamId,
          streamVersion: row.stream_version,
          schemaVersion: 1,
          position: { transactionId: row.transaction_id, globalPosition: String(row.global_position) },
          metadata,
          recordedAt: row.recorded_at.toISOString(),
        }) as RecordedEvent<Event>,
    );
    return { nextExpectedVersion: currentVersion + events.length, recorded };
  } catch (error) {
    if (isVersionConflict(error)) throw new ConcurrencyError(streamId, expectedVersion);
    throw error;
  }
}

/** An append prepared to travel with its transaction's last statements and COMMIT (prepareAppend). */
export interface PreparedAppend<Event extends DomainEvent> {
  statement: Statement;
  /** The events as they will be recorded, for what is sent with them (outbox rows, side writes). */
  decided: DecidedEvent<Event>[];
  /** The recorded events, from the statement's answer. */
  recordedFrom(answer: { rows: unknown[] }): RecordedEvent<Event>[];
}

/**
 * The append as a statement to send with the transaction's other last statements and its COMMIT, so a
 * command's append costs no round trip of its own. The events go at the versions after
 * `expectedVersion`, which must be the stream's version as the caller read it in this transaction under
 * the stream's lock (a version ahead of the stream is not checked: it would leave a gap). A writer that
 * got there first (one that bypassed the lock) fails the statement, and so the transaction, on
 * (stream_id, stream_version): isVersionConflict. `recordedAt` is the transaction's `now()`, which
 * the events' recorded_at defaults to. `recordedFrom` is called after the COMMIT: it cannot fail but
 * for an answer the statement does not give.
 */
export function prepareAppend<Event extends DomainEvent>(
  tx: PoolClient,
  schema: string,
  streamId: string,
  expectedVersion: number,
  events: Event[],
  metadata: EventMetadata,
  recordedAt: string,
): PreparedAppend<Event> {
  const decided: DecidedEvent<Event>[] = decideVersions([{ streamId, expectedVersion, events }], metadata).map((event) => ({ ...event, recordedAt }));
  notifyAfterCommit(tx, eventsChannel(schema));
  return {
    statement: insertDecided(decided, metadata),
    decided,
    recordedFrom: (answer) => {
      const positionOf = positionsByEventId(answer);
      return decided.map((event) => ({ ...event, position: positionOf(event).position }));
    },
  };
}

/** Whether an error is a prepared append's (or appendToStreams') collision with a writer that got there first. */
export const isVersionConflict = (error: unknown): boolean => isUniqueViolation(error, 'events_stream_version_unique');

/** A stream's next events, for appendToStreams: after `expectedVersion` (0, the default, for a new stream). */
export interface StreamAppend<Event extends DomainEvent> {
  streamId: string;
  expectedVersion?: number;
  events: Event[];
  /** Each event's metadata, where not the call's: a consumer's batch, each event caused by its own message. */
  metadata?: EventMetadata[];
}

/**
 * Appends to many streams in one statement (a bulk import's batch): every event of every stream in one
 * multi-row insert, each stream's versions from just after its `expectedVersion`. A stream written since
 * (or a new one that exists) fails the whole statement on (stream_id, stream_version) with a
 * ConcurrencyError, as appendToStream would: callers hold the streams' locks, or start them under fresh
 * ids. Answers each stream's recorded events, in order.
 */
export async function appendToStreams<Event extends DomainEvent>(tx: Sql, schema: string, streams: StreamAppend<Event>[], metadata: EventMetadata): Promise<RecordedEvent<Event>[][]> {
  const decided = decideVersions(streams, metadata);
  if (decided.length === 0) return streams.map(() => []);
  try {
    const positionOf = positionsByEventId(await tx.query(insertDecided(decided, metadata, { batch: true })));
    notifyAfterCommit(tx, eventsChannel(schema));
    const recorded = decided.map((event) => {
      const { position, recordedAt } = positionOf(event);
      return { ...event, position, recordedAt: (recordedAt as Date).toISOString() };
    });
    let from = 0;
    return streams.map((stream) => recorded.slice(from, (from += stream.events.length)));
  } catch (error) {
    if (isVersionConflict(error)) throw new ConcurrencyError("(one of the batch's)", 'any');
    throw error;
  }
}

/** Each stream's events with their ids and versions (after its expectedVersion), as they will be inserted; the time is the caller's to add. */
function decideVersions<Event extends DomainEvent>(streams: StreamAppend<Event>[], metadata: EventMetadata): Array<Event & Omit<EventFacts, 'recordedAt'>> {
  return streams.flatMap(({ streamId, expectedVersion = 0, events, metadata: each }) => {
    if (each && each.length !== events.length) throw new Error(`stream ${streamId}: ${events.length} events and ${each.length} metadata`);
    return events.map((event, index) => ({ ...event, eventId: randomUUID(), streamId, streamVersion: expectedVersion + index + 1, schemaVersion: 1, metadata: each?.[index] ?? metadata }));
  });
}

/**
 * The one insert of events whose ids and versions are decided, for one stream (a command) or many (a
 * batch). `recorded_at` is left to its default, the transaction's now(). A command's events share its
 * metadata and it knows their time already (reading a timestamp back costs the client a parse per event);
 * a `batch` sends each event's metadata (a consumer's batch has a cause per event) and reads the time
 * back. Named: parsed and planned once per connection (each pool's connections keep one search_path).
 */
function insertDecided(decided: Array<DomainEvent & Omit<EventFacts, 'recordedAt'>>, metadata: EventMetadata, { batch = false } = {}): Statement {
  return {
    name: batch ? 'skills_insert_decided_batch' : 'skills_insert_decided_events',
    text: `INSERT INTO events (stream_id, stream_version, event_id, event_type, data, metadata)
      SELECT e.stream_id, e.stream_version, e.event_id, e.event_type, e.data, ${batch ? 'e.metadata' : '$6::jsonb'}
        FROM unnest($1::text[], $2::int[], $3::uuid[], $4::text[], $5::jsonb[]${batch ? ', $6::jsonb[]' : ''}) WITH ORDINALITY AS e(stream_id, stream_version, event_id, event_type, data, ${batch ? 'metadata, ' : ''}n)
       ORDER BY e.n
      RETURNING event_id, global_position, transaction_id::text AS transaction_id${batch ? ', recorded_at' : ''}`,
    values: [
      decided.map((event) => event.streamId),
      decided.map((event) => event.streamVersion),
      decided.map((event) => event.eventId),
      decided.map((event) => event.type),
      decided.map((event) => JSON.stringify(event.data)),
      batch ? eachAsJson(decided.map((event) => event.metadata)) : JSON.stringify(metadata),
    ],
  };
}

/** Each as JSON, one written once however often it comes (a batch's events mostly share one metadata). */
function eachAsJson(values: object[]): string[] {
  const written = new Map<object, string>();
  return values.map((value) => {
    let json = written.get(value);
    if (json === undefined) written.set(value, (json = JSON.stringify(value)));
    return json;
  });
}

/** What insertDecided answered for each event: its log position, and its time if asked. Fails only for an answer the insert does not give. */
function positionsByEventId(answer: { rows: unknown[] }): (event: { eventId: string }) => { position: LogPosition; recordedAt?: Date } {
  const rows = new Map((answer.rows as Array<{ event_id: string; global_position: string; transaction_id: string; recorded_at?: Date }>).map((row) => [row.event_id, row]));
  return ({ eventId }) => {
    const row = rows.get(eventId);
    if (!row) throw new Error(`the append did not answer event ${eventId}`);
    return { position: { transactionId: row.transaction_id, globalPosition: String(row.global_position) }, recordedAt: row.recorded_at };
  };
}

interface AppendRow {
  current_version: number;
  global_position: string;
  transaction_id: string;
  stream_version: number;
  recorded_at: Date;
}

/**
 * The version check and the insert in one round trip. A writer whose expected version is behind or
 * ahead inserts nothing and learns the current version from the same row; two writers at the same
 * expected version still collide on (stream_id, stream_version).
 */
const APPEND = `WITH current AS (
    SELECT coalesce(max(stream_version), 0)::int AS version FROM events WHERE stream_id = $1
  ), inserted AS (
    INSERT INTO events (stream_id, stream_version, event_id, event_type, data, metadata)
    SELECT $1, current.version + e.ordinality, e.event_id, e.event_type, e.data, $6::jsonb
      FROM current, unnest($3::uuid[], $4::text[], $5::jsonb[]) WITH ORDINALITY AS e(event_id, event_type, data)
     WHERE $2::int IS NULL OR current.version = $2::int
    RETURNING global_position, transaction_id, stream_version, recorded_at
  )
  SELECT current.version AS current_version, i.global_position, i.transaction_id::text AS transaction_id, i.stream_version, i.recorded_at
    FROM current LEFT JOIN inserted i ON true`;

export async function readStream<Event extends DomainEvent>(sql: Sql, streamId: string): Promise<RecordedEvent<Event>[]> {
  const { text, values } = readStreamStatement(streamId);
  return eventsOf<Event>((await sql.query(text, values)).rows);
}

/** A stream's events in order, as a statement to send with others (the command pipeline's first round trip). */
export const readStreamStatement = (streamId: string): Statement => ({ text: `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 ORDER BY stream_version`, values: [streamId] });

/** The events of rows read by readStreamStatement. */
export const eventsOf = <Event extends DomainEvent>(rows: unknown[]): RecordedEvent<Event>[] => (rows as EventRow[]).map((row) => toRecorded<Event>(row));

/** Many streams in one query (a file's people at once): each stream's events in order; an unknown one is absent. */
export async function readStreams<Event extends DomainEvent>(sql: Sql, streamIds: string[]): Promise<Map<string, RecordedEvent<Event>[]>> {
  const { rows } = await sql.query<EventRow>(`SELECT ${COLUMNS} FROM events WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_version`, [streamIds]);
  const streams = new Map<string, RecordedEvent<Event>[]>();
  for (const row of rows) {
    const events = streams.get(row.stream_id) ?? [];
    events.push(toRecorded<Event>(row));
    streams.set(row.stream_id, events);
  }
  return streams;
}

/**
 * Events after `after` in log order, only from transactions that can no longer be overtaken:
 * those below the oldest transaction still in flight. A slow writer holds readers back instead of
 * being skipped.
 */
export async function readAll(sql: Sql, after: LogPosition, limit = 500): Promise<RecordedEvent[]> {
  const { rows } = await sql.query<EventRow>(
    `SELECT ${COLUMNS} FROM events
      WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
        AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY events.transaction_id, events.global_position
      LIMIT $3`,
    [after.transactionId, after.globalPosition, limit],
  );
  return rows.map((row) => toRecorded(row));
}

/** The events at these global positions, in log order (a projection's parked events, to retry them). */
export async function readAt(sql: Sql, globalPositions: string[]): Promise<RecordedEvent[]> {
  const { rows } = await sql.query<EventRow>(
    `SELECT ${COLUMNS} FROM events WHERE global_position = ANY($1::bigint[]) ORDER BY events.transaction_id, events.global_position`,
    [globalPositions],
  );
  return rows.map((row) => toRecorded(row));
}

function toRecorded<Event extends DomainEvent>(row: EventRow): RecordedEvent<Event> {
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
