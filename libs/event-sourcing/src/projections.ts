import { DomainRefusal } from '@skills/domain-kernel';
import { Client, PoolClient } from 'pg';
import { Database, NotificationListener, sendWithNextQuery, Statement, WakeableLoop } from '@skills/postgres';
import { DomainEvent, eventsChannel, LOG_START, LogPosition, readAll, readAt, RecordedEvent } from './event-store';
import { behind, blockedStreamsOf, blockedStreamsStatement, describeFailure, isTransientFailure, listParked, ParkedEvent, parkEvents, Parking } from './parked-events';

/**
 * A read model kept from the service's own log: `evolve(readModel, event)` written as SQL against a
 * table whose name is passed in, so the same code fills the live table and a rebuild's shadow table.
 * `createTable` must be idempotent (IF NOT EXISTS); indexes unnamed so a shadow can coexist.
 *
 * `Event` is the union of the events the projection reads. The log of a service holds every stream's
 * events, so `apply` also receives others: it switches on `type` and ignores what it does not know
 * (the type says which names it can expect, not that no other name arrives).
 *
 * The log is read in the order of the transactions' ids (readAll), and a transaction takes its id at its
 * first write: one that wrote before it appended to a stream (a consumer's chunk claims its messages
 * first, then appends) holds its event ahead of the stream's previous one, if that was appended by a
 * transaction that took its id later and committed first. So a projection must not take a stream's
 * events to come in their version order: it keys its rows by what they are about (a user, a certificate
 * number, a log position), or reads what the stream holds beside the event (user-directory,
 * trainee-shares). Commands' own transactions lock and read their stream before their first write.
 */
export interface Projection<Event extends DomainEvent = DomainEvent> {
  name: string;
  table: string;
  createTable(tx: PoolClient, table: string): Promise<void>;
  apply(tx: PoolClient, table: string, event: RecordedEvent<Event>): Promise<void>;
  /**
   * Optional: a whole batch of the log (up to 500 events, in order) in a few statements, exactly as
   * `apply` of each in turn would leave the table. Where it fails, the runner goes event by event.
   */
  applyAll?(tx: PoolClient, table: string, events: RecordedEvent<Event>[]): Promise<void>;
}

/** Any projection, whatever events it reads: what the runner holds. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProjection = Projection<any>;

export interface ProjectionStatus {
  projection: string;
  position: LogPosition;
  /** Events in the log beyond the checkpoint (by global position, an upper bound). */
  lag: number;
  rebuilding: boolean;
  rebuildProgress?: number;
  /** Events it could not apply and moved past (parked-events.ts); `parked` lists the first 100 in log order. */
  parkedEvents: number;
  parked: ParkedEvent[];
}

/** What a retry of parked events did: the positions that now applied, and what is still parked. */
export interface ParkedRetry {
  applied: string[];
  parked: ParkedEvent[];
}

const BATCH = 500;
const REBUILD_SUFFIX = '__rebuild';
/** Tries of an event that keeps failing (a new transaction each, after the loop's backoff) before it is parked. */
const MAX_ATTEMPTS = 3;

export class ProjectionRunner {
  private readonly loops = new Map<string, WakeableLoop>();
  private readonly listener: NotificationListener;
  private readonly rebuilds = new Map<string, number>();
  /** Per projection, the event that failed last and how many times in a row. */
  private readonly attempts = new Map<string, { globalPosition: string; count: number }>();

  constructor(
    private readonly database: Database,
    private readonly projections: AnyProjection[],
    private readonly options: { pollIntervalMs?: number; onError?: (error: unknown) => void; maxAttempts?: number } = {},
  ) {
    this.listener = new NotificationListener(database.options.url, [eventsChannel(database.schema)], () =>
      this.loops.forEach((loop) => loop.wake()),
    );
  }

  async start(): Promise<void> {
    for (const projection of this.projections) {
      // Under the projection's lock: two replicas starting on an empty database would otherwise both create
      // the table, and one fail on the type Postgres makes for it (a unique violation), ending its start.
      await this.database.transaction(async (tx) => {
        await lockProjection(tx, this.database.schema, projection.name);
        await projection.createTable(tx, projection.table);
      });
      const loop = new WakeableLoop(
        () => this.catchUp(projection),
        this.options.pollIntervalMs ?? 1000,
        this.options.onError ?? (() => undefined),
      );
      this.loops.set(projection.name, loop);
      loop.start();
    }
    await this.listener.start();
  }

  async stop(): Promise<void> {
    await this.listener.stop();
    await Promise.all([...this.loops.values()].map((loop) => loop.stop()));
    this.loops.clear();
  }

  /**
   * Resolves once every projection has applied (or parked) everything committed before the call.
   * Waking the loops is not enough: a reader stops below the oldest transaction still open anywhere on
   * the server (pg_snapshot_xmin), so it may go idle short of the head and be woken again later.
   */
  async caughtUp(timeoutMs = 30_000): Promise<void> {
    const { rows } = await this.database.query<{ head: string }>('SELECT coalesce(max(global_position), 0)::text AS head FROM events');
    const deadline = Date.now() + timeoutMs;
    for (const projection of this.projections) {
      for (;;) {
        const loop = this.loops.get(projection.name);
        loop?.wake();
        await loop?.idle();
        const behind = await this.eventsBehind(projection.name, rows[0].head);
        if (behind === 0) break;
        if (Date.now() > deadline) throw new Error(`projection ${projection.name} is still ${behind} events behind after ${timeoutMs} ms; ${await this.oldestWriter()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }

  /**
   * Why a projection may be stuck short of the head: the transaction on the server with the oldest
   * transaction id (so it holds pg_snapshot_xmin, below which the readers stop). Its query is left out:
   * it may carry personal data. Another role's session shows no start nor state.
   */
  private async oldestWriter(): Promise<string> {
    const oldest = await this.database
      .query<{ seconds: string | null; database: string | null; application: string; state: string | null }>(
        `SELECT round(extract(epoch FROM clock_timestamp() - xact_start)::numeric, 1)::text AS seconds, datname AS database,
                application_name AS application, state
           FROM pg_stat_activity WHERE backend_xid IS NOT NULL ORDER BY age(backend_xid) DESC LIMIT 1`,
      )
      .then(({ rows }) => rows[0] ?? null)
      .catch(() => undefined);
    if (oldest === undefined) return 'what holds it back could not be read';
    if (oldest === null) return 'no transaction on the server holds it back';
    const age = oldest.seconds === null ? 'of unknown age' : `${oldest.seconds} s old`;
    return `the oldest writing transaction on the server is ${age} (database ${oldest.database ?? '?'}, application '${oldest.application}', ${oldest.state ?? 'state unknown'})`;
  }

  /** Events committed so far that some projection has not applied yet (the sum over projections). */
  async behind(): Promise<number> {
    const { rows } = await this.database.query<{ head: string }>('SELECT coalesce(max(global_position), 0)::text AS head FROM events');
    let behind = 0;
    for (const projection of this.projections) behind += await this.eventsBehind(projection.name, rows[0].head);
    return behind;
  }

  /** Events up to `head` that the projection's checkpoint has not passed yet. */
  private async eventsBehind(projection: string, head: string): Promise<number> {
    const { rows } = await this.database.query<{ behind: string }>(
      `SELECT count(*)::text AS behind FROM events e
       LEFT JOIN projection_checkpoints c ON c.projection = $1
       WHERE e.global_position <= $2::bigint
         AND (c.projection IS NULL OR (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position))`,
      [projection, head],
    );
    return Number(rows[0].behind);
  }

  async status(): Promise<ProjectionStatus[]> {
    const { rows } = await this.database.query<{ head: string | null }>('SELECT max(global_position)::text AS head FROM events');
    const head = Number(rows[0].head ?? 0);
    return Promise.all(
      this.projections.map(async (projection) => {
        const position = await this.database.transaction((tx) => readCheckpoint(tx, projection.name));
        const parked = await listParked(this.database, projection.name);
        return {
          projection: projection.name,
          position,
          lag: Math.max(0, head - Number(position.globalPosition)),
          rebuilding: this.rebuilds.has(projection.name),
          rebuildProgress: this.rebuilds.get(projection.name),
          parkedEvents: parked.count,
          parked: parked.events,
        };
      }),
    );
  }

  /** Rebuilds the projection (startRebuild) and waits for the swap. */
  async rebuild(name: string): Promise<void> {
    await (await this.startRebuild(name)).done;
  }

  /**
   * Starts a rebuild once no other runs for the projection, in this process or another replica on the
   * same database (two would write into one shadow table, and the second swap would leave a corrupt
   * read model): refused `rebuild_in_progress` otherwise. The lock is a session's, held on a connection
   * of its own (not the pool's) until the rebuild ends. A connection lost meanwhile (a restart, a
   * failover) has let the lock go, and another rebuild may have begun: the replay stops, swapping nothing.
   */
  async startRebuild(name: string): Promise<{ done: Promise<void> }> {
    this.projection(name);
    // keepAlive and a query timeout: a connection that died silently (a failover, a partition) is found out, not waited on.
    const holder = new Client({ connectionString: this.database.options.url, fallback_application_name: `skills-${this.database.schema}-rebuild`, keepAlive: true, query_timeout: 5000 });
    let lost: Error | undefined;
    // An idle client's error with no listener would end the process.
    holder.on('error', (error) => (lost ??= error));
    holder.on('end', () => (lost ??= new Error('its connection ended')));
    const stillLocked = async (askTheServer = false) => {
      // Before the swap, the server is asked too: a connection lost without a word (the primary gone, a new
      // one holding no lock) says nothing to the client.
      if (!lost && askTheServer) {
        const held = await holder
          .query<{ held: boolean }>("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted) AS held")
          .then(({ rows }) => rows[0].held, (error: Error) => ((lost ??= error), false));
        if (!held) lost ??= new Error('the server no longer holds it');
      }
      if (lost) throw new Error(`the rebuild of ${name} lost its lock (${lost.message}): nothing was swapped in; rebuild it again`);
    };
    try {
      await holder.connect();
      const { rows } = await holder.query<{ taken: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS taken', [`projection-rebuild:${this.database.schema}:${name}`]);
      if (!rows[0].taken) throw new DomainRefusal('rebuild_in_progress', `a rebuild of ${name} is already running: wait for it to end`, { projection: name });
    } catch (error) {
      await holder.end().catch(() => undefined);
      throw error;
    }
    return { done: this.replayAndSwap(name, stillLocked).finally(() => holder.end().catch(() => undefined)) };
  }

  /**
   * Replays the whole log into a shadow table while the live table keeps answering, then swaps
   * them in one transaction under the projection's lock (the live loop waits meanwhile). The parked
   * events become those the replay could not apply: a rebuild is itself a retry of every event.
   * `stillLocked` throws once the rebuild's lock is lost: asked after each batch, and of the server before the swap.
   */
  private async replayAndSwap(name: string, stillLocked: (askTheServer?: boolean) => Promise<void>): Promise<void> {
    const projection = this.projection(name);
    const shadow = `${projection.table}${REBUILD_SUFFIX}`;
    // The rebuild reads each event once: what fails (but not transiently) is parked at once.
    const parkAtOnce = (_event: RecordedEvent, error: unknown) => !isTransientFailure(error);
    const blocked = new Map<string, string>();
    const parked: Parking[] = [];
    const replay = async (tx: PoolClient, position: LogPosition) => {
      const batch = await applyBatch(tx, projection, shadow, position, blocked, parkAtOnce);
      if (batch.stoppedBy !== undefined) throw batch.stoppedBy;
      parked.push(...batch.parked);
      return batch;
    };
    this.rebuilds.set(name, 0);
    try {
      await this.database.transaction(async (tx) => {
        await tx.query(`DROP TABLE IF EXISTS ${shadow}`);
        await projection.createTable(tx, shadow);
      });
      let position = LOG_START;
      let applied = 0;
      for (;;) {
        const batch = await this.database.transaction((tx) => replay(tx, position));
        if (batch.count === 0) break;
        position = batch.position;
        applied += batch.count;
        this.rebuilds.set(name, applied);
        await stillLocked();
      }
      await this.database.transaction(async (tx) => {
        await lockProjection(tx, this.database.schema, name);
        await stillLocked(true);
        for (;;) {
          const batch = await replay(tx, position);
          if (batch.count === 0) break;
          position = batch.position;
        }
        await tx.query(`DROP TABLE IF EXISTS ${projection.table}`);
        await tx.query(`ALTER TABLE ${shadow} RENAME TO ${projection.table}`);
        await renameShadowIndexes(tx, projection.table);
        await tx.query('DELETE FROM parked_events WHERE projection = $1', [name]);
        await parkEvents(tx, name, parked);
        await writeCheckpoint(tx, name, position);
      });
    } finally {
      this.rebuilds.delete(name);
    }
  }

  /**
   * Applies the projection's parked events again, in log order, to the live table (after a fix was
   * deployed): those that apply now leave the list, the others stay with their new error, and so do
   * later events of their streams. In one transaction under the projection's lock.
   */
  async retryParked(name: string): Promise<ParkedRetry> {
    const projection = this.projection(name);
    const applied = await this.database.transaction(async (tx) => {
      await lockProjection(tx, this.database.schema, name);
      const { rows } = await tx.query<{ position: string }>('SELECT global_position::text AS position FROM parked_events WHERE projection = $1', [name]);
      const blocked = new Map<string, string>();
      const done: string[] = [];
      for (const event of await readAt(tx, rows.map((row) => row.position))) {
        const at = event.position.globalPosition;
        const blocker = blocked.get(event.streamId);
        const error = blocker === undefined ? await failureOf(tx, () => projection.apply(tx, projection.table, event)) : undefined;
        if (blocker === undefined && error === undefined) {
          await tx.query('DELETE FROM parked_events WHERE projection = $1 AND global_position = $2', [name, at]);
          done.push(at);
          continue;
        }
        if (error !== undefined && isTransientFailure(error)) throw error;
        if (error !== undefined) blocked.set(event.streamId, at);
        await tx.query('UPDATE parked_events SET error = $3, retried_at = now() WHERE projection = $1 AND global_position = $2', [
          name,
          at,
          error !== undefined ? describeFailure(error) : behind(blocker as string),
        ]);
      }
      return done;
    });
    return { applied, parked: (await listParked(this.database, name)).events };
  }

  private projection(name: string): AnyProjection {
    const projection = this.projections.find((candidate) => candidate.name === name);
    if (!projection) throw new Error(`unknown projection ${name}`);
    return projection;
  }

  /**
   * One batch, with the parked events and the checkpoint in its transaction. A failure that is not to
   * be parked yet commits what came before it and is thrown: the loop backs off and tries again.
   */
  private async catchUp(projection: AnyProjection): Promise<boolean> {
    // The lock, checkpoint and parked streams go with the BEGIN, the new checkpoint with the COMMIT.
    const batch = await this.database.compactTransaction(async (tx, ends) => {
      const [, checkpoint, blocked] = await ends.open([
        lockStatement(this.database.schema, projection.name),
        checkpointStatement(projection.name),
        blockedStreamsStatement(projection.name),
      ]);
      const from = checkpointOf(checkpoint.rows);
      const outcome = await applyBatch(tx, projection, projection.table, from, blockedStreamsOf(blocked.rows), (event, error) =>
        this.attemptsUsedUp(projection.name, event, error),
      );
      await parkEvents(tx, projection.name, outcome.parked);
      await ends.close(outcome.position !== from ? [checkpointWrite(projection.name, outcome.position)] : []);
      return outcome;
    });
    for (const { event, error } of batch.parked)
      this.options.onError?.(new Error(`${projection.name} parked event ${event.position.globalPosition} (${event.type}): ${error}`));
    if (batch.stoppedBy !== undefined) throw batch.stoppedBy;
    return batch.count === BATCH;
  }

  /** Whether the event has failed often enough to be parked; a transient error never counts. */
  private attemptsUsedUp(name: string, event: RecordedEvent, error: unknown): boolean {
    if (isTransientFailure(error)) return false;
    const previous = this.attempts.get(name);
    const count = previous?.globalPosition === event.position.globalPosition ? previous.count + 1 : 1;
    if (count < (this.options.maxAttempts ?? MAX_ATTEMPTS)) {
      this.attempts.set(name, { globalPosition: event.position.globalPosition, count });
      return false;
    }
    this.attempts.delete(name);
    return true;
  }
}

interface BatchOutcome {
  /** Events read. */
  count: number;
  /** Where the checkpoint goes: past every event applied or parked. */
  position: LogPosition;
  parked: Parking[];
  /** The failure the batch stopped before, when it was not to be parked. */
  stoppedBy?: unknown;
}

/**
 * Applies the next batch after `after` to `table`. Usually the whole batch at once; when an event
 * fails, or a stream of the batch waits behind a parked event, event by event: an event that fails
 * is parked if `shouldPark` says so, and so is every later event of its stream (`blocked`, updated),
 * because a projection folds a stream's events in order.
 */
async function applyBatch(
  tx: PoolClient,
  projection: AnyProjection,
  table: string,
  after: LogPosition,
  blocked: Map<string, string>,
  shouldPark: (event: RecordedEvent, error: unknown) => boolean,
): Promise<BatchOutcome> {
  const events = await readAll(tx, after, BATCH);
  if (events.length === 0) return { count: 0, position: after, parked: [] };
  const isBlocked = events.some((event) => blocked.has(event.streamId));
  if (!isBlocked && (await failureOf(tx, () => applyAll(tx, projection, table, events))) === undefined)
    return { count: events.length, position: events[events.length - 1].position, parked: [] };
  const parked: Parking[] = [];
  let position = after;
  for (const event of events) {
    const blocker = blocked.get(event.streamId);
    if (blocker !== undefined) parked.push({ event, error: behind(blocker) });
    else {
      const error = await failureOf(tx, () => projection.apply(tx, table, event));
      if (error !== undefined) {
        if (!shouldPark(event, error)) return { count: events.length, position, parked, stoppedBy: stopped(projection, event, error) };
        parked.push({ event, error: describeFailure(error) });
        blocked.set(event.streamId, event.position.globalPosition);
      }
    }
    position = event.position;
  }
  return { count: events.length, position, parked };
}

/** What the loop logs: which event, and the error without the values Postgres quotes. */
function stopped(projection: AnyProjection, event: RecordedEvent, error: unknown): unknown {
  if (isTransientFailure(error)) return error;
  return new Error(`${projection.name} could not apply event ${event.position.globalPosition} (${event.type}), will try again: ${describeFailure(error)}`);
}

async function applyAll(tx: PoolClient, projection: AnyProjection, table: string, events: RecordedEvent[]): Promise<void> {
  if (projection.applyAll) return projection.applyAll(tx, table, events);
  for (const event of events) await projection.apply(tx, table, event);
}

/**
 * Runs `work` under a savepoint: answers its error, its writes undone and the transaction still
 * usable, or undefined. A lost connection fails the rollback itself, and that propagates.
 */
async function failureOf(tx: PoolClient, work: () => Promise<void>): Promise<unknown> {
  // The SAVEPOINT goes with the work's first statement; a work that sent none has nothing to undo.
  let taken = false;
  const cancel = sendWithNextQuery(tx, ['SAVEPOINT projection_apply'], () => (taken = true));
  try {
    await work();
  } catch (error) {
    if (taken) await tx.query('ROLLBACK TO SAVEPOINT projection_apply');
    return error ?? new Error('the projection threw nothing');
  } finally {
    cancel();
  }
  if (taken) await tx.query('RELEASE SAVEPOINT projection_apply');
  return undefined;
}

async function lockProjection(tx: PoolClient, schema: string, name: string): Promise<void> {
  const { text, values } = lockStatement(schema, name);
  await tx.query(text, values);
}

function lockStatement(schema: string, name: string): Statement {
  return { text: 'SELECT pg_advisory_xact_lock(hashtext($1))', values: [`projection:${schema}:${name}`] };
}

async function readCheckpoint(tx: PoolClient, name: string): Promise<LogPosition> {
  const { text, values } = checkpointStatement(name);
  return checkpointOf((await tx.query(text, values)).rows);
}

function checkpointStatement(name: string): Statement {
  return {
    text: 'SELECT transaction_id::text AS transaction_id, global_position::text AS global_position FROM projection_checkpoints WHERE projection = $1',
    values: [name],
  };
}

function checkpointOf(rows: { transaction_id: string; global_position: string }[]): LogPosition {
  return rows[0] ? { transactionId: rows[0].transaction_id, globalPosition: rows[0].global_position } : LOG_START;
}

async function writeCheckpoint(tx: PoolClient, name: string, position: LogPosition): Promise<void> {
  const { text, values } = checkpointWrite(name, position);
  await tx.query(text, values);
}

function checkpointWrite(name: string, position: LogPosition): Statement {
  return {
    text: `INSERT INTO projection_checkpoints (projection, transaction_id, global_position, updated_at)
     VALUES ($1, $2::xid8, $3, now())
     ON CONFLICT (projection) DO UPDATE SET transaction_id = excluded.transaction_id,
       global_position = excluded.global_position, updated_at = now()`,
    values: [name, position.transactionId, position.globalPosition],
  };
}

/** Index and constraint names are per schema: give the swapped-in table's indexes their live names. */
async function renameShadowIndexes(tx: PoolClient, table: string): Promise<void> {
  const { rows } = await tx.query<{ indexname: string }>(
    `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 AND indexname LIKE $2`,
    [table, `%${REBUILD_SUFFIX}%`],
  );
  for (const { indexname } of rows) {
    const liveName = indexname.replace(REBUILD_SUFFIX, '');
    const isConstraint = await tx.query('SELECT 1 FROM pg_constraint WHERE conname = $1', [indexname]);
    await tx.query(
      isConstraint.rowCount
        ? `ALTER TABLE ${table} RENAME CONSTRAINT "${indexname}" TO "${liveName}"`
        : `ALTER INDEX "${indexname}" RENAME TO "${liveName}"`,
    );
  }
}
