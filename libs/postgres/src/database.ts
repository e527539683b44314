import { AsyncResource } from 'node:async_hooks';
import pLimit from 'p-limit';
import { Pool, PoolClient, PoolConfig, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import { listenersInThisProcess } from './notifications';
import { dropWaiting, sendTogether, sendWithNextQuery, Statement } from './statements';

/** Something SQL can be sent to: the pool, or a client inside a transaction. */
export interface Sql {
  query<Row extends QueryResultRow = QueryResultRow>(text: string | QueryConfig, values?: unknown[]): Promise<{ rows: Row[]; rowCount: number | null }>;
}

/**
 * The two ends of a transaction, each with the work's own statements in one round trip
 * (Database.compactTransaction). Inside a transaction someone else owns, they only send the statements.
 */
export interface TransactionEnds {
  /** The first statements, with BEGIN. */
  open(statements: (Statement | string)[]): Promise<QueryResult[]>;
  /** The last statements, with COMMIT (and BEGIN, when nothing was opened); nothing may be sent after them. */
  close(statements: (Statement | string)[]): Promise<QueryResult[]>;
}

/** Ends for work in a transaction its caller began and will end (a consumer's inbox, a savepoint). */
export function endsOwnedByCaller(tx: PoolClient): TransactionEnds {
  return { open: (statements) => sendTogether(tx, statements), close: (statements) => sendTogether(tx, statements) };
}

/** The ends of a transaction this database owns: also a BEGIN sent with the work's next query. */
interface OwnEnds extends TransactionEnds {
  openWithNextQuery(): () => void;
}

export interface DatabaseOptions {
  url: string;
  /** Every service owns one schema; unqualified names resolve there (search_path). */
  schema: string;
  poolSize?: number;
}

/**
 * A connection pool bound to one service's schema. All write-side code runs in `transaction`,
 * so the append, the outbox rows and any uniqueness claims commit or vanish together.
 */
export class Database implements Sql {
  readonly pool: Pool;
  readonly schema: string;
  /** Request transactions open at once (requestTransaction): half the pool. */
  private readonly holding: pLimit.Limit;

  constructor(readonly options: DatabaseOptions) {
    if (!/^[a-z_][a-z0-9_]*$/.test(options.schema)) throw new Error(`invalid schema name ${options.schema}`);
    this.schema = options.schema;
    const poolSize = options.poolSize ?? 10;
    this.pool = new Pool(connectionConfig(options.url, options.schema, poolSize));
    this.holding = pLimit(Math.max(1, Math.floor(poolSize / 2)));
    // An idle client that loses its server (restart) must not crash the process.
    this.pool.on('error', () => undefined);
    // Nor one held out of the pool (a transaction, the outbox relay's while it publishes): pg emits the server's
    // goodbye as an 'error' event, which with no listener crashes the process; its work's next statement fails instead.
    this.pool.on('connect', (client) => client.on('error', () => undefined));
  }

  query<Row extends QueryResultRow = QueryResultRow>(text: string | QueryConfig, values?: unknown[]) {
    return this.pool.query<Row>(text as string, values);
  }

  /** A transaction whose BEGIN travels with the work's first statement; its COMMIT goes after the work. */
  async transaction<T>(work: (tx: PoolClient) => Promise<T>): Promise<T> {
    return this.run(async (tx, ends) => {
      const cancel = ends.openWithNextQuery();
      try {
        return await work(tx);
      } finally {
        cancel();
      }
    });
  }

  /**
   * A transaction an HTTP request holds open across its handler (SharedTransaction: an Idempotency-Key's, a
   * dry run's), whose work may meanwhile read on the pool (a refusal naming the holder of a taken claim, a
   * lookup counted). Clients decide how many come at once, so at most half the pool holds one at once; the
   * rest wait here, holding no connection. Otherwise, with every connection held by one of them, each would
   * wait for ever for a connection none gives back (the pool itself waits without end). Bound here, not
   * per caller: none of these work inside another (a dry run takes no key).
   */
  requestTransaction<T>(work: (tx: PoolClient) => Promise<T>): Promise<T> {
    // Bound to the caller's async context: a queued work starts from another's end, not from its own caller.
    return this.holding(AsyncResource.bind(() => this.transaction(work)));
  }

  /**
   * A transaction in as few round trips as the work allows: its BEGIN travels with the work's first
   * statements (`ends.open`, which the work calls before anything else) and its COMMIT with the last
   * (`ends.close`); a work that does not close is committed after it returns, and one that only closes
   * is one round trip. A command is then two round trips: lock and read, then the append, the rest and
   * COMMIT (see the command pipeline).
   */
  compactTransaction<T>(work: (tx: PoolClient, ends: TransactionEnds) => Promise<T>): Promise<T> {
    return this.run(work);
  }

  private async run<T>(work: (tx: PoolClient, ends: OwnEnds) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const transaction: { state: 'not begun' | 'open' | 'committed' | 'rolled back' } = { state: 'not begun' };
    const ends: OwnEnds = {
      // Open from the moment the BEGIN goes: a statement that fails with it leaves a transaction to roll back.
      openWithNextQuery: () => sendWithNextQuery(client, ['BEGIN'], () => (transaction.state = 'open')),
      open: async (statements) => {
        if (transaction.state !== 'not begun') return sendTogether(client, statements);
        // Open from here on: a statement that fails with the BEGIN leaves a transaction to roll back.
        transaction.state = 'open';
        return (await sendTogether(client, ['BEGIN', ...statements])).slice(1);
      },
      close: async (statements) => {
        // A work that only writes sends it all in one round trip: BEGIN, its statements, COMMIT.
        const begin = transaction.state === 'not begun' ? ['BEGIN'] : [];
        if (begin.length > 0) transaction.state = 'open';
        if (transaction.state !== 'open') throw new Error(`close of a transaction that is ${transaction.state}`);
        const results = (await sendTogether(client, [...begin, ...statements, 'COMMIT'])).slice(begin.length);
        // A COMMIT of a transaction in which a statement failed (its error caught) answers ROLLBACK.
        if (results[results.length - 1].command !== 'COMMIT') {
          transaction.state = 'rolled back';
          throw new Error('the transaction was rolled back: one of its statements had failed');
        }
        transaction.state = 'committed';
        return results.slice(0, statements.length);
      },
    };
    try {
      const result = await work(client, ends);
      if (transaction.state === 'open') await ends.close([]);
      this.wakeAfterCommit(takePendingNotifications(client));
      return result;
    } catch (error) {
      // A work that failed after its COMMIT went through still committed: its listeners must hear it.
      if (transaction.state === 'committed') this.wakeAfterCommit(takePendingNotifications(client));
      pendingNotifications.delete(client);
      dropWaiting(client);
      if (transaction.state === 'open') await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      // Never back to the pool with statements waiting for its next query (another caller's).
      dropWaiting(client);
      client.release();
    }
  }

  /** Channels committed to since the wake-up in flight was sent, and whether one is in flight. */
  private readonly waking = { inFlight: false, next: new Set<string>() };

  /**
   * Wakes the listeners of the channels a commit touched. Those in this process (a service's own relay
   * and projection runners) are called directly, which costs the writer no round trip; a channel nobody
   * here listens to, or one every process must hear, gets a NOTIFY on the pool, off the writer's
   * connection, one query for all such channels with at most one in flight: any number of commits
   * meanwhile become one more wake-up (listeners use it only to wake, then read).
   */
  wakeAfterCommit(channels: PendingNotification[]): void {
    for (const { channel, everyProcess } of channels) {
      const heardHere = listenersInThisProcess.wake(this.options.url, channel);
      if (everyProcess || !heardHere) this.waking.next.add(channel);
    }
    if (this.waking.inFlight || this.waking.next.size === 0) return;
    const now = [...this.waking.next];
    this.waking.next.clear();
    this.waking.inFlight = true;
    this.pool
      .query(`SELECT ${now.map((_, n) => `pg_notify($${n + 1}, '')`).join(', ')}`, now)
      .catch(() => undefined)
      .finally(() => {
        this.waking.inFlight = false;
        this.wakeAfterCommit([]);
      });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export interface PendingNotification {
  channel: string;
  /** Every process listening must hear it (a cache in each replica), not just the one that wakes first. */
  everyProcess: boolean;
}

/**
 * Wake-ups (NOTIFY) are sent after COMMIT, not inside the transaction: a NOTIFY in a transaction makes
 * Postgres hold a database-wide lock from pre-commit across the WAL flush, so notifying commits
 * queue one behind another's fsync and group commit is lost (a third of the append rate here).
 * A wake-up lost to a crash right after COMMIT costs only latency: listeners also poll.
 */
const pendingNotifications = new WeakMap<object, Map<string, PendingNotification>>();

/**
 * Wakes the channel's listeners once the transaction commits. A relay or projection runner needs one
 * wake per commit in some process that can do the work, and each service runs its own in the process
 * that writes; `everyProcess` is for a channel whose every listener must hear (a NOTIFY to all).
 */
export function notifyAfterCommit(tx: Sql, channel: string, options: { everyProcess?: boolean } = {}): void {
  const everyProcess = options.everyProcess ?? false;
  // A statement sent on the pool is a transaction of its own: called after it answered, it has committed.
  if (tx instanceof Database) return tx.wakeAfterCommit([{ channel, everyProcess }]);
  const channels = pendingNotifications.get(tx) ?? new Map<string, PendingNotification>();
  if (channels.get(channel)?.everyProcess) return;
  channels.set(channel, { channel, everyProcess });
  pendingNotifications.set(tx, channels);
}

function takePendingNotifications(client: PoolClient): PendingNotification[] {
  const channels = pendingNotifications.get(client);
  pendingNotifications.delete(client);
  return channels ? [...channels.values()] : [];
}

export function connectionConfig(url: string, schema: string, max: number): PoolConfig {
  // Named after the schema, so pg_stat_activity (and a projection's "held back by") says whose session it
  // is; a name the URL or PGAPPNAME gives comes first.
  return { connectionString: url, max, options: `-c search_path=${schema},public`, fallback_application_name: `skills-${schema}` };
}

/** Postgres error codes this code reacts to. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_DEADLOCK = '40P01';
export const PG_SERIALIZATION_FAILURE = '40001';

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return pgError?.code === PG_UNIQUE_VIOLATION && (constraint === undefined || pgError.constraint === constraint);
}

/** Errors after which the same work may succeed later: lost connections, server shutting down. */
export function isTransientDatabaseError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (code && (code.startsWith('08') || code.startsWith('53') || code.startsWith('57P') || code === PG_SERIALIZATION_FAILURE || code === PG_DEADLOCK)) return true;
  if (code && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code)) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message ?? '');
}
