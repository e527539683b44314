// MessageConsumer.consumeTogether on a real Postgres, delivered by the in-process transport in chunks
// (applyInChunks): a chunk's messages applied by one call, their claims in one statement, each with its
// own cause; a message delivered again, or twice in a chunk, applied once; the chunk so far done and
// committed before an import batch; a chunk whose call fails applied again message by message, the one
// at fault parked alone; a crash in the middle of a chunk keeping none of it.
import { IntegrationEnvelope } from '@skills/contracts';
import { Database, migrate, sqlMigration } from '@skills/postgres';
import { EventStoreSchema } from '@skills/event-sourcing';
import { createTestDatabase, roundTripsOf, TestDatabase } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { DeadLetters } from './dead-letters';
import { InProcessTransport } from './in-process-transport';
import { ApplyTogether, MessageConsumer } from './message-consumer';
import { MESSAGING_MIGRATIONS } from './messaging.schema';
import { MESSAGES_PER_TRANSACTION as CHUNK } from './message-chunks';

const TOPIC = 'skills.together.events.v1';
const CONSUMER = 'probe.together';
const Applied = sqlMigration('TogetherApplied', 1700000000100, 'CREATE TABLE applied (message_id uuid NOT NULL, n integer NOT NULL, correlation_id text NOT NULL, causation_id uuid)');

const envelope = (n: number, correlationId = 'together'): IntegrationEnvelope => ({
  eventId: randomUUID(),
  type: 'Probed',
  schemaVersion: 1,
  aggregateId: `a-${n}`,
  aggregateVersion: 1,
  occurredAt: '2026-01-01',
  recordedAt: new Date().toISOString(),
  correlationId,
  payload: { n },
});

describe('MessageConsumer.consumeTogether: a chunk of messages applied by one call', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let transport: InProcessTransport;
  let consumer: MessageConsumer;
  /** Each call of applyAll: the numbers it was given. */
  let calls: number[][] = [];
  /** applyAll fails for any list holding one of these numbers. */
  const poison = new Set<number>();
  /** applyAll meets a deadlock (a transient failure) once for a list holding one of these. */
  const deadlockAt = new Set<number>();
  /** The host dies as the handler meets this message. */
  const crashAt = new Set<string>();
  /** What an import batch's handler read through the pool: the messages applied (committed) before it. */
  const seenThroughPool: number[] = [];

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, 'together', [EventStoreSchema, ...MESSAGING_MIGRATIONS, Applied]);
    database = new Database({ url: testDatabase.url, schema: 'together' });
    transport = new InProcessTransport();
    consumer = new MessageConsumer(database, new DeadLetters(database, transport), { maxAttempts: 2, retryDelayMs: 1 });
    const applyAll: ApplyTogether<{ messageId: string; n: number }> = async (tx, messages) => {
      const numbers = messages.map(({ value }) => value.n);
      calls.push(numbers);
      if (numbers.some((n) => poison.has(n))) throw new Error('cannot apply this one');
      const deadlocked = numbers.find((n) => deadlockAt.has(n));
      if (deadlocked !== undefined) {
        deadlockAt.delete(deadlocked);
        throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
      }
      await tx.query('INSERT INTO applied (message_id, n, correlation_id, causation_id) SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::uuid[])', [
        messages.map(({ value }) => value.messageId),
        numbers,
        messages.map(({ cause }) => cause.correlationId),
        messages.map(({ cause }) => cause.causationId),
      ]);
    };
    transport.addHandler(
      TOPIC,
      async (message: IntegrationEnvelope) => {
        if (crashAt.delete(message.eventId)) throw new Error('the host died here');
        if (message.type === 'ImportRowsSubmitted') {
          seenThroughPool.push((await database.query<{ n: number }>('SELECT count(*)::int AS n FROM applied')).rows[0].n);
          return;
        }
        await consumer.consumeTogether(CONSUMER, TOPIC, message, (current) => ({ messageId: current.eventId, n: (current.payload as { n: number }).n }), applyAll);
      },
      true,
    );
    transport.listen(() => undefined);
  });

  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  beforeEach(() => {
    calls = [];
  });

  const deliver = (messages: IntegrationEnvelope[]) => transport.publish(messages.map((message) => ({ topic: TOPIC, key: message.aggregateId, envelope: message })));
  const appliedOf = async (messages: IntegrationEnvelope[]) =>
    (
      await database.query<{ n: number; times: number }>('SELECT n, count(*)::int AS times FROM applied WHERE message_id = ANY($1::uuid[]) GROUP BY n ORDER BY n', [
        messages.map((message) => message.eventId),
      ])
    ).rows;
  const once = (numbers: number[]) => numbers.map((n) => ({ n, times: 1 }));
  const numbered = (first: number, count: number) => Array.from({ length: count }, (_, n) => first + n);
  const parked = async (message: IntegrationEnvelope) =>
    (await database.query<{ n: number }>('SELECT count(*)::int AS n FROM dead_letters WHERE consumer = $1 AND message_id = $2', [CONSUMER, message.eventId])).rows[0].n;

  it('applies a chunk of ten by one call, in the order delivered, in one transaction of three round trips', async () => {
    const messages = numbered(1, 10).map((n) => envelope(n));
    const sent = await roundTripsOf(() => deliver(messages));
    expect(calls).toEqual([numbered(1, 10)]);
    expect(await appliedOf(messages)).toEqual(once(numbered(1, 10)));
    // BEGIN, the savepoint and the ten claims; applyAll's insert; the release and COMMIT. One at a time
    // (consume with onlyThroughTx) ten messages cost at least ten.
    expect(sent).toBe(3);
  });

  it('gives each message its own cause: its correlation id and its id', async () => {
    const messages = [envelope(21, 'import-1'), envelope(22, 'import-1'), envelope(23, 'request-2')];
    await deliver(messages);
    expect(calls).toEqual([[21, 22, 23]]);
    const rows = (await database.query<{ n: number; correlation_id: string; causation_id: string }>('SELECT n, correlation_id, causation_id FROM applied WHERE n BETWEEN 21 AND 23 ORDER BY n')).rows;
    expect(rows).toEqual([
      { n: 21, correlation_id: 'import-1', causation_id: messages[0].eventId },
      { n: 22, correlation_id: 'import-1', causation_id: messages[1].eventId },
      { n: 23, correlation_id: 'request-2', causation_id: messages[2].eventId },
    ]);
  });

  it('applies a message delivered again once, one delivered twice in a chunk at its first place, and finds an id written in upper case', async () => {
    const [first, second, third] = [envelope(11), envelope(12), envelope(13)];
    const shouted = { ...envelope(14), eventId: randomUUID().toUpperCase() };
    await deliver([first]);
    await deliver([second, first, shouted, third, second]);
    expect(calls).toEqual([[11], [12, 14, 13]]);
    expect(await appliedOf([first, second, third, shouted])).toEqual(once([11, 12, 13, 14]));
    await deliver([shouted]);
    expect(calls).toEqual([[11], [12, 14, 13]]);
  });

  it('does and commits what the chunk gathered before a message that reads it through the pool (an import batch)', async () => {
    const before = (await database.query<{ n: number }>('SELECT count(*)::int AS n FROM applied')).rows[0].n;
    const submitted = { ...envelope(0), type: 'ImportRowsSubmitted' };
    const messages = [envelope(61), envelope(62), submitted, envelope(63)];
    await deliver(messages);
    expect(calls).toEqual([[61, 62], [63]]);
    expect(seenThroughPool.at(-1)).toBe(before + 2);
  });

  it('applies a chunk whose call met a deadlock again, together', async () => {
    const messages = [envelope(71), envelope(72)];
    deadlockAt.add(72);
    await deliver(messages);
    expect(calls).toEqual([
      [71, 72],
      [71, 72],
    ]);
    expect(await appliedOf(messages)).toEqual(once([71, 72]));
  });

  it('applies a chunk whose call failed again message by message: the one at fault is parked alone, every other applied once', async () => {
    const messages = [envelope(31), envelope(32), envelope(33)];
    poison.add(32);
    try {
      await deliver(messages);
    } finally {
      poison.delete(32);
    }
    // Together (failed), then each alone: 31, 32 and its retry, 33.
    expect(calls).toEqual([[31, 32, 33], [31], [32], [32], [33]]);
    expect(await appliedOf(messages)).toEqual(once([31, 33]));
    expect([await parked(messages[0]), await parked(messages[1]), await parked(messages[2])]).toEqual([0, 1, 0]);
  });

  it('keeps nothing of a chunk the host died in: delivered again, each of its messages is applied once', async () => {
    const messages = numbered(1001, CHUNK + 4).map((n) => envelope(n));
    // The second chunk (its last four messages) dies at its third message: the first chunk stays.
    crashAt.add(messages[CHUNK + 2].eventId);
    await expect(deliver(messages)).rejects.toThrow('the host died here');
    expect(await appliedOf(messages)).toEqual(once(numbered(1001, CHUNK)));
    await deliver(messages);
    expect(await appliedOf(messages)).toEqual(once(numbered(1001, CHUNK + 4)));
    expect(calls).toEqual([numbered(1001, CHUNK), numbered(1001 + CHUNK, 4)]);
  });
});
