import { SharedTransaction, Sql, Transactions } from '@skills/postgres';
import { PoolClient } from 'pg';
import { keyDigest, sealAnswer, unsealAnswer } from './answer-sealing';

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

/** The caller of a public command (no token), whose keys are one shared space. */
export const PUBLIC_CALLER = 'public';

export async function findAnswer(sql: Sql, key: string, caller = PUBLIC_CALLER): Promise<StoredAnswer | undefined> {
  const { rows } = await sql.query<StoredAnswer & { sealed: boolean }>(
    'SELECT fingerprint, method, path, status, content_type AS "contentType", body, sealed FROM idempotency_keys WHERE caller = $1 AND key = $2',
    [caller, keyDigest(key)],
  );
  if (!rows[0]) return undefined;
  const { sealed, ...answer } = rows[0];
  return sealed && answer.body !== null ? { ...answer, body: unsealAnswer(answer.body, key, caller) } : answer;
}

/** Thrown into a handler whose key was answered by a concurrent repeat while it ran: it must stop. */
export class AnsweredMeanwhile extends Error {
  constructor() {
    super('a concurrent request with the same Idempotency-Key has answered; this one replays that answer');
  }
}

/**
 * One command's transaction under an Idempotency-Key: a SharedTransaction that every
 * `Transactions.run` of the handler joins (see `within`), serialised on the key with a
 * transaction-level advisory lock taken when it opens:
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
  /** The answer a concurrent request with this key committed while this one ran. */
  preempted?: StoredAnswer;
  /** The key stayed held by another request for KEY_WAIT_MS. */
  timedOut = false;

  private readonly shared: SharedTransaction;

  constructor(
    readonly transactions: Transactions,
    readonly key: string,
    /** Whose key it is: the signed-in user's id (keys are per caller). */
    readonly caller = PUBLIC_CALLER,
  ) {
    this.shared = new SharedTransaction(transactions.database, (client) => this.claim(client), true);
  }

  /** Runs the handler so that its `Transactions.run` calls join this request's transaction. */
  within<T>(handler: () => Promise<T>): Promise<T> {
    return this.transactions.joining(this.shared, handler);
  }

  /** Begins the transaction, takes the key and checks that no answer was stored meanwhile. */
  open(): Promise<PoolClient> {
    return this.shared.open();
  }

  /** Inserts the answer in the request transaction (opening it if the handler never wrote). */
  store(answer: StoredAnswer): Promise<void> {
    return this.shared.finish(async (client) => {
      await client.query(
        `INSERT INTO idempotency_keys (key, fingerprint, method, path, status, content_type, body, caller, sealed)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true)`,
        [keyDigest(this.key), answer.fingerprint, answer.method, answer.path, answer.status, answer.contentType, answer.body === null ? null : sealAnswer(answer.body, this.key, this.caller), this.caller],
      );
    });
  }

  commit(): Promise<void> {
    return this.shared.commit();
  }

  rollback(): Promise<void> {
    return this.shared.rollback();
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
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`idempotency:${this.transactions.database.schema}:${this.caller}:${this.key}`]);
    } catch (error) {
      if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) this.timedOut = true;
      throw error;
    }
    const stored = await findAnswer(client, this.key, this.caller);
    if (stored) {
      this.preempted = stored;
      throw new AnsweredMeanwhile();
    }
  }
}
