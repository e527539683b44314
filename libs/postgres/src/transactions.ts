import { AsyncLocalStorage } from 'node:async_hooks';
import { PoolClient } from 'pg';
import { Database, endsOwnedByCaller, isTransientDatabaseError, TransactionEnds } from './database';
import { sendWithNextQuery, settledTransactionStatus } from './statements';

/** The shared transaction the current async context works in (set by `Transactions.joining`), or a scope of one per database. */
const ambient = new AsyncLocalStorage<SharedTransaction | TransactionScope>();
/** Set while a step of a shared transaction runs, so steps nested in it do not queue behind themselves. */
const steps = new AsyncLocalStorage<SharedTransaction>();

/**
 * Where write-side work runs: the one transaction API that the command pipeline and the HTTP
 * idempotency layer share. `run(work)` is a transaction of its own, unless the caller runs inside
 * `joining(shared, …)` for this database: then `work` is one step of that shared transaction, in a
 * savepoint, so a refused step (a unique violation, a stale version) rolls back alone, just as its own
 * transaction would have. Relays, projections and consumers use `Database.transaction`, which never
 * joins anything.
 */
export class Transactions {
  constructor(readonly database: Database) {}

  run<T>(work: (tx: PoolClient) => Promise<T>): Promise<T> {
    const shared = this.shared();
    if (!shared || shared.database !== this.database || shared.closed) return this.database.transaction(work);
    return shared.step(work, () => this.database.transaction(work));
  }

  /**
   * As `run`, for work that sends its first statements with BEGIN and its last with COMMIT
   * (Database.compactTransaction); a step of a shared transaction sends them as they are.
   */
  runCompact<T>(work: (tx: PoolClient, ends: TransactionEnds) => Promise<T>): Promise<T> {
    const shared = this.shared();
    if (!shared || shared.database !== this.database || shared.closed) return this.database.compactTransaction(work);
    return shared.step((tx) => work(tx, endsOwnedByCaller(tx)), () => this.database.compactTransaction(work));
  }

  /** Whether `run` here joins a shared transaction (an Idempotency-Key's, a dry run's) rather than opening its own. */
  get joinsShared(): boolean {
    const shared = this.shared();
    return shared !== undefined && shared.database === this.database && !shared.closed;
  }

  /** Runs `body` so that every `run` in it (on this database) joins `shared`. */
  joining<T>(shared: SharedTransaction, body: () => Promise<T>): Promise<T> {
    return ambient.run(shared, body);
  }

  /** The shared transaction `run` would join here: the ambient one, or the scope's for this database. */
  private shared(): SharedTransaction | undefined {
    const store = ambient.getStore();
    return store instanceof TransactionScope ? store.on(this.database) : store;
  }
}

/**
 * Work in which every `Transactions.run`, on whichever database, joins one shared transaction per
 * database, each opened at its first step and all decided at the end: a consumer's batch of messages,
 * each message a savepoint (a refused one rolls back alone), one commit for all.
 */
export class TransactionScope {
  private readonly transactions = new Map<Database, SharedTransaction>();
  /** What the steps handed over to be done together (`gather`), by key, in the order first handed. */
  private readonly gathered = new Map<unknown, { items: unknown[]; doAll: (items: unknown[]) => Promise<void> }>();
  /** Set once `run`'s body has ended: what was gathered is being done, nothing more is taken. */
  private deciding = false;
  /** Set once `run`'s body has ended, as its transactions are decided. */
  private ended = false;

  private constructor(private readonly gathers: boolean) {}

  /**
   * Runs `body` in the scope, then commits every transaction it opened; rolls them back if it throws.
   * `gather`: steps may hand work over to be done together before the commit (`gather`); a scope
   * without it has every step do its own.
   */
  static async run<T>(body: () => Promise<T>, { gather = false } = {}): Promise<T> {
    const scope = new TransactionScope(gather);
    try {
      const result = await ambient.run(scope, async () => {
        const result = await body();
        scope.deciding = true;
        await scope.doGathered();
        return result;
      });
      scope.ended = true;
      await scope.commitOpen();
      return result;
    } catch (error) {
      scope.ended = true;
      for (const shared of scope.transactions.values()) await shared.rollback();
      throw error;
    }
  }

  /**
   * Commits what the scope's steps have written so far, after the steps in flight; later steps open
   * new transactions. For a message whose handler reads through the pool, or in a transaction of its
   * own, what the messages before it in the batch wrote: uncommitted, that is invisible to it. What the
   * steps gathered so far (`gather`) is done first. The transports call it between two messages
   * (applyInChunks), never from within a step. Outside a scope it does nothing.
   */
  static async commitSoFar(): Promise<void> {
    const scope = ambient.getStore();
    if (!(scope instanceof TransactionScope)) return;
    await scope.doGathered();
    await scope.commitOpen();
  }

  /**
   * The most savepoints any of the scope's open transactions has taken (each step's, each nested one's;
   * those that sent nothing are not counted), and one more for each consumer's work gathered so far,
   * which takes its step at the commit. Postgres keeps up to 64 subtransactions of a transaction that
   * were given a transaction id (wrote or locked a row) in shared memory; past that, the snapshots taken
   * on the server while it runs are marked overflowed, and their visibility checks read pg_subtrans,
   * which slows every reader. The transports commit before a chunk's next message as it nears that
   * (applyInChunks). 0 outside a scope.
   */
  static savepointsSoFar(): number {
    const scope = ambient.getStore();
    if (!(scope instanceof TransactionScope)) return 0;
    return Math.max(0, ...[...scope.transactions.values()].map((shared) => shared.savepointsTaken)) + scope.gathered.size;
  }

  /**
   * Hands `item` over to be done with the other items of `key` by one call of `doAll`, before the
   * scope's transactions commit (at its end, or at `commitSoFar`), in the order they were handed, in
   * the scope: `doAll`'s `Transactions.run` joins its transactions. Every item of a key is done by the
   * `doAll` its first item came with. Answers false, and keeps nothing, outside a scope that gathers,
   * and once its body has ended (a step still running then): the caller then does its item itself. If
   * `doAll` fails, the scope fails with GatheredWorkFailed (a transient database error as it is), and
   * everything in it is rolled back.
   */
  static gather<T>(key: unknown, item: T, doAll: (items: T[]) => Promise<void>): boolean {
    const scope = ambient.getStore();
    if (!(scope instanceof TransactionScope) || !scope.gathers || scope.deciding || scope.ended) return false;
    let gathered = scope.gathered.get(key);
    if (!gathered) scope.gathered.set(key, (gathered = { items: [], doAll: doAll as (items: unknown[]) => Promise<void> }));
    gathered.items.push(item);
    return true;
  }

  /** Does what was gathered so far, key by key in the order they came. */
  private async doGathered(): Promise<void> {
    for (const [key, { items, doAll }] of this.gathered) {
      this.gathered.delete(key);
      try {
        await doAll(items);
      } catch (error) {
        throw isTransientDatabaseError(error) ? error : new GatheredWorkFailed(error);
      }
    }
  }

  /**
   * Commits the transactions opened so far and forgets them. If one fails, those not yet committed
   * are rolled back; those on other databases committed before it stay (the delivery comes again,
   * and the inbox counts what they applied once).
   */
  private async commitOpen(): Promise<void> {
    const open = [...this.transactions.values()];
    this.transactions.clear();
    try {
      for (const shared of open) await shared.commit();
    } catch (error) {
      for (const shared of open) await shared.rollback();
      throw error;
    }
  }

  /**
   * The scope's transaction on `database`, opened at its first step; none once the scope is being
   * decided: a handler still running then (Nest's forkJoin gives up on a message at its first failed
   * handler, the others go on) works in a transaction of its own rather than one nobody would end. Its
   * message's effect for that consumer may then come before those of the messages ahead of it in the
   * rolled-back chunk, applied again after it (rare: a transient failure of a sibling handler).
   */
  on(database: Database): SharedTransaction | undefined {
    if (this.ended) return undefined;
    let shared = this.transactions.get(database);
    if (!shared) this.transactions.set(database, (shared = new SharedTransaction(database)));
    return shared;
  }
}

/** Work a scope gathered failed (its `cause`): the scope is rolled back, to be done again step by step. */
export class GatheredWorkFailed extends Error {
  override name = 'GatheredWorkFailed';

  constructor(override readonly cause: unknown) {
    // Not the cause's message: it may quote what the work wrote.
    super("work gathered from a transaction scope's steps failed");
  }
}

/**
 * One transaction that several steps of a caller join, opened lazily at the first step (so a caller
 * that waits before it writes holds no connection) and decided once at the end by `commit` or
 * `rollback`. `onOpen` runs first in it: the idempotency layer takes its key there.
 */
export class SharedTransaction {
  /** Set once the transaction is being decided: later steps (stray timers) run on their own. */
  closed = false;

  private opening?: Promise<PoolClient>;
  private decide?: { commit: () => void; rollback: (reason: Error) => void };
  private settled?: Promise<void>;
  private tail: Promise<unknown> = Promise.resolve();
  /** The last step's savepoint is yet to be released: with the next step's SAVEPOINT, or by the COMMIT. */
  private releasePending = false;
  /** Savepoints taken so far (TransactionScope.savepointsSoFar). */
  private savepoints = 0;

  constructor(
    readonly database: Database,
    private readonly onOpen: (client: PoolClient) => Promise<void> = async () => undefined,
    /** An HTTP request's (Database.requestTransaction: few at once), not a consumer's or a job's. */
    private readonly ofRequest = false,
  ) {}

  get savepointsTaken(): number {
    return this.savepoints;
  }

  get started(): boolean {
    return this.opening !== undefined;
  }

  /** Begins the transaction (once) and runs `onOpen` in it. */
  open(): Promise<PoolClient> {
    this.opening ??= new Promise<PoolClient>((opened, failed) => {
      const decided = new Promise<void>((commit, rollback) => (this.decide = { commit, rollback }));
      decided.catch(() => undefined);
      // Database.transaction does BEGIN/COMMIT/ROLLBACK and the wake-ups after commit; the
      // transaction stays open until commit() or rollback() decides.
      const begin = this.ofRequest ? this.database.requestTransaction.bind(this.database) : this.database.transaction.bind(this.database);
      // A session the server ends meanwhile fails the next query (every pooled client has an error listener: Database).
      this.settled = begin(async (client) => {
        await this.onOpen(client);
        opened(client);
        await decided;
      });
      this.settled.catch(failed);
    });
    return this.opening;
  }

  /** One step: on the shared connection, in a savepoint, one at a time; `fallback` once closed. */
  async step<T>(work: (client: PoolClient) => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    if (steps.getStore() === this) {
      this.savepoints++;
      return inSavepoint(await this.open(), work);
    }
    const run = async () => {
      if (this.closed) return fallback();
      const client = await this.open();
      return steps.run(this, () => this.inSavepointOfNoRoundTrip(client, work));
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /**
   * A step in a savepoint that costs no round trip of its own: the SAVEPOINT, and the RELEASE of the
   * step before, go with the step's first statement. A step that fails rolls back to its savepoint at
   * once; one that sent nothing has nothing to roll back.
   */
  private async inSavepointOfNoRoundTrip<T>(client: PoolClient, work: (client: PoolClient) => Promise<T>): Promise<T> {
    let taken = false;
    const ahead = [...(this.releasePending ? ['RELEASE SAVEPOINT shared_step'] : []), 'SAVEPOINT shared_step'];
    const cancel = sendWithNextQuery(client, ahead, () => {
      taken = true;
      this.savepoints++;
      this.releasePending = false;
    });
    try {
      const result = await work(client);
      // A work that caught its own statement's error leaves the transaction failed: the step fails
      // here, undone alone, as its RELEASE sent at once would have made it.
      if (taken && (await settledTransactionStatus(client)) === 'E') throw new Error('a statement of this step failed and the step went on: it is undone');
      if (taken) this.releasePending = true;
      return result;
    } catch (error) {
      if (taken) await client.query('ROLLBACK TO SAVEPOINT shared_step; RELEASE SAVEPOINT shared_step').catch(() => undefined);
      throw error;
    } finally {
      cancel();
    }
  }

  /** The last write, after every step: no step starts after it. */
  async finish(work: (client: PoolClient) => Promise<void>): Promise<void> {
    const client = await this.open();
    this.closed = true;
    await this.tail;
    await work(client);
  }

  /** After the steps in flight (never call it from a step): none may use the connection once it is released. */
  async commit(): Promise<void> {
    this.closed = true;
    await this.tail;
    this.decide?.commit();
    await this.settled;
  }

  /** After the steps in flight, as commit. */
  async rollback(): Promise<void> {
    this.closed = true;
    await this.tail;
    this.decide?.rollback(new Error('shared transaction rolled back'));
    await this.settled?.catch(() => undefined);
  }
}

/** A step inside a step, in a savepoint of its own, released at once (so the outer one's stays the one to roll back to). */
async function inSavepoint<T>(client: PoolClient, work: (client: PoolClient) => Promise<T>): Promise<T> {
  await client.query('SAVEPOINT shared_step');
  try {
    const result = await work(client);
    await client.query('RELEASE SAVEPOINT shared_step');
    return result;
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT shared_step; RELEASE SAVEPOINT shared_step').catch(() => undefined);
    throw error;
  }
}
