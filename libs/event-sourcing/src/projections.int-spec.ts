// The projection runner on a real PostgreSQL: catching up from the log, and a rebuild into a shadow
// table that replaces the live one with the same answers, its indexes and a checkpoint at the head.
import { Client } from 'pg';
import { Database, migrate } from '@skills/postgres';
import { createTestDatabase, TestDatabase } from '@skills/testing';
import { appendToStream, DomainEvent } from './event-store';
import { EventStoreSchema } from './event-store.schema';
import { ParkedEventsSchema } from './parked-events';
import { Projection, ProjectionRunner } from './projections';

type Counted = DomainEvent<'Counted', { by: number }>;
type Ignored = DomainEvent<'Ignored', Record<string, never>>;

/** Per stream, how much was counted and how many events it took. */
const totals: Projection<Counted | Ignored> = {
  name: 'totals',
  table: 'totals',
  async createTable(tx, table) {
    await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (stream_id text PRIMARY KEY, total integer NOT NULL, events integer NOT NULL)`);
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_by_total ON ${table} (total)`);
  },
  async apply(tx, table, event) {
    if (event.type !== 'Counted') return;
    await tx.query(
      `INSERT INTO ${table} (stream_id, total, events) VALUES ($1, $2, 1)
       ON CONFLICT (stream_id) DO UPDATE SET total = ${table}.total + excluded.total, events = ${table}.events + 1`,
      [event.streamId, event.data.by],
    );
  },
};

const SCHEMA = 'projections';

describe('the projection runner', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, SCHEMA, [EventStoreSchema, ParkedEventsSchema]);
    database = new Database({ url: testDatabase.url, schema: SCHEMA });
    runner = new ProjectionRunner(database, [totals], { pollIntervalMs: 50 });
    await runner.start();
  });

  afterAll(async () => {
    await runner.stop();
    await database.close();
    await testDatabase.drop();
  });

  const count = (streamId: string, expectedVersion: number, ...amounts: number[]) =>
    database.transaction((tx) =>
      appendToStream(tx, SCHEMA, streamId, expectedVersion, amounts.map((by): Counted => ({ type: 'Counted', data: { by } })), { correlationId: 'test' }),
    );
  const table = async () => (await database.query('SELECT stream_id, total, events FROM totals ORDER BY stream_id')).rows;
  const indexes = async () => (await database.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'totals' ORDER BY indexname", [SCHEMA])).rows.map((row) => row.indexname);

  it('applies each event once, in log order, and reports no lag once caught up', async () => {
    await count('a', 0, 1, 2);
    await count('b', 0, 5);
    await database.transaction((tx) => appendToStream(tx, SCHEMA, 'c', 0, [{ type: 'Ignored', data: {} }], { correlationId: 'test' }));
    await count('a', 2, 3);
    await runner.caughtUp();
    expect(await table()).toEqual([
      { stream_id: 'a', total: 6, events: 3 },
      { stream_id: 'b', total: 5, events: 1 },
    ]);
    expect(await runner.status()).toEqual([expect.objectContaining({ projection: 'totals', lag: 0, rebuilding: false })]);
  });

  it('rebuilds from the whole log into a shadow table and swaps it in: same answers, same indexes', async () => {
    const before = await table();
    const indexesBefore = await indexes();
    // A read model gone wrong (a bug, a manual edit): the rebuild must not depend on what is there.
    await database.query("UPDATE totals SET total = -1 WHERE stream_id = 'a'");
    await runner.rebuild('totals');
    expect(await table()).toEqual(before);
    expect(await indexes()).toEqual(indexesBefore);
    expect(indexesBefore).toContain('totals_by_total');
    const { rows } = await database.query("SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename LIKE 'totals\\_\\_rebuild%'", [SCHEMA]);
    expect(rows).toEqual([]);
  });

  it('goes on from the rebuilt checkpoint: later events are applied once, and a second rebuild agrees', async () => {
    await count('b', 1, 10);
    await runner.caughtUp();
    expect(await table()).toEqual([
      { stream_id: 'a', total: 6, events: 3 },
      { stream_id: 'b', total: 15, events: 2 },
    ]);
    await runner.rebuild('totals');
    expect(await table()).toEqual([
      { stream_id: 'a', total: 6, events: 3 },
      { stream_id: 'b', total: 15, events: 2 },
    ]);
  });

  it('runs one rebuild of a projection at a time, whichever replica asks: a second is refused while the first runs, and the read model agrees with one rebuild', async () => {
    const before = await table();
    // Another replica: its own runner on the same database (never started: it only rebuilds).
    const otherReplica = new ProjectionRunner(database, [totals]);
    // The first rebuild kept from its swap (the projection's lock held, as the live loop may hold it), so it runs while the others ask.
    const swapHolder = new Client({ connectionString: testDatabase.url });
    await swapHolder.connect();
    await swapHolder.query('BEGIN');
    await swapHolder.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`projection:${SCHEMA}:totals`]);
    const first = await runner.startRebuild('totals');
    try {
      await expect(otherReplica.startRebuild('totals')).rejects.toMatchObject({ rule: 'rebuild_in_progress' });
      await expect(runner.startRebuild('totals')).rejects.toMatchObject({ rule: 'rebuild_in_progress' });
    } finally {
      await swapHolder.query('COMMIT');
      await swapHolder.end();
    }
    await first.done;
    expect(await table()).toEqual(before);
    // Once it has ended, another may start.
    await otherReplica.rebuild('totals');
    expect(await table()).toEqual(before);
  });

  it('stops a rebuild whose lock’s connection is lost, swapping nothing in, and lets the next one run', async () => {
    // Slow enough (100 ms an event) that the lock's connection is cut while the replay goes on.
    const slowTotals: Projection<Counted | Ignored> = {
      ...totals,
      name: 'slow-totals',
      table: 'slow_totals',
      async apply(tx, table, event) {
        await tx.query('SELECT pg_sleep(0.1)');
        await totals.apply(tx, table, event);
      },
    };
    const slowRunner = new ProjectionRunner(database, [slowTotals]);
    const { done } = await slowRunner.startRebuild('slow-totals');
    const outcome = done.then(
      () => 'swapped',
      (error: Error) => error.message,
    );
    // A restart or failover as the lock's session sees it (its process ends; the lock goes with it).
    await database.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'skills-projections-rebuild'");
    expect(await outcome).toMatch(/^the rebuild of slow-totals lost its lock/);
    const live = async () => (await database.query<{ live: string | null }>("SELECT to_regclass('slow_totals')::text AS live")).rows[0].live;
    expect(await live()).toBeNull();
    await slowRunner.rebuild('slow-totals');
    expect(await live()).toBe('slow_totals');
  });

  it('refuses to rebuild a projection it does not run', async () => {
    await expect(runner.rebuild('no-such-projection')).rejects.toThrow('unknown projection no-such-projection');
  });

  it('names, when it cannot catch up in time, the open transaction that holds the readers back, without its query', async () => {
    const holder = new Client({ connectionString: testDatabase.url, application_name: 'held-open-by-test' });
    await holder.connect();
    try {
      // A transaction that has written (it holds an xid) and stays open: events committed after it
      // began lie above pg_snapshot_xmin, where no reader goes yet.
      await holder.query('BEGIN');
      await holder.query("SELECT pg_current_xact_id(), 'a secret literal' AS kept_out");
      await count('d', 0, 7);
      const timedOut = runner.caughtUp(300);
      await expect(timedOut).rejects.toThrow(/^projection totals is still 1 events behind after 300 ms; the oldest writing transaction on the server is ([\d.]+ s old|of unknown age) \(database \S+, application '[^']*', [a-z ()]+\)$/);
      await expect(timedOut).rejects.not.toThrow(/secret/);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    await runner.caughtUp();
    expect(await table()).toContainEqual({ stream_id: 'd', total: 7, events: 1 });
  });
});

describe('two replicas starting on an empty database', () => {
  it('both start: one creates the tables, the other waits for it and finds them', async () => {
    const testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, SCHEMA, [EventStoreSchema, ParkedEventsSchema]);
    const databases = [0, 1].map(() => new Database({ url: testDatabase.url, schema: SCHEMA }));
    // Slow to create, as a larger table with its indexes is: both would be in the middle of it at once.
    const slow: Projection<Counted | Ignored> = {
      ...totals,
      async createTable(tx, table) {
        await tx.query('SELECT pg_sleep(0.3)');
        await totals.createTable(tx, table);
      },
    };
    const runners = databases.map((database) => new ProjectionRunner(database, [slow], { pollIntervalMs: 50 }));
    try {
      const started = await Promise.allSettled(runners.map((runner) => runner.start()));
      expect(started.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled']);
    } finally {
      for (const runner of runners) await runner.stop();
      for (const database of databases) await database.close();
      await testDatabase.drop();
    }
  });
});
