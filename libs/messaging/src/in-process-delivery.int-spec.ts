import { IntegrationEnvelope } from '@skills/contracts';
import { Database, migrate, sqlMigration } from '@skills/postgres';
import { enqueueMessages, EventStoreSchema, OutboxMessage, OutboxRelay, PublishStopped } from '@skills/event-sourcing';
import { createTestDatabase, TestDatabase, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { DeadLetters } from './dead-letters';
import { InProcessTransport } from './in-process-transport';
import { MessageConsumer } from './message-consumer';
import { MESSAGES_PER_TRANSACTION as CHUNK } from './message-chunks';
import { MESSAGING_MIGRATIONS } from './messaging.schema';

const TOPIC = 'skills.probe.events.v1';
const Counters = sqlMigration('ProbeCounters', 1700000000100, 'CREATE TABLE counters (name text PRIMARY KEY, n integer NOT NULL); INSERT INTO counters VALUES ($$applied$$, 0)');

const envelope = (n: number, aggregateId = 'a-1'): IntegrationEnvelope => ({
  eventId: randomUUID(),
  type: 'Probed',
  schemaVersion: 1,
  aggregateId,
  aggregateVersion: n,
  occurredAt: '2026-01-01',
  recordedAt: new Date().toISOString(),
  correlationId: 'probe',
  payload: { n },
});

describe('in-process transport: outbox → relay → handlers, at least once with an exactly-once effect', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let transport: InProcessTransport;
  let consumer: MessageConsumer;
  let relay: OutboxRelay;
  let invocations = 0;
  let failNext = 0;
  /** How many times the consumer ran its work for each message: a retry runs it again. */
  const attemptsOf = new Map<string, number>();
  const poison = new Set<string>();
  const crashAt = new Set<string>();
  const deadlockAt = new Set<string>();
  /** Stops the relay (aborts the signal) as this message is applied: the delivery ends before the next. */
  const stopAt = new Map<string, AbortController>();
  /** Holds this message's handler until the test lets it go. */
  const holdAt = new Map<string, () => Promise<void>>();
  const relayErrors: unknown[] = [];
  const seenThroughPool: number[] = [];

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, 'probe', [EventStoreSchema, ...MESSAGING_MIGRATIONS, Counters]);
    database = new Database({ url: testDatabase.url, schema: 'probe' });
    transport = new InProcessTransport();
    consumer = new MessageConsumer(database, new DeadLetters(database, transport), { maxAttempts: 2, retryDelayMs: 1 });
    transport.addHandler(
      TOPIC,
      async (message: IntegrationEnvelope) => {
        invocations++;
        // The host dying in the middle of a delivery: nothing after this point of its chunk is kept.
        if (crashAt.delete(message.eventId)) throw new Error('the host died here');
        await holdAt.get(message.eventId)?.();
        const stopHere = stopAt.get(message.eventId);
        stopAt.delete(message.eventId);
        stopHere?.abort();
        // A handler reading through the pool, in a transaction of its own, what came before it.
        if (message.type === 'ImportRowsSubmitted') {
          seenThroughPool.push(await applied());
          return;
        }
        await consumer.consume('probe.counter', TOPIC, message, async (tx) => {
          attemptsOf.set(message.eventId, (attemptsOf.get(message.eventId) ?? 0) + 1);
          if (poison.has(message.eventId)) throw new Error('cannot apply this one');
          // A deadlock with another relay's chunk: the chunk is applied again, whole.
          if (deadlockAt.delete(message.eventId)) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
          await tx.query("UPDATE counters SET n = n + 1 WHERE name = 'applied'");
          if (failNext > 0) {
            failNext--;
            // Rolls the whole apply back, inbox claim included: the retry applies it for real.
            throw new Error('transient handler failure');
          }
        });
      },
      true,
    );
    transport.listen(() => undefined);
    // A poll far beyond the test's waits: only LISTEN/NOTIFY can wake the relay in time.
    relay = new OutboxRelay(database, transport, { pollIntervalMs: 60_000, onError: (error) => relayErrors.push(error) });
    await relay.start();
  });

  afterAll(async () => {
    await relay.stop();
    await database.close();
    await testDatabase.drop();
  });

  const applied = async () => (await database.query<{ n: number }>("SELECT n FROM counters WHERE name = 'applied'")).rows[0].n;
  const outboxMessage = (message: IntegrationEnvelope): OutboxMessage => ({ topic: TOPIC, key: message.aggregateId, envelope: message });
  /** `count` probes numbered from `first`, as the relay hands them over. */
  const outboxMessages = (count: number, first: number) => Array.from({ length: count }, (_, n) => outboxMessage(envelope(first + n)));
  const enqueue = (messages: IntegrationEnvelope[]) => database.transaction((tx) => enqueueMessages(tx, 'probe', messages.map(outboxMessage)));

  it('delivers a committed message as soon as it commits (woken by NOTIFY), then empties the outbox', async () => {
    const before = await applied();
    await enqueue([envelope(1)]);
    await waitFor(async () => (await applied()) === before + 1, { timeoutMs: 3000, description: 'message applied' });
    await waitFor(async () => (await relay.backlog()) === 0, { timeoutMs: 3000, description: 'outbox emptied' });
  });

  it('applies a message redelivered after a crash between dispatch and outbox delete only once', async () => {
    const message = envelope(2);
    const before = await applied();
    const callsBefore = invocations;
    // What a relay that crashed after handing the batch over, before deleting it, does on restart.
    await transport.publish([{ topic: TOPIC, key: message.aggregateId, envelope: message }]);
    await transport.publish([{ topic: TOPIC, key: message.aggregateId, envelope: message }]);
    expect(invocations - callsBefore).toBe(2);
    expect(await applied()).toBe(before + 1);
  });

  it('applies a delivery in chunks: a crash in the middle of a chunk keeps the chunks before it, and the delivery again applies each message once', async () => {
    const messages = Array.from({ length: 2 * CHUNK + 5 }, (_, n) => outboxMessage(envelope(100 + n, `chunked-${n % 3}`)));
    const before = await applied();
    crashAt.add(messages[CHUNK + 4].envelope.eventId);
    await expect(transport.publish(messages)).rejects.toThrow('the host died here');
    // The first chunk committed; the second, with the crash at its fifth message, left nothing.
    expect(await applied()).toBe(before + CHUNK);
    // What the relay does after a restart: the whole delivery again (its outbox rows are still there).
    await transport.publish(messages);
    expect(await applied()).toBe(before + messages.length);
    const { rows } = await database.query<{ claimed: number }>('SELECT count(*)::int AS claimed FROM inbox WHERE message_id = ANY($1::uuid[])', [messages.map((message) => message.envelope.eventId)]);
    expect(rows[0].claimed).toBe(messages.length);
  });

  it('applies a chunk a deadlock aborted again, whole, within the same delivery: each message once', async () => {
    const messages = outboxMessages(CHUNK + 2, 200);
    const before = await applied();
    const callsBefore = invocations;
    deadlockAt.add(messages[3].envelope.eventId);
    await transport.publish(messages);
    expect(deadlockAt.size).toBe(0);
    expect(await applied()).toBe(before + CHUNK + 2);
    // The first chunk's four messages up to the deadlock, then all of it again, then the second chunk's two.
    expect(invocations - callsBefore).toBe(4 + CHUNK + 2);
  });

  it('commits what its chunk applied before handing over an import batch, which reads it through the pool', async () => {
    const before = await applied();
    const batch = { ...envelope(300), type: 'ImportRowsSubmitted' };
    const messages = [envelope(301), envelope(302), batch, envelope(303)].map(outboxMessage);
    await transport.publish(messages);
    expect(seenThroughPool).toEqual([before + 2]);
    expect(await applied()).toBe(before + 3);
  });

  it('stops a delivery whose relay is stopping before its next message: the chunks before it stay, the chunk in hand is rolled back', async () => {
    const messages = outboxMessages(2 * CHUNK + 5, 400);
    const before = await applied();
    const relayStopping = new AbortController();
    stopAt.set(messages[CHUNK + 4].envelope.eventId, relayStopping);
    await expect(transport.publish(messages, relayStopping.signal)).rejects.toThrow('the relay stopped');
    expect(await applied()).toBe(before + CHUNK);
    // The next start delivers them all again: each applies once.
    await transport.publish(messages);
    expect(await applied()).toBe(before + messages.length);
  });

  it('a chunk the database aborted while its relay is stopping is not tried again: the delivery ends as stopped', async () => {
    const messages = outboxMessages(CHUNK + 2, 600);
    const before = await applied();
    const relayStopping = new AbortController();
    stopAt.set(messages[3].envelope.eventId, relayStopping);
    deadlockAt.add(messages[3].envelope.eventId);
    await expect(transport.publish(messages, relayStopping.signal)).rejects.toBeInstanceOf(PublishStopped);
    expect(await applied()).toBe(before);
  });

  it('a relay stopped in the middle of a delivery ends it at its next message, reports no failure, and delivers the rest after a restart', async () => {
    const messages = Array.from({ length: 2 * CHUNK + 5 }, (_, n) => envelope(500 + n));
    const before = await applied();
    let reached!: () => void;
    const reachedHeld = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const held = messages[CHUNK + 4].eventId;
    holdAt.set(held, () => {
      holdAt.delete(held);
      reached();
      return released;
    });
    const errorsBefore = relayErrors.length;
    await enqueue(messages);
    try {
      await reachedHeld;
      const stopped = relay.stop();
      release();
      await stopped;
      // The first chunk committed; the second stopped after its fifth message, rolled back; the relay kept every row.
      expect(await applied()).toBe(before + CHUNK);
      expect(await relay.backlog()).toBe(messages.length);
      expect(relayErrors.slice(errorsBefore)).toEqual([]);
    } finally {
      // Whatever happened above, the later tests get their relay back.
      release();
      holdAt.clear();
      await relay.start();
    }
    await waitFor(async () => (await relay.backlog()) === 0, { timeoutMs: 5000, description: 'the rest delivered after the restart' });
    expect(await applied()).toBe(before + messages.length);
  });

  it('retries a failing handler and applies the message once it succeeds', async () => {
    const message = envelope(3);
    const before = await applied();
    const callsBefore = invocations;
    failNext = 1;
    await enqueue([message]);
    await waitFor(async () => (await applied()) === before + 1, { timeoutMs: 3000, description: 'applied after retry' });
    await waitFor(async () => (await relay.backlog()) === 0, { timeoutMs: 3000, description: 'outbox emptied' });
    // The failure happened, and the consumer ran the work again: handed over once, applied on the second attempt.
    expect(failNext).toBe(0);
    expect(attemptsOf.get(message.eventId)).toBe(2);
    expect(invocations - callsBefore).toBe(1);
    // The failed attempt left nothing: counted once, and not parked.
    expect(await applied()).toBe(before + 1);
    expect((await database.query('SELECT 1 FROM dead_letters WHERE message_id = $1', [message.eventId])).rows).toEqual([]);
  });

  it('parks a message that keeps failing as a dead letter and keeps delivering later ones', async () => {
    const bad = envelope(4);
    poison.add(bad.eventId);
    const before = await applied();
    await enqueue([bad, envelope(5), envelope(6)]);
    await waitFor(async () => (await applied()) === before + 2, { timeoutMs: 3000, description: 'later messages applied' });
    const { rows } = await database.query<{ message_id: string; error: string; consumer: string }>('SELECT message_id, error, consumer FROM dead_letters');
    expect(rows).toEqual([{ message_id: bad.eventId, consumer: 'probe.counter', error: expect.stringContaining('cannot apply this one') }]);
  });

  it('parks a message whose id is no uuid, one holding a NUL and one a lone surrogate, which Postgres cannot store as they are, and goes on', async () => {
    const noUuid = { ...envelope(7), eventId: 'not-a-uuid' };
    const withNul = { ...envelope(8), payload: { n: 8, note: 'a\u0000b' } };
    const withLoneSurrogate = { ...envelope(10), payload: { n: 10, note: 'a\ud800b' } };
    poison.add(withNul.eventId);
    poison.add(withLoneSurrogate.eventId);
    const before = await applied();
    // Straight to the handlers, as a foreign producer's message comes from the broker (the outbox's jsonb could not hold the second).
    await transport.publish([noUuid, withNul, withLoneSurrogate, envelope(9)].map(outboxMessage));
    expect(await applied()).toBe(before + 1);
    // jsonb takes no lone surrogate: that envelope is kept as the text it was.
    const kept = await database.query<{ text: string }>("SELECT envelope #>> '{}' AS text FROM dead_letters WHERE jsonb_typeof(envelope) = 'string' AND envelope #>> '{}' LIKE $1", [`%${withLoneSurrogate.eventId}%`]);
    expect(JSON.parse(kept.rows[0].text)).toMatchObject({ eventId: withLoneSurrogate.eventId, payload: { n: 10 } });
    const { rows } = await database.query<{ message_id: string | null; event_id: string; note: string }>(
      "SELECT message_id, envelope->>'eventId' AS event_id, envelope->'payload'->>'note' AS note FROM dead_letters WHERE envelope->>'eventId' = ANY($1) ORDER BY id",
      [[noUuid.eventId, withNul.eventId]],
    );
    expect(rows).toEqual([
      { message_id: null, event_id: 'not-a-uuid', note: null },
      { message_id: withNul.eventId, event_id: withNul.eventId, note: 'a\\u0000b' },
    ]);
  });
});
