// The command pipeline on a real PostgreSQL: stream expectations, claims, the clock, metadata, joining a
// shared transaction, dry runs, and the retry of a version conflict.
import { Actor } from '@skills/contracts';
import { businessDateOf, DomainRefusal, fixedClock, UnknownEntity } from '@skills/domain-kernel';
import { Database, migrate, SharedTransaction, sqlMigration, Transactions } from '@skills/postgres';
import { createTestDatabase, TestDatabase, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client, PoolClient } from 'pg';
import { Aggregate, CommandPipeline, eitherWay, mustExist, mustNotExist } from './command-pipeline';
import { streamLock } from './decide-all';
import { runAsDryRun } from './dry-run';
import { appendToStream, ConcurrencyError, DecidedEvent, readStream } from './event-store';
import { integrationMessage } from './outbox';
import { EventStoreSchema } from './event-store.schema';

// A tally: opened once, then counted up; `on` is the business date the count happened.
type TallyEvent = { type: 'TallyOpened'; data: { name: string } } | { type: 'Counted'; data: { by: number; on: string } };
type TallyCommand = { type: 'Open'; name: string } | { type: 'Count'; by: number; on?: string };
type Tally = { status: 'unknown' } | { status: 'open'; total: number };

const tally: Aggregate<Tally, TallyCommand, TallyEvent> = {
  initialState: () => ({ status: 'unknown' }),
  evolve: (state, event) => (event.type === 'TallyOpened' ? { status: 'open', total: 0 } : { status: 'open', total: (state.status === 'open' ? state.total : 0) + event.data.by }),
  decide: (command, _state, now) => {
    if (command.type === 'Open') return [{ type: 'TallyOpened', data: { name: command.name } }];
    if (command.by === 0) return [];
    if (command.by < 0) throw new DomainRefusal('count_must_be_positive', 'a tally only counts up');
    return [{ type: 'Counted', data: { by: command.by, on: command.on ?? businessDateOf(now) } }];
  },
};

const NamedTallies = sqlMigration('NamedTallies', 1700000000100, 'CREATE TABLE tally_names (name text PRIMARY KEY, tally_id text NOT NULL)');
const SCHEMA = 'pipeline';
const NOW = '2021-09-30T02:00:00.000Z';
const CLERK: Actor = { userId: 'clerk-1', role: 'school_staff', organisationId: 'school-1', via: 'token' };

describe('the command pipeline', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let transactions: Transactions;
  let commands: CommandPipeline;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, SCHEMA, [EventStoreSchema, NamedTallies]);
    database = new Database({ url: testDatabase.url, schema: SCHEMA });
    transactions = new Transactions(database);
    commands = new CommandPipeline(transactions, fixedClock(NOW), () => ({ correlationId: 'request-1', actor: CLERK }));
  });

  afterAll(async () => {
    await database.close();
    await testDatabase.drop();
  });

  const open = async (name: string = randomUUID()) => {
    const id = randomUUID();
    await commands.handle({
      stream: mustNotExist(`tally-${id}`),
      aggregate: tally,
      command: { type: 'Open', name },
      claims: [{ table: 'tally_names', key: { name }, holder: { column: 'tally_id', id }, rule: 'tally_name_taken', detail: `a tally named ${name} exists` }],
    });
    return id;
  };
  const count = (id: string, by: number) => commands.handle({ stream: mustExist(`tally-${id}`, 'tally', id), aggregate: tally, command: { type: 'Count', by } });
  const eventsOf = async (id: string) => (await readStream(database, `tally-${id}`)).map((event) => event.type);

  it('answers 404 (UnknownEntity naming the entity and id) for a command on a stream that must exist', async () => {
    const missing = randomUUID();
    const refusal = await count(missing, 1).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(UnknownEntity);
    expect(refusal).toMatchObject({ entity: 'tally', id: missing });
    expect(await eventsOf(missing)).toEqual([]);
  });

  it('refuses a stream that must not exist yet (stream_exists) and appends nothing', async () => {
    const id = await open();
    const refusal = await commands.handle({ stream: mustNotExist(`tally-${id}`), aggregate: tally, command: { type: 'Open', name: 'again' } }).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ rule: 'stream_exists' });
    expect(await eventsOf(id)).toEqual(['TallyOpened']);
  });

  it('accepts either way when the command does not care (a first certificate starts a ladder)', async () => {
    const id = randomUUID();
    await commands.handle({ stream: eitherWay(`tally-${id}`), aggregate: tally, command: { type: 'Count', by: 2 } });
    await commands.handle({ stream: eitherWay(`tally-${id}`), aggregate: tally, command: { type: 'Count', by: 3 } });
    expect(await eventsOf(id)).toEqual(['Counted', 'Counted']);
  });

  it('refuses a value another stream has claimed, with the holder as existingId, and leaves nothing of the loser', async () => {
    const name = `tally-name-${randomUUID()}`;
    const first = await open(name);
    const refusal = await open(name).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DomainRefusal);
    expect(refusal).toMatchObject({ rule: 'tally_name_taken', context: { existingId: first } });
    const { rows } = await database.query<{ n: string }>("SELECT count(*) AS n FROM events WHERE event_type = 'TallyOpened' AND data->>'name' = $1", [name]);
    expect(Number(rows[0].n)).toBe(1);
  });

  it('lets exactly one of concurrent claims of the same value win', async () => {
    const name = `tally-race-${randomUUID()}`;
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => open(name)));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome as PromiseRejectedResult).reason.rule)).toEqual(Array(5).fill('tally_name_taken'));
  });

  it("hands the clock's now to decide: a date left to the aggregate is today by the injected clock", async () => {
    const id = await open();
    const { events } = await count(id, 4);
    expect(events[0].data).toEqual({ by: 4, on: '2021-09-30' });
  });

  it('records the caller (correlation and actor) in every event, from one place', async () => {
    const id = await open();
    const { events } = await count(id, 1);
    expect(events[0].metadata).toMatchObject({ correlationId: 'request-1', actor: CLERK });
  });

  it('hands the same caller to a command built in the pipeline (the hook for who may do what)', async () => {
    const id = await open();
    const seen: string[] = [];
    const { events } = await commands.handle({
      stream: mustExist(`tally-${id}`, 'tally', id),
      aggregate: tally,
      command: (_state, _tx, caller): TallyCommand => {
        seen.push(caller.actor?.userId ?? 'nobody');
        return { type: 'Count', by: 1 };
      },
    });
    expect(seen).toEqual([CLERK.userId]);
    expect(events[0].metadata.actor).toEqual(CLERK);
  });

  it('appends nothing, claims nothing and enqueues nothing when decide records no event', async () => {
    const id = await open();
    let sideWrites = 0;
    const result = await commands.handle({
      stream: mustExist(`tally-${id}`, 'tally', id),
      aggregate: tally,
      command: { type: 'Count', by: 0 },
      inTransaction: async () => void sideWrites++,
    });
    expect(result).toMatchObject({ events: [], version: 1 });
    expect(sideWrites).toBe(0);
  });

  it('builds the command from the state it loaded under the stream lock', async () => {
    const id = await open();
    await count(id, 5);
    const { events } = await commands.handle({
      stream: mustExist(`tally-${id}`, 'tally', id),
      aggregate: tally,
      command: (state): TallyCommand => ({ type: 'Count', by: state.status === 'open' ? state.total : 1 }),
    });
    expect(events[0].data).toMatchObject({ by: 5 });
  });

  it('retries a version conflict with a writer that bypassed the lock, deciding again on the new state', async () => {
    const id = await open();
    let attempts = 0;
    const result = await commands.handle({
      stream: mustExist(`tally-${id}`, 'tally', id),
      aggregate: tally,
      command: async (state): Promise<TallyCommand> => {
        attempts++;
        // The first attempt has read version 1; a writer outside the pipeline appends version 2 meanwhile.
        if (attempts === 1) await database.transaction((tx) => appendToStream(tx, SCHEMA, `tally-${id}`, 1, [{ type: 'Counted', data: { by: 10, on: '2021-09-29' } }], { correlationId: 'other' }));
        return { type: 'Count', by: state.status === 'open' ? state.total + 1 : 1 };
      },
    });
    expect(attempts).toBe(2);
    expect(result.version).toBe(3);
    expect(result.events[0].data).toMatchObject({ by: 11 });
  });

  it('gives up after a bounded number of conflicts and answers the ConcurrencyError', async () => {
    const id = await open();
    let attempts = 0;
    const outcome = commands.handle({
      stream: mustExist(`tally-${id}`, 'tally', id),
      aggregate: tally,
      command: async (): Promise<TallyCommand> => {
        attempts++;
        const { length } = await readStream(database, `tally-${id}`);
        await database.transaction((tx) => appendToStream(tx, SCHEMA, `tally-${id}`, length, [{ type: 'Counted', data: { by: 1, on: '2021-09-29' } }], { correlationId: 'other' }));
        return { type: 'Count', by: 1 };
      },
    });
    await expect(outcome).rejects.toBeInstanceOf(ConcurrencyError);
    expect(attempts).toBe(5);
  });

  it("answers the events as the log records them, their time in the outbox too: in its own transaction, a shared one and the caller's", async () => {
    const id = await open();
    // The clock says 2021: an event's recordedAt is the database's time of its transaction, not the clock's.
    const integrationEvents = (decided: DecidedEvent<TallyEvent>[]) => decided.map((event) => integrationMessage('tallies', id, event, event.type, event.data, NOW));
    const counted = (by: number) => ({ stream: mustExist(`tally-${id}`, 'tally', id), aggregate: tally, command: { type: 'Count', by } as TallyCommand, integrationEvents });
    const own = await commands.handle(counted(1));
    const shared = new SharedTransaction(database);
    const joined = await transactions.joining(shared, () => commands.handle(counted(2)));
    await shared.commit();
    const callers = await database.transaction((tx) => commands.handleInTransaction(tx, counted(3)));
    const log = (await readStream(database, `tally-${id}`)).slice(1);
    expect([...own.events, ...joined.events, ...callers.events]).toEqual(log);
    expect([own.version, joined.version, callers.version]).toEqual([2, 3, 4]);
    const { rows } = await database.query("SELECT envelope FROM outbox WHERE topic = 'tallies' AND message_key = $1 ORDER BY id", [id]);
    expect(rows.map(({ envelope }) => [envelope.eventId, envelope.recordedAt])).toEqual(log.map((event) => [event.eventId, event.recordedAt]));
    expect(log.every((event) => event.recordedAt > NOW)).toBe(true);
  });

  it("joins a shared transaction (an Idempotency-Key request): nothing is visible until it commits", async () => {
    const id = await open();
    const shared = new SharedTransaction(database);
    await transactions.joining(shared, () => count(id, 7));
    expect(await eventsOf(id)).toEqual(['TallyOpened']);
    await shared.commit();
    expect(await eventsOf(id)).toEqual(['TallyOpened', 'Counted']);
  });

  describe('in a dry run (?dryRun=true)', () => {
    const enqueued: string[][] = [];
    const announcing = () =>
      new CommandPipeline(transactions, fixedClock(NOW), () => ({ correlationId: 'dry-run-1', actor: CLERK }), (messageIds) => enqueued.push(messageIds));
    const countAnnounced = (pipeline: CommandPipeline, id: string, by: number) =>
      pipeline.handle({
        stream: mustExist(`tally-${id}`, 'tally', id),
        aggregate: tally,
        command: { type: 'Count', by },
        integrationEvents: (recorded) =>
          recorded.map((event) => ({
            topic: 'tallies',
            key: id,
            envelope: {
              eventId: event.eventId,
              type: event.type,
              schemaVersion: 1,
              aggregateId: id,
              aggregateVersion: event.streamVersion,
              occurredAt: event.recordedAt,
              recordedAt: event.recordedAt,
              correlationId: event.metadata.correlationId,
              payload: event.data,
            },
          })),
      });
    const outboxOf = async (id: string) => Number((await database.query<{ n: string }>('SELECT count(*)::text AS n FROM outbox WHERE message_key = $1', [id])).rows[0].n);

    it('decides and appends in the transaction rolled back at its end: later commands see it, nothing is kept, nothing announced', async () => {
      const id = await open();
      const pipeline = announcing();
      const shared = new SharedTransaction(database);
      const [first, second] = await runAsDryRun(() => transactions.joining(shared, async () => [await countAnnounced(pipeline, id, 2), await countAnnounced(pipeline, id, 3)]));
      expect(first.state).toEqual({ status: 'open', total: 2 });
      // Read-your-writes within the dry run, as within the real request.
      expect(second.state).toEqual({ status: 'open', total: 5 });
      await shared.rollback();
      expect(await eventsOf(id)).toEqual(['TallyOpened']);
      expect(await outboxOf(id)).toBe(0);
      expect(enqueued).toEqual([]);
    });

    it('rolls back its own transaction at once where it joins none, answering the outcome or the refusal', async () => {
      const id = await open();
      const pipeline = announcing();
      const outcome = await runAsDryRun(() => countAnnounced(pipeline, id, 4));
      expect(outcome).toMatchObject({ state: { status: 'open', total: 4 }, version: 2, events: [{ type: 'Counted' }] });
      expect(await eventsOf(id)).toEqual(['TallyOpened']);
      expect(await outboxOf(id)).toBe(0);
      await expect(runAsDryRun(() => countAnnounced(pipeline, id, -1))).rejects.toMatchObject({ rule: 'count_must_be_positive' });
      expect(enqueued).toEqual([]);
    });
  });

  it('decides a command again when Postgres ended its transaction to break a deadlock, rather than failing it', async () => {
    const id = await open();
    const other = new Client({ connectionString: testDatabase.url });
    await other.connect();
    try {
      // The other session holds lock 42 and will ask for the stream's lock; it checks for deadlocks late,
      // so Postgres ends the command's transaction (it waits first, and checks after 1 s).
      await other.query("SET deadlock_timeout = '20s'");
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock(42)');
      let attempts = 0;
      const outcome = commands.handle({
        stream: mustExist(`tally-${id}`, 'tally', id),
        aggregate: tally,
        command: async (_state, tx): Promise<TallyCommand> => {
          // Under the stream's lock: waits for lock 42, which the other session holds.
          attempts++;
          await tx.query('SELECT pg_advisory_xact_lock(42)');
          return { type: 'Count', by: 3 };
        },
      });
      await waitUntilWaiting(other, { key: 42 });
      await other.query(`SELECT ${streamLock('$1')}`, [`tally-${id}`]);
      await other.query('COMMIT');
      const result = await outcome;
      expect(attempts).toBe(2);
      expect(result.events.map((event) => event.data)).toEqual([{ by: 3, on: '2021-09-30' }]);
      expect(await eventsOf(id)).toEqual(['TallyOpened', 'Counted']);
    } finally {
      await other.end();
    }
  });

  it('runs the extra writes of a command in its transaction, or not at all', async () => {
    const id = await open();
    const refusal = await commands
      .handle({
        stream: mustExist(`tally-${id}`, 'tally', id),
        aggregate: tally,
        command: { type: 'Count', by: 1 },
        inTransaction: (tx: PoolClient) => tx.query('INSERT INTO no_such_table VALUES (1)').then(() => undefined),
      })
      .catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: '42P01' });
    expect(await eventsOf(id)).toEqual(['TallyOpened']);
  });

  describe('many commands at once (decideAllInTransaction, a bulk import onto existing streams)', () => {
    const countsOf = async (id: string) => (await readStream(database, `tally-${id}`)).map((event) => (event.type === 'Counted' ? (event.data as { by: number }).by : event.type));

    it('decides each command on its stream as it stands (a later one on the same stream after the earlier), refuses one alone, and records the rest', async () => {
      const [a, b] = [await open(), await open()];
      await count(a, 2);
      const c = randomUUID();

      const outcomes = await transactions.run((tx) =>
        commands.decideAllInTransaction(tx, {
          aggregate: tally,
          commands: [
            { streamId: `tally-${a}`, command: { type: 'Count', by: 1 } },
            { streamId: `tally-${b}`, command: { type: 'Count', by: -1 } },
            { streamId: `tally-${a}`, command: { type: 'Count', by: 3 } },
            { streamId: `tally-${c}`, command: { type: 'Open', name: 'c' } },
          ],
        }),
      );

      expect(outcomes).toMatchObject([
        { result: { version: 3, state: { total: 3 }, events: [{ streamVersion: 3, metadata: { correlationId: 'request-1', actor: CLERK } }] } },
        { refusal: { rule: 'count_must_be_positive' } },
        { result: { version: 4, state: { total: 6 }, events: [{ streamVersion: 4 }] } },
        { result: { version: 1, events: [{ type: 'TallyOpened' }] } },
      ]);
      expect(await countsOf(a)).toEqual(['TallyOpened', 2, 1, 3]);
      expect(await countsOf(b)).toEqual(['TallyOpened']);
      expect(await countsOf(c)).toEqual(['TallyOpened']);
    });

    it("records each command's events, and its audit line, with its own caller where it has one (a consumer's batch)", async () => {
      const a = await open();
      const causedBy = (causationId: string) => ({ correlationId: `message-${causationId}`, causationId, actor: CLERK });
      const outcomes = await transactions.run((tx) =>
        commands.decideAllInTransaction(tx, {
          aggregate: tally,
          commands: [
            { streamId: `tally-${a}`, command: { type: 'Count', by: 1 }, caller: causedBy('m-1') },
            { streamId: `tally-${a}`, command: { type: 'Count', by: -1 }, caller: causedBy('m-2') },
            { streamId: `tally-${a}`, command: { type: 'Count', by: 2 }, caller: causedBy('m-3') },
            { streamId: `tally-${a}`, command: { type: 'Count', by: 4 } },
          ],
        }),
      );
      expect(outcomes[1]).toMatchObject({ refusal: { rule: 'count_must_be_positive' } });
      const recorded = (await readStream(database, `tally-${a}`)).slice(1);
      expect(recorded.map((event) => [(event.data as { by: number }).by, event.metadata])).toEqual([
        [1, causedBy('m-1')],
        [2, causedBy('m-3')],
        [4, { correlationId: 'request-1', actor: CLERK }],
      ]);
      const { rows } = await database.query<{ correlation_id: string }>(
        "SELECT envelope->'payload'->>'correlationId' AS correlation_id FROM outbox WHERE envelope->>'type' = 'CommandAccepted' AND envelope->'payload'->>'resource' = $1 ORDER BY id",
        [`tally-${a}`],
      );
      expect(rows.slice(-3).map((row) => row.correlation_id)).toEqual(['message-m-1', 'message-m-3', 'request-1']);
    });

    it('holds its streams until it commits: a single command on one of them waits, then decides on what it recorded', async () => {
      const a = await open();
      const totalsSeen: number[] = [];
      let waiting: Promise<unknown> = Promise.resolve();
      await transactions.run(async (tx) => {
        await commands.decideAllInTransaction(tx, { aggregate: tally, commands: [{ streamId: `tally-${a}`, command: { type: 'Count', by: 1 } }] });
        waiting = commands.handle({
          stream: mustExist(`tally-${a}`, 'tally', a),
          aggregate: tally,
          command: (state): TallyCommand => (totalsSeen.push(state.status === 'open' ? state.total : -1), { type: 'Count', by: 5 }),
        });
        // The batch commits only once the single command waits for the stream's lock, which the batch holds.
        await waitUntilWaiting(database, { stream: `tally-${a}` });
        expect(totalsSeen).toEqual([]);
      });
      await waiting;

      // Without the stream's lock it would have decided on 0 first and lost its append to the batch's.
      expect(totalsSeen).toEqual([1]);
      expect(await countsOf(a)).toEqual(['TallyOpened', 1, 5]);
    });
  });

  describe('round trips', () => {
    /**
     * Every query sent on the pool's connections while `work` runs (BEGIN and COMMIT included), per
     * connection checked out: the command's own, and the wake-up NOTIFY sent on another after its commit.
     */
    const roundTrips = async (work: () => Promise<unknown>) => {
      const sent: string[][] = [];
      const connect = database.pool.connect.bind(database.pool);
      const spy = jest.spyOn(database.pool, 'connect').mockImplementation(((callback?: unknown) => {
        // pool.query checks out with a callback (the wake-up NOTIFY after a commit): not the command's.
        if (typeof callback === 'function') return connect(callback as never);
        return watched();
      }) as unknown as typeof database.pool.connect);
      const watched = async () => {
        const client = await connect();
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        const onThisConnection: string[] = [];
        sent.push(onThisConnection);
        client.query = ((...args: unknown[]) => {
          const text = args[0];
          onThisConnection.push(typeof text === 'string' ? text : (text as { text: string }).text);
          return query(...args);
        }) as typeof client.query;
        // Counted while checked out: the pool lends the same connection to the next caller.
        const release = client.release.bind(client);
        client.release = ((...args: unknown[]) => {
          client.query = query as typeof client.query;
          client.release = release;
          return release(...(args as []));
        }) as typeof client.release;
        return client;
      };
      try {
        await work();
      } finally {
        spy.mockRestore();
      }
      return sent;
    };

    it('sends a command in two: BEGIN with the lock and the read, then the append with the claims, side writes, outbox rows and COMMIT', async () => {
      const id = randomUUID();
      const name = randomUUID();
      const [command, ...others] = await roundTrips(() =>
        commands.handle({
          stream: mustNotExist(`tally-${id}`),
          aggregate: tally,
          command: { type: 'Open', name },
          claims: [{ table: 'tally_names', key: { name }, holder: { column: 'tally_id', id }, rule: 'tally_name_taken', detail: 'taken' }],
          sideWrites: () => [{ text: 'INSERT INTO tally_names (name, tally_id) VALUES ($1, $2)', values: [`${name}'s shadow`, id] }],
          integrationEvents: (recorded) => [{ topic: 'tallies', key: id, envelope: { eventId: recorded[0].eventId } as never }],
        }),
      );
      expect(command).toHaveLength(2);
      expect(command[0]).toMatch(/^BEGIN;\s+SELECT pg_advisory_xact_lock/);
      expect(command[1]).toMatch(/^INSERT INTO events[\s\S]*INSERT INTO tally_names[\s\S]*INSERT INTO tally_names[\s\S]*INSERT INTO outbox[\s\S]*COMMIT$/);
      // The relays are woken off the command's connection, not waited for (Database.wake).
      expect(others.flat().every((text) => text.startsWith('SELECT pg_notify'))).toBe(true);
      // What was sent together committed together, the quoted value included.
      const { rows } = await database.query('SELECT name FROM tally_names WHERE tally_id = $1 ORDER BY name', [id]);
      expect(rows.map((row) => row.name)).toEqual([name, `${name}'s shadow`]);
      expect(await eventsOf(id)).toEqual(['TallyOpened']);
    });

    it('reads what the command requires with the stream, and refuses before deciding when it is not there', async () => {
      const existing = randomUUID();
      const id = await open(existing);
      const name = randomUUID();
      const requires = (required: string) => ({ statement: { text: 'SELECT 1 FROM tally_names WHERE name = $1', values: [required] }, unmet: () => new UnknownEntity('name', required) });
      const refusal = await commands.handle({ stream: mustExist(`tally-${id}`, 'tally', id), aggregate: tally, command: { type: 'Count', by: 1 }, requires: requires(name) }).catch((error: unknown) => error);
      expect(refusal).toMatchObject({ entity: 'name', id: name });
      expect(await eventsOf(id)).toEqual(['TallyOpened']);

      const [command] = await roundTrips(() => commands.handle({ stream: mustExist(`tally-${id}`, 'tally', id), aggregate: tally, command: { type: 'Count', by: 1 }, requires: requires(existing) }));
      expect(command).toHaveLength(2);
      expect(await eventsOf(id)).toEqual(['TallyOpened', 'Counted']);
    });

    it('rolls the whole back when a claim sent with the COMMIT is taken, and answers the claim’s rule', async () => {
      const name = randomUUID();
      const first = await open(name);
      const second = randomUUID();
      const refusal = await commands
        .handle({
          stream: mustNotExist(`tally-${second}`),
          aggregate: tally,
          command: { type: 'Open', name },
          claims: [{ table: 'tally_names', key: { name }, holder: { column: 'tally_id', id: second }, rule: 'tally_name_taken', detail: 'taken' }],
        })
        .catch((error: unknown) => error);
      expect(refusal).toMatchObject({ rule: 'tally_name_taken', context: { existingId: first } });
      expect(await eventsOf(second)).toEqual([]);
    });
  });
});

/**
 * Until some session of the test's database waits for an advisory lock it has not been granted: lock
 * `key`, or a stream's lock (`streamLock`, keyed by the stream id's 64-bit hash). pg_locks shows a
 * bigint key's high half in `classid` and its low half in `objid`.
 */
async function waitUntilWaiting(client: { query(text: string, values: unknown[]): Promise<{ rows: unknown[] }> }, lock: { key: number } | { stream: string }): Promise<void> {
  const [key, stream] = 'key' in lock ? [lock.key, null] : [null, lock.stream];
  await waitFor(
    async () => {
      const { rows } = await client.query(
        `SELECT 1 FROM pg_locks
          WHERE locktype = 'advisory' AND objsubid = 1 AND NOT granted
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND ((classid::int8 << 32) | objid::int8) = COALESCE($1::int8, hashtextextended($2::text, 0))`,
        [key, stream],
      );
      return rows.length > 0;
    },
    { intervalMs: 20, description: `a session waiting for advisory lock ${JSON.stringify(lock)}` },
  );
}
