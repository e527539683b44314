import { createTestDatabase, TestDatabase, waitFor } from '@skills/testing';
import { Client } from 'pg';
import { Database, migrate, NotificationListener } from '@skills/postgres';
import { appendToStream, appendToStreams, ConcurrencyError, eventsChannel, isVersionConflict, LOG_START, prepareAppend, readAll, readStream, RecordedEvent } from './event-store';
import { EventStoreSchema } from './event-store.schema';

const metadata = { correlationId: 'test' };
const event = (n: number) => ({ type: 'Counted', data: { n } });

describe('PostgreSQL event store', () => {
  let testDatabase: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, 'store', [EventStoreSchema]);
    database = new Database({ url: testDatabase.url, schema: 'store' });
  });

  afterAll(async () => {
    await database.close();
    await testDatabase.drop();
  });

  it('appends at the expected version and reads the stream back in order', async () => {
    await database.transaction((tx) => appendToStream(tx, 'store', 's-1', 0, [event(1), event(2)], metadata));
    await database.transaction((tx) => appendToStream(tx, 'store', 's-1', 2, [event(3)], metadata));
    const stream = await readStream(database, 's-1');
    expect(stream.map((recorded) => [recorded.streamVersion, recorded.data])).toEqual([
      [1, { n: 1 }],
      [2, { n: 2 }],
      [3, { n: 3 }],
    ]);
  });

  it('appends alone on the pool as one statement of its own, and wakes the listeners of the log once it answers', async () => {
    let woken = 0;
    const listener = new NotificationListener(testDatabase.url, [eventsChannel('store')], () => woken++);
    await listener.start();
    try {
      await waitFor(() => woken > 0, { description: 'the wake a listener gives itself on connecting' });
      woken = 0;
      await appendToStream(database, 'store', 's-alone', 0, [event(1)], metadata);
      await waitFor(() => woken > 0, { timeoutMs: 2_000, description: 'the append to wake the listener' });
      await expect(appendToStream(database, 'store', 's-alone', 0, [event(2)], metadata)).rejects.toBeInstanceOf(ConcurrencyError);
      expect((await readStream(database, 's-alone')).map((recorded) => recorded.data)).toEqual([{ n: 1 }]);
    } finally {
      await listener.stop();
    }
  });

  it('sends a prepared append with the COMMIT, answering the events as the log reads them back', async () => {
    await appendToStream(database, 'store', 's-prepared', 0, [event(1)], metadata);
    const answered = await database.compactTransaction(async (tx, ends) => {
      const [{ rows }] = await ends.open(['SELECT now() AS now']);
      const append = prepareAppend(tx, 'store', 's-prepared', 1, [event(2), event(3)], metadata, (rows[0].now as Date).toISOString());
      expect(append.decided.map((decided) => decided.streamVersion)).toEqual([2, 3]);
      const [answer] = await ends.close([append.statement]);
      return { decided: append.decided, recorded: append.recordedFrom(answer) };
    });
    const stream = await readStream(database, 's-prepared');
    // Ids, versions, data, time and places in the log: what was made before sending is what was recorded.
    expect(answered.recorded).toEqual(stream.slice(1));
    expect(answered.decided).toEqual(stream.slice(1).map(({ position: _position, ...decided }) => decided));
  });

  it('appends many streams in one statement, each event with its own metadata where given, as the log reads them back', async () => {
    const causedBy = (causationId: string) => ({ correlationId: 'batch', causationId });
    const recorded = await database.transaction((tx) =>
      appendToStreams(
        tx,
        'store',
        [
          { streamId: 's-batch-1', events: [event(1), event(2)], metadata: [causedBy('m-1'), causedBy('m-2')] },
          { streamId: 's-batch-2', events: [event(3)] },
        ],
        metadata,
      ),
    );
    expect(recorded.flat().map((each) => [each.streamId, each.streamVersion, each.metadata])).toEqual([
      ['s-batch-1', 1, causedBy('m-1')],
      ['s-batch-1', 2, causedBy('m-2')],
      ['s-batch-2', 1, metadata],
    ]);
    const stored = [...(await readStream(database, 's-batch-1')), ...(await readStream(database, 's-batch-2'))];
    expect(stored).toEqual(recorded.flat());
  });

  it('fails a prepared append, and its whole transaction, where a writer got to its versions first', async () => {
    await appendToStream(database, 'store', 's-prepared-late', 0, [event(1), event(2)], metadata);
    const outcome = await database
      .compactTransaction(async (tx, ends) => {
        const append = prepareAppend(tx, 'store', 's-prepared-late', 1, [event(3)], metadata, new Date().toISOString());
        await ends.close([append.statement, { text: 'INSERT INTO outbox (message_id, topic, message_key, envelope) VALUES (gen_random_uuid(), $1, $2, $3)', values: ['late', 'k', '{}'] }]);
      })
      .catch((error: unknown) => error);
    expect(isVersionConflict(outcome)).toBe(true);
    expect((await readStream(database, 's-prepared-late')).map((recorded) => recorded.data)).toEqual([{ n: 1 }, { n: 2 }]);
    expect((await database.query("SELECT count(*)::int AS n FROM outbox WHERE topic = 'late'")).rows[0].n).toBe(0);
  });

  it('refuses an append at a stale expected version', async () => {
    await database.transaction((tx) => appendToStream(tx, 'store', 's-2', 0, [event(1)], metadata));
    await expect(database.transaction((tx) => appendToStream(tx, 'store', 's-2', 0, [event(2)], metadata))).rejects.toBeInstanceOf(ConcurrencyError);
  });

  it('lets exactly one of two concurrent appends at the same expected version succeed', async () => {
    // Both transactions read version 0 before either commits: the unique (stream, version) key decides.
    const first = await database.pool.connect();
    const second = await database.pool.connect();
    try {
      await first.query('BEGIN');
      await second.query('BEGIN');
      const a = appendToStream(first, 'store', 's-race', 0, [event(1)], metadata);
      await a;
      const b = appendToStream(second, 'store', 's-race', 0, [event(2)], metadata).then(
        () => 'appended',
        (error) => error,
      );
      await first.query('COMMIT');
      const outcome = await b;
      await second.query('ROLLBACK');
      expect(outcome).toBeInstanceOf(ConcurrencyError);
    } finally {
      first.release();
      second.release();
    }
    const stream = await readStream(database, 's-race');
    expect(stream.map((recorded) => recorded.data)).toEqual([{ n: 1 }]);
  });

  it('under many concurrent writers at one version, exactly one wins every time', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, n) => database.transaction((tx) => appendToStream(tx, 'store', 's-many', 0, [event(n)], metadata))),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes.filter((o) => o.status === 'rejected')) expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
  });

  it('never lets a reader of the global order skip an event whose transaction commits late', async () => {
    const after = await head(database);
    // A slow writer takes its position first but commits last.
    const slow = new Client({ connectionString: testDatabase.url, options: '-c search_path=store' });
    await slow.connect();
    try {
      await slow.query('BEGIN');
      await appendToStream(slow, 'store', 'slow', 0, [event(1)], metadata);
      await database.transaction((tx) => appendToStream(tx, 'store', 'fast', 0, [event(2)], metadata));

      // While the slow transaction is open the reader must not move past it: it sees neither yet.
      // (Filtered to this test's streams: open transactions anywhere on the server hold readers back,
      // so events of earlier tests may still be arriving.)
      expect(ofThisTest(await readAll(database, after))).toEqual([]);

      await slow.query('COMMIT');
    } finally {
      await slow.end();
    }
    const seen = await waitFor(async () => {
      const events = ofThisTest(await readAll(database, after));
      return events.length === 2 ? events : undefined;
    }, { timeoutMs: 5000, description: 'both events readable' });
    expect(seen.map((recorded) => recorded.streamId)).toEqual(['slow', 'fast']);
  });

  it('orders the log by transaction id as a number, also where it gains a digit (999 → 1000)', async () => {
    const after = await head(database);
    // Burn transaction ids up to just below the next power of ten, each in its own committed transaction.
    await database.query(`CREATE OR REPLACE PROCEDURE burn_xids(n integer) LANGUAGE plpgsql AS $$
      BEGIN FOR i IN 1..n LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$`);
    const { rows } = await database.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');
    const next = Number(rows[0].xid);
    const boundary = 10 ** String(next).length;
    await database.query('CALL burn_xids($1)', [Math.max(0, boundary - next - 3)]);
    for (let n = 1; n <= 6; n++) await database.transaction((tx) => appendToStream(tx, 'store', 'digits', n - 1, [event(n)], metadata));

    const read: number[] = [];
    let position = after;
    for (let batch = await readAll(database, position, 1); batch.length > 0 || read.length < 6; batch = await readAll(database, position, 1)) {
      if (batch.length === 0) continue;
      if (batch[0].streamId === 'digits') read.push((batch[0].data as { n: number }).n);
      position = batch[0].position;
    }
    expect(read).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('a reader that checkpoints as it goes sees every event exactly once under concurrent writers', async () => {
    let position = await head(database);
    const seen: string[] = [];
    const writers = Array.from({ length: 20 }, (_, writer) =>
      (async () => {
        for (let n = 0; n < 10; n++) await database.transaction((tx) => appendToStream(tx, 'store', `w-${writer}`, n, [event(n)], metadata));
      })(),
    );
    let writing = true;
    const reading = (async () => {
      const deadline = () => !writing && (seen.length >= 200 || Date.now() > finishedAt + 10_000);
      let finishedAt = Infinity;
      while (!deadline()) {
        if (!writing && finishedAt === Infinity) finishedAt = Date.now();
        const batch = await readAll(database, position, 17);
        if (batch.length === 0) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          continue;
        }
        seen.push(...batch.filter((recorded) => recorded.streamId.startsWith('w-')).map((recorded) => recorded.eventId));
        position = batch[batch.length - 1].position;
      }
    })();
    await Promise.all(writers);
    writing = false;
    await reading;
    const duplicates = seen.filter((id, index) => seen.indexOf(id) !== index);
    expect(duplicates).toEqual([]);
    expect(seen).toHaveLength(200);
  });
});

const ofThisTest = (events: RecordedEvent[]) => events.filter((recorded) => recorded.streamId === 'slow' || recorded.streamId === 'fast');

async function head(database: Database) {
  let position = LOG_START;
  for (;;) {
    const batch = await readAll(database, position, 1000);
    if (batch.length === 0) return position;
    position = batch[batch.length - 1].position;
  }
}
