// A projection that meets an event it cannot apply, on a real PostgreSQL: after a few quick tries the
// event is parked with its error and the projection moves on (later events of the same stream wait
// behind it, in order); a transient error is never parked; a rebuild parks what it cannot replay; and
// after a fix a retry applies the parked events in order and empties the list.
import { Database, migrate } from '@skills/postgres';
import { createTestDatabase, TestDatabase } from '@skills/testing';
import { appendToStream, DomainEvent } from './event-store';
import { EventStoreSchema } from './event-store.schema';
import { ParkedEventsSchema } from './parked-events';
import { Projection, ProjectionRunner } from './projections';

type Counted = DomainEvent<'Counted', { by: number }>;
/** Fails with a lost-connection error its first `flakyFailures` times, then applies. */
type Flaky = DomainEvent<'Flaky', Record<string, never>>;

/** The "bug": totals in a smallint, which a count of 100000 overflows. The fix widens it. */
let totalType = 'smallint';
let flakyFailures = 0;

const tallies: Projection<Counted | Flaky> = {
  name: 'tallies',
  table: 'tallies',
  async createTable(tx, table) {
    await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (stream_id text PRIMARY KEY, total ${totalType} NOT NULL, events integer NOT NULL)`);
  },
  async apply(tx, table, event) {
    if (event.type === 'Flaky' && flakyFailures > 0) {
      flakyFailures--;
      throw Object.assign(new Error('Connection terminated unexpectedly'), { code: '08006' });
    }
    const by = event.type === 'Counted' ? event.data.by : 0;
    await tx.query(
      `INSERT INTO ${table} (stream_id, total, events) VALUES ($1, $2, 1)
       ON CONFLICT (stream_id) DO UPDATE SET total = ${table}.total + excluded.total, events = ${table}.events + 1`,
      [event.streamId, by],
    );
  },
};

const SCHEMA = 'parking';
/** Postgres names the value it could not store; the parked error leaves it out (it may be personal data). */
const OVERFLOW = 'SQLSTATE 22003: value "…" is out of range for type smallint';

describe('parked events: a projection never stalls on an event it cannot apply', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let runner: ProjectionRunner;
  const logged: string[] = [];

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, SCHEMA, [EventStoreSchema, ParkedEventsSchema]);
    database = new Database({ url: testDatabase.url, schema: SCHEMA });
    runner = new ProjectionRunner(database, [tallies], { pollIntervalMs: 50, onError: (error) => logged.push((error as Error).message) });
    await runner.start();
  });

  afterAll(async () => {
    await runner.stop();
    await database.close();
    await testDatabase.drop();
  });

  const append = async (streamId: string, event: Counted | Flaky) => {
    const { recorded } = await database.transaction((tx) => appendToStream(tx, SCHEMA, streamId, 'any', [event], { correlationId: 'test' }));
    return recorded[0].position.globalPosition;
  };
  const count = (streamId: string, by: number) => append(streamId, { type: 'Counted', data: { by } });
  const table = async () => (await database.query('SELECT stream_id, total, events FROM tallies ORDER BY stream_id')).rows;
  const status = async () => (await runner.status())[0];
  const head = async () => (await database.query<{ head: string }>('SELECT max(global_position)::text AS head FROM events')).rows[0].head;

  let tooBig: string;
  let behindIt: string;

  it('parks the event after three tries, with its error, and applies the events after it', async () => {
    await count('a', 1);
    tooBig = await count('big', 100_000);
    behindIt = await count('big', 1);
    await count('b', 2);
    await runner.caughtUp();

    expect(await table()).toEqual([
      { stream_id: 'a', total: 1, events: 1 },
      { stream_id: 'b', total: 2, events: 1 },
    ]);
    const { parkedEvents, parked, lag, position } = await status();
    expect({ parkedEvents, lag, checkpoint: position.globalPosition }).toEqual({ parkedEvents: 2, lag: 0, checkpoint: await head() });
    expect(parked).toEqual([
      expect.objectContaining({ globalPosition: tooBig, streamId: 'big', eventType: 'Counted', error: OVERFLOW, retriedAt: null }),
      // The stream's later event waits: applied first, it would have counted 1 where 100001 is due.
      expect.objectContaining({ globalPosition: behindIt, streamId: 'big', error: `waits behind the parked event at position ${tooBig} of the same stream` }),
    ]);
    // Two tries that failed, then parked on the third: a passing hiccup is not parked.
    expect(logged.filter((line) => line.includes(`could not apply event ${tooBig}`))).toHaveLength(2);
    expect(logged.filter((line) => line.startsWith(`tallies parked event ${tooBig}`))).toHaveLength(1);
  });

  it('never parks for a transient error: it tries again until it passes', async () => {
    flakyFailures = 5;
    await append('flaky', { type: 'Flaky', data: {} });
    await runner.caughtUp();
    expect(flakyFailures).toBe(0);
    expect((await table()).find((row) => row.stream_id === 'flaky')).toEqual({ stream_id: 'flaky', total: 0, events: 1 });
    expect((await status()).parkedEvents).toBe(2);
  });

  it('rebuilds with the same answers, parking again what the replay cannot apply', async () => {
    const before = await table();
    await runner.rebuild('tallies');
    expect(await table()).toEqual(before);
    expect((await status()).parked.map((event) => [event.globalPosition, event.error])).toEqual([
      [tooBig, OVERFLOW],
      [behindIt, `waits behind the parked event at position ${tooBig} of the same stream`],
    ]);
  });

  it('keeps a parked event that still fails on retry, with when it was retried', async () => {
    expect(await runner.retryParked('tallies')).toEqual({
      applied: [],
      parked: [
        expect.objectContaining({ globalPosition: tooBig, error: OVERFLOW, retriedAt: expect.any(String) }),
        expect.objectContaining({ globalPosition: behindIt, retriedAt: expect.any(String) }),
      ],
    });
    expect((await table()).find((row) => row.stream_id === 'big')).toBeUndefined();
  });

  it('after a fix, applies the parked events in order and empties the list; the stream flows again', async () => {
    totalType = 'integer';
    await database.query('ALTER TABLE tallies ALTER COLUMN total TYPE integer');
    expect(await runner.retryParked('tallies')).toEqual({ applied: [tooBig, behindIt], parked: [] });
    expect((await table()).find((row) => row.stream_id === 'big')).toEqual({ stream_id: 'big', total: 100_001, events: 2 });

    await count('big', 1);
    await runner.caughtUp();
    expect((await table()).find((row) => row.stream_id === 'big')).toEqual({ stream_id: 'big', total: 100_002, events: 3 });
    expect(await status()).toMatchObject({ parkedEvents: 0, parked: [], lag: 0 });
  });

  it('refuses to retry a projection it does not run', async () => {
    await expect(runner.retryParked('no-such-projection')).rejects.toThrow('unknown projection no-such-projection');
  });
});
