import { Database, DatabaseOptions, Sql } from '@skills/event-sourcing';
import { AsyncLocalStorage } from 'node:async_hooks';
import { PoolClient, QueryConfig, QueryResult, QueryResultRow } from 'pg';

/** A command's first answer as stored under its Idempotency-Key. */
export interface StoredAnswer {
  fingerprint: string;
  method: string;
  path: string;
  status: number;
  contentType: string;
  /** The JSON text exactly as first sent; null for an empty answer (204). */
  body: string | null;
}

/** How long a repeat waits for the request that holds its key before it is answered "in progress". */
export const KEY_WAIT_MS = 60_000;
/**
 * A request transaction left idle this long (its process hung after the command's first write) is
 * ended by the server, which rolls the command back and releases the key for a repeat.
 */
export const IDLE_REQUEST_TRANSACTION_MS = 60_000;

const LOCK_NOT_AVAILABLE = '55P03';

/** The idempotent request whose handler runs in this async context (set by the interceptor). */
const requests = new AsyncLocalStorage<RequestTransaction>();
/** Set while a step of that request runs, so calls nested in it do not queue behind themselves. */
const steps = new AsyncLocalStorage<RequestTransaction>();

export async function findAnswer(sql: Sql, key: string): Promise<StoredAnswer | undefined> {
  const { rows } = await sql.query<StoredAnswer>(
    'SELECT fingerprint, method, path, status, content_type AS "contentType", body FROM idempotency_keys WHERE key = $1',
    [key],
  );
  return rows[0];
}

/** Thrown into a handler whose key was answered by a concurrent repeat while it ran: it must stop. */
export class AnsweredMeanwhile extends Error {
  constructor() {
    super('a concurrent request with the same Idempotency-Key has answered; this one replays that answer');
  }
}

/**
 * The database of one service as its request handlers see it. Outside an idempotent request it is
 * exactly `Database`. Inside one (a command sent with an Idempotency-Key, see IdempotencyInterceptor)
 * every `transaction` of the handler, and every `query` from its first `transaction` on, joins one
 * request transaction, each step in a savepoint so that a refused step (a unique violation, a stale
 * version) rolls back alone just as its own transaction would have. The interceptor writes the answer
 * in that same transaction and commits: the command's effects and its stored answer commit together
 * or not at all. `background` is the same pool without any of this, for relays, projections and
 * consumers, which must never join a request's transaction even when a handler happens to wake them.
 */
export class ServiceDatabase extends Database {
  readonly background: Database;

  constructor(options: DatabaseOptions) {
    super(options);
    const background = Object.create(this) as Database;
    Object.defineProperties(background, {
      query: { value: super.query.bind(this) },
      transaction: { value: super.transaction.bind(this) },
    });
    this.background = background;
  }

  override query<Row extends QueryResultRow = QueryResultRow>(text: string | QueryConfig, values?: unknown[]): Promise<QueryResult<Row>> {
    const request = this.currentRequest();
    // Reads before the first write go to the pool as usual: there is nothing of the request to see yet.
    if (!request?.started) return super.query<Row>(text, values);
    return request.step(
      (client) => client.query<Row>(text as string, values),
      () => super.query<Row>(text, values),
    );
  }

  override transaction<T>(work: (tx: PoolClient) => Promise<T>): Promise<T> {
    const request = this.currentRequest();
    if (!request) return super.transaction(work);
    return request.step(work, () => super.transaction(work));
  }

  /** A transaction of its own, never joined to a request's (the request transaction itself is one). */
  separateTransaction<T>(work: (tx: PoolClient) => Promise<T>): Promise<T> {
    return super.transaction(work);
  }

  /** Runs a handler so that its calls on this database join `request`. */
  runWithin<T>(request: RequestTransaction, handler: () => Promise<T>): Promise<T> {
    return requests.run(request, handler);
  }

  private currentRequest(): RequestTransaction | undefined {
    const request = requests.getStore();
    return request && request.database === this && !request.closed ? request : undefined;
  }
}

/**
 * One command's transaction under an Idempotency-Key, opened lazily at the handler's first write
 * (so a handler waiting for a replica before it writes holds neither a connection nor the key) and
 * serialised on the key with a transaction-level advisory lock:
 *
 * - the first request to take the lock finds no stored answer and runs on; its answer is inserted
 *   and committed with the command's events, which releases the lock;
 * - a concurrent repeat waits on the lock, then finds that answer (`preempted`): its handler is
 *   stopped (AnsweredMeanwhile) before it writes anything, and the interceptor replays the answer;
 * - if the first request fails (5xx, or an answer that is not stored), it rolls back, nothing is
 *   stored, and the next waiter runs the command itself;
 * - if its process dies, Postgres ends the session: the transaction rolls back and the lock is gone.
 *   A hung process is cut off by idle_in_transaction_session_timeout. No key is ever left "in
 *   progress": there is no such row, only a lock that lives exactly as long as the transaction.
 */
export class RequestTransaction {
  /** Set once the answer is being written: later calls (stray timers of the handler) use the pool. */
  closed = false;
  /** The answer a concurrent request with this key committed while this one ran. */
  preempted?: StoredAnswer;
  /** The key stayed held by another request for KEY_WAIT_MS. */
  timedOut = false;

  private opening?: Promise<PoolClient>;
  private decide?: { commit: () => void; rollback: (reason: Error) => void };
  private settled?: Promise<void>;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly database: ServiceDatabase,
    readonly key: string,
  ) {}

  get started(): boolean {
    return this.opening !== undefined;
  }

  /** Begins the transaction, takes the key and checks that no answer was stored meanwhile. */
  open(): Promise<PoolClient> {
    this.opening ??= new Promise<PoolClient>((opened, failed) => {
      const decided = new Promise<void>((commit, rollback) => (this.decide = { commit, rollback }));
      decided.catch(() => undefined);
      // Database.transaction does BEGIN/COMMIT/ROLLBACK and the wake-ups after commit; the
      // transaction stays open until commit() or rollback() decides.
      this.settled = this.database.separateTransaction(async (client) => {
        // A checked-out pg client has no error listener: a session ended by the server while idle
        // (the idle timeout below) must fail the next query, not crash the process.
        const ignore = () => undefined;
        client.on('error', ignore);
        try {
          await this.claim(client);
          opened(client);
          await decided;
        } finally {
          client.removeListener('error', ignore);
        }
      });
      this.settled.catch(failed);
    });
    return this.opening;
  }

  /** One database step of the handler: on the request's connection, in a savepoint, one at a time. */
  async step<T>(work: (client: PoolClient) => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    if (steps.getStore() === this) return inSavepoint(await this.open(), work);
    const run = async () => {
      if (this.closed) return fallback();
      const client = await this.open();
      return steps.run(this, () => inSavepoint(client, work));
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Inserts the answer in the request transaction (opening it if the handler never wrote). */
  async store(answer: StoredAnswer): Promise<void> {
    const client = await this.open();
    this.closed = true;
    await this.tail;
    await client.query(
      `INSERT INTO idempotency_keys (key, fingerprint, method, path, status, content_type, body)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [this.key, answer.fingerprint, answer.method, answer.path, answer.status, answer.contentType, answer.body],
    );
  }

  async commit(): Promise<void> {
    this.closed = true;
    this.decide?.commit();
    await this.settled;
  }

  async rollback(): Promise<void> {
    this.closed = true;
    this.decide?.rollback(new Error('idempotent request rolled back'));
    await this.settled?.catch(() => undefined);
  }

  private async claim(client: PoolClient): Promise<void> {
    // Local to this transaction: bound the wait for the key (and any later lock wait of the command),
    // and let the server end the transaction if its process stops talking to it.
    await client.query("SELECT set_config('lock_timeout', $1, true), set_config('idle_in_transaction_session_timeout', $2, true)", [
      `${KEY_WAIT_MS}ms`,
      `${IDLE_REQUEST_TRANSACTION_MS}ms`,
    ]);
    try {
      // The service's schema is part of the lock key: several services may share one database.
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`idempotency:${this.database.schema}:${this.key}`]);
    } catch (error) {
      if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) this.timedOut = true;
      throw error;
    }
    const stored = await findAnswer(client, this.key);
    if (stored) {
      this.preempted = stored;
      throw new AnsweredMeanwhile();
    }
  }
}

async function inSavepoint<T>(client: PoolClient, work: (client: PoolClient) => Promise<T>): Promise<T> {
  await client.query('SAVEPOINT request_step');
  try {
    const result = await work(client);
    await client.query('RELEASE SAVEPOINT request_step');
    return result;
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT request_step; RELEASE SAVEPOINT request_step').catch(() => undefined);
    throw error;
  }
}
