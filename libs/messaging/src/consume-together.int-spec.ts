// MessageConsumer.consumeTogether on a real Postgres, delivered by the in-process transport in chunks
// (applyInChunks): a chunk's messages applied by one call, their claims in one statement; a message
// delivered again, or twice in a chunk, applied once; a chunk whose call fails applied again message by
// message, the one at fault parked alone; a crash in the middle of a chunk keeping none of it.
import { IntegrationEnvelope } from '@skills/contracts';
import { Database, migrate, sqlMigration } from '@skills/postgres';
import { EventStoreSchema } from '@skills/event-sourcing';
import { createTestDatabase, TestDatabase } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { currentCorrelation } from './correlation';
import { DeadLetters } from './dead-letters';
import { InProcessTransport } from './in-process-transport';
import { MessageConsumer } from './message-consumer';
import { MESSAGING_MIGRATIONS } from './messaging.schema';

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
  /** The host dies as the handler meets this message. */
  const crashAt = new Set<string>();

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, 'together', [EventStoreSchema, ...MESSAGING_MIGRATIONS, Applied]);
    database = new Database({ url: testDatabase.url, schema: 'together' });
    transport = new InProcessTransport();
    consumer = new MessageConsumer(database, new DeadLetters(database, transport), { maxAttempts: 2, retryDelayMs: 1 });
    const applyAll = async (tx: import('pg').PoolClient, values: Array<{ messageId: string; n: number }>) => {
      calls.push(values.map((value) => value.n));
      if (values.some((value) => poison.has(value.n))) throw new Error('cannot apply this one');
      const { correlationId, causationId } = currentCorrelation();
      await tx.query('INSERT INTO applied (message_id, n, correlation_id, causation_id) SELECT id, n, $3, $4 FROM unnest($1::uuid[], $2::int[]) AS t(id, n)', [
        values.map((value) => value.messageId),
        values.map((value) => value.n),
        correlationId,
        causationId ?? null,
      ]);
    };
    transport.addHandler(
      TOPIC,
      async (message: IntegrationEnvelope) => {
        if (crashAt.delete(message.eventId)) throw new Error('the host died here');
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
  const parked = async (message: IntegrationEnvelope) =>
    (await database.query<{ n: number }>('SELECT count(*)::int AS n FROM dead_letters WHERE consumer = $1 AND message_id = $2', [CONSUMER, message.eventId])).rows[0].n;

  /** The round trips `work` makes: every query a pg client sends (a batch of statements is one), BEGIN and COMMIT included. */
  async function roundTripsOf(work: () => Promise<unknown>): Promise<number> {
    const prototype = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const query = prototype.query;
    let sent = 0;
    prototype.query = function (this: unknown, ...args: unknown[]) {
      sent++;
      return query.apply(this, args);
    };
    try {
      await work();
    } finally {
      prototype.query = query;
    }
    return sent;
  }

  it('applies a chunk of ten by one call, in the order delivered, in one transaction of three round trips', async () => {
    const messages = Array.from({ length: 10 }, (_, n) => envelope(n + 1));
    const sent = await roundTripsOf(() => deliver(messages));
    expect(calls).toEqual([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]);
    expect(await appliedOf(messages)).toEqual(once([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    // BEGIN, the savepoint and the ten claims; applyAll's insert; the release and COMMIT. One at a time
    // (consume with onlyThroughTx) ten messages cost at least ten.
    expect(sent).toBe(3);
  });

  it('applies a message delivered again once, and one delivered twice in a chunk at its first place', async () => {
    const [first, second, third] = [envelope(11), envelope(12), envelope(13)];
    await deliver([first]);
    await deliver([first, second, second, third]);
    expect(calls).toEqual([[11], [12, 13]]);
    expect(await appliedOf([first, second, third])).toEqual(once([11, 12, 13]));
  });

  it('calls once per run of one correlation id, with it in scope, and the message as cause when the run is of one', async () => {
    const messages = [envelope(21, 'import-1'), envelope(22, 'import-1'), envelope(23, 'request-2'), envelope(24, 'import-1')];
    await deliver(messages);
    expect(calls).toEqual([[21, 22], [23], [24]]);
    const rows = (
      await database.query<{ n: number; correlation_id: string; causation_id: string | null }>('SELECT n, correlation_id, causation_id FROM applied WHERE n BETWEEN 21 AND 24 ORDER BY n')
    ).rows;
    expect(rows).toEqual([
      { n: 21, correlation_id: 'import-1', causation_id: null },
      { n: 22, correlation_id: 'import-1', causation_id: null },
      { n: 23, correlation_id: 'request-2', causation_id: messages[2].eventId },
      { n: 24, correlation_id: 'import-1', causation_id: messages[3].eventId },
    ]);
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
    const messages = Array.from({ length: 14 }, (_, n) => envelope(41 + n));
    // The second chunk (messages 11 to 14) dies at its third message: the first chunk stays.
    crashAt.add(messages[12].eventId);
    await expect(deliver(messages)).rejects.toThrow('the host died here');
    expect(await appliedOf(messages)).toEqual(once(Array.from({ length: 10 }, (_, n) => 41 + n)));
    await deliver(messages);
    expect(await appliedOf(messages)).toEqual(once(Array.from({ length: 14 }, (_, n) => 41 + n)));
    expect(calls).toEqual([Array.from({ length: 10 }, (_, n) => 41 + n), [51, 52, 53, 54]]);
  });
});
