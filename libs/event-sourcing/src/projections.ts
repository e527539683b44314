import { PoolClient } from 'pg';
import { Database, NotificationListener, WakeableLoop } from '@skills/postgres';
import { DomainEvent, eventsChannel, LOG_START, LogPosition, readAll, RecordedEvent } from './event-store';

/**
 * A read model kept from the service's own log: `evolve(readModel, event)` written as SQL against a
 * table whose name is passed in, so the same code fills the live table and a rebuild's shadow table.
 * `createTable` must be idempotent (IF NOT EXISTS); indexes unnamed so a shadow can coexist.
 *
 * `Event` is the union of the events the projection reads. The log of a service holds every stream's
 * events, so `apply` also receives others: it switches on `type` and ignores what it does not know
 * (the type says which names it can expect, not that no other name arrives).
 */
export interface Projection<Event extends DomainEvent = DomainEvent> {
  name: string;
  table: string;
  createTable(tx: PoolClient, table: string): Promise<void>;
  apply(tx: PoolClient, table: string, event: RecordedEvent<Event>): Promise<void>;
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
}

const BATCH = 500;
const REBUILD_SUFFIX = '__rebuild';

export class ProjectionRunner {
  private readonly loops = new Map<string, WakeableLoop>();
  private readonly listener: NotificationListener;
  private readonly rebuilds = new Map<string, number>();

  constructor(
    private readonly database: Database,
    private readonly projections: AnyProjection[],
    private readonly options: { pollIntervalMs?: number; onError?: (error: unknown) => void } = {},
  ) {
    this.listener = new NotificationListener(database.options.url, [eventsChannel(database.schema)], () =>
      this.loops.forEach((loop) => loop.wake()),
    );
  }

  async start(): Promise<void> {
    for (const projection of this.projections) {
      await this.database.transaction((tx) => projection.createTable(tx, projection.table));
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

  /** Resolves once every projection has applied everything committed before the call. */
  /**
   * Resolves once every projection has applied everything committed before the call. Waking the loops
   * is not enough: a reader stops below the oldest transaction still open anywhere on the server
   * (pg_snapshot_xmin), so it may go idle short of the head and be woken again later.
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
        if (Date.now() > deadline) throw new Error(`projection ${projection.name} is still ${behind} events behind after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
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
        return {
          projection: projection.name,
          position,
          lag: Math.max(0, head - Number(position.globalPosition)),
          rebuilding: this.rebuilds.has(projection.name),
          rebuildProgress: this.rebuilds.get(projection.name),
        };
      }),
    );
  }

  /**
   * Replays the whole log into a shadow table while the live table keeps answering, then swaps
   * them in one transaction under the projection's lock (the live loop waits meanwhile).
   */
  async rebuild(name: string): Promise<void> {
    const projection = this.projections.find((candidate) => candidate.name === name);
    if (!projection) throw new Error(`unknown projection ${name}`);
    const shadow = `${projection.table}${REBUILD_SUFFIX}`;
    this.rebuilds.set(name, 0);
    try {
      await this.database.transaction(async (tx) => {
        await tx.query(`DROP TABLE IF EXISTS ${shadow}`);
        await projection.createTable(tx, shadow);
      });
      let position = LOG_START;
      let applied = 0;
      for (;;) {
        const batch = await this.database.transaction((tx) => applyBatch(tx, projection, shadow, position));
        if (batch.count === 0) break;
        position = batch.position;
        applied += batch.count;
        this.rebuilds.set(name, applied);
      }
      await this.database.transaction(async (tx) => {
        await lockProjection(tx, this.database.schema, name);
        for (;;) {
          const batch = await applyBatch(tx, projection, shadow, position);
          if (batch.count === 0) break;
          position = batch.position;
        }
        await tx.query(`DROP TABLE IF EXISTS ${projection.table}`);
        await tx.query(`ALTER TABLE ${shadow} RENAME TO ${projection.table}`);
        await renameShadowIndexes(tx, projection.table);
        await writeCheckpoint(tx, name, position);
      });
    } finally {
      this.rebuilds.delete(name);
    }
  }

  private catchUp(projection: AnyProjection): Promise<boolean> {
    return this.database.transaction(async (tx) => {
      await lockProjection(tx, this.database.schema, projection.name);
      const from = await readCheckpoint(tx, projection.name);
      const batch = await applyBatch(tx, projection, projection.table, from);
      if (batch.count > 0) await writeCheckpoint(tx, projection.name, batch.position);
      return batch.count === BATCH;
    });
  }
}

async function applyBatch(tx: PoolClient, projection: AnyProjection, table: string, after: LogPosition) {
  const events = await readAll(tx, after, BATCH);
  for (const event of events) await projection.apply(tx, table, event);
  return { count: events.length, position: events.length > 0 ? events[events.length - 1].position : after };
}

async function lockProjection(tx: PoolClient, schema: string, name: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`projection:${schema}:${name}`]);
}

async function readCheckpoint(tx: PoolClient, name: string): Promise<LogPosition> {
  const { rows } = await tx.query<{ transaction_id: string; global_position: string }>(
    'SELECT transaction_id::text AS transaction_id, global_position::text AS global_position FROM projection_checkpoints WHERE projection = $1',
    [name],
  );
  return rows[0] ? { transactionId: rows[0].transaction_id, globalPosition: rows[0].global_position } : LOG_START;
}

async function writeCheckpoint(tx: PoolClient, name: string, position: LogPosition): Promise<void> {
  await tx.query(
    `INSERT INTO projection_checkpoints (projection, transaction_id, global_position, updated_at)
     VALUES ($1, $2::xid8, $3, now())
     ON CONFLICT (projection) DO UPDATE SET transaction_id = excluded.transaction_id,
       global_position = excluded.global_position, updated_at = now()`,
    [name, position.transactionId, position.globalPosition],
  );
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
