// A message of a schema version newer than its consumer knows, on a real broker and Postgres: in a
// rolling deploy its producer went out first. The consumer holds it (its partition paused, fetched again
// later) rather than parking it, so the aggregate's later messages are not applied past it; once the
// consumer knows the version (here: told so, as the new deploy would be), it is applied, then the rest.
import { IntegrationEnvelope } from '@skills/contracts';
import { Logger } from '@nestjs/common';
import { Database, migrate, sqlMigration } from '@skills/postgres';
import { createTestDatabase, describeWithKafka, kafkaBrokers, TestDatabase, waitFor } from '@skills/testing';
import { Kafka, logLevel } from 'kafkajs';
import { randomBytes, randomUUID } from 'node:crypto';
import { BatchingKafkaServer } from './batching-kafka-server';
import { DeadLetters } from './dead-letters';
import { InProcessTransport } from './in-process-transport';
import { MessageConsumer } from './message-consumer';
import { MESSAGING_MIGRATIONS } from './messaging.schema';
import { createTopics } from './topics';

/** Which version of `Probed` consumers know (v1 unless a test says otherwise), and how often a newer one was looked at. */
const mockProbed = { known: 1, newerSeen: 0 };

// The consumer learning a version as a deploy of a newer consumer would: upcast as it is, but for `Probed`
// up to the version the test says it knows.
jest.mock('@skills/contracts', () => {
  const contracts = jest.requireActual('@skills/contracts');
  return {
    ...contracts,
    upcast: (envelope: IntegrationEnvelope) => {
      if (envelope.type !== 'Probed' || envelope.schemaVersion === 1) return contracts.upcast(envelope);
      mockProbed.newerSeen++;
      return envelope.schemaVersion <= mockProbed.known ? { ...envelope, schemaVersion: 1 } : contracts.upcast(envelope);
    },
  };
});

const CONSUMER = 'probe.newer';
const HELD_MS = 200;
const Applied = sqlMigration('NewerApplied', 1700000000100, 'CREATE TABLE applied (topic text NOT NULL, n integer NOT NULL, at bigserial)');

const envelope = (n: number, schemaVersion: number): IntegrationEnvelope => ({
  eventId: randomUUID(),
  type: 'Probed',
  schemaVersion,
  aggregateId: 'probe-1',
  aggregateVersion: n,
  occurredAt: '2026-01-01',
  recordedAt: '2026-01-01T00:00:00Z',
  correlationId: 'newer-schema',
  // Stands for personal data: it must not reach a log line.
  payload: { n, name: '张三丰' },
});

describeWithKafka('a message of a schema version newer than its consumer knows', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let consumer: MessageConsumer;
  const warnings: string[] = [];

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, 'newer_schema', [...MESSAGING_MIGRATIONS, Applied]);
    database = new Database({ url: testDatabase.url, schema: 'newer_schema' });
    consumer = new MessageConsumer(database, new DeadLetters(database, new InProcessTransport()), { maxAttempts: 2, retryDelayMs: 1, newerSchemaRetryMs: HELD_MS });
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await database?.close();
    await testDatabase?.drop();
  });

  const appliedOf = async (topic: string) => (await database.query<{ n: number }>('SELECT n FROM applied WHERE topic = $1 ORDER BY at', [topic])).rows.map(({ n }) => n);
  const parked = async () => (await database.query<{ n: number }>('SELECT count(*)::int AS n FROM dead_letters WHERE consumer = $1', [CONSUMER])).rows[0].n;

  it.each(['consume', 'consumeTogether'] as const)('with %s: holds it, not parks it, and applies nothing after it until the consumer knows its version', async (way) => {
    Object.assign(mockProbed, { known: 1, newerSeen: 0 });
    const suffix = randomBytes(4).toString('hex');
    const topic = `newer-schema.${suffix}`;
    const admin = new Kafka({ clientId: `newer-schema-${suffix}-admin`, brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await createTopics(admin, [{ topic, numPartitions: 1, replicationFactor: 1 }]);
    await admin.disconnect();
    // The aggregate's second message comes from a producer deployed before this consumer.
    const messages = [envelope(1, 1), envelope(2, 2), envelope(3, 1)];
    const producer = new Kafka({ clientId: `newer-schema-${suffix}-producer`, brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    const send = (sent: IntegrationEnvelope[]) =>
      producer.send({ topic, acks: -1, messages: sent.map((message) => ({ key: message.aggregateId, value: JSON.stringify(message), headers: { type: message.type } })) });

    const server = new BatchingKafkaServer({
      postfixId: '',
      client: { clientId: `newer-schema-${suffix}-consumer`, brokers: kafkaBrokers(), logLevel: logLevel.NOTHING },
      consumer: { groupId: `newer-schema-${suffix}`, maxWaitTimeInMs: 200 },
      subscribe: { fromBeginning: true },
      run: { autoCommit: true, partitionsConsumedConcurrently: 6 },
    });
    const insert = 'INSERT INTO applied (topic, n) SELECT $1, unnest($2::int[])';
    server.addHandler(
      topic,
      async (message: IntegrationEnvelope) => {
        if (way === 'consume')
          await consumer.consume(CONSUMER, topic, message, async (tx, current) => void (await tx.query(insert, [topic, [(current.payload as { n: number }).n]])));
        else
          await consumer.consumeTogether(
            CONSUMER,
            topic,
            message,
            (current) => (current.payload as { n: number }).n,
            async (tx, applied) => void (await tx.query(insert, [topic, applied.map(({ value }) => value)])),
          );
      },
      true,
    );
    await new Promise<void>((resolve, reject) => void server.listen((error?: unknown) => (error ? reject(error) : resolve())));
    try {
      // The first on its own, so that it commits in a chunk of its own (a held message rolls back its chunk).
      await send(messages.slice(0, 1));
      await waitFor(async () => (await appliedOf(topic)).length === 1, { timeoutMs: 20_000, description: 'the first message to be applied' });
      await send(messages.slice(1));
      // Fetched again and again while held; a consumer that parked it would have stopped looking at it.
      await waitFor(async () => mockProbed.newerSeen >= 6 || (await parked()) > 0, { timeoutMs: 20_000, description: 'the newer message to be tried again several times' });
      expect(await parked()).toBe(0);
      expect(await appliedOf(topic)).toEqual([1]);
      const held = warnings.filter((warning) => warning.includes(`${topic}[0] held for ${HELD_MS} ms`));
      expect(held[0]).toBe(
        `${topic}[0] held for ${HELD_MS} ms: ${CONSUMER}: message ${messages[1].eventId}: Probed v2 is newer than this consumer knows (v1); held until a consumer that knows v2 is deployed`,
      );
      expect(warnings.join('\n')).not.toContain('张三丰');

      mockProbed.known = 2;
      await waitFor(async () => (await appliedOf(topic)).length === 3, { timeoutMs: 20_000, description: 'the held message and the one after it to be applied' });
      expect(await appliedOf(topic)).toEqual([1, 2, 3]);
      expect(await parked()).toBe(0);
    } finally {
      await producer.disconnect();
      await server.close();
    }
  }, 60_000);
});
