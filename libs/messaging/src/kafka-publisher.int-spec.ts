// The outbox relay and KafkaPublisher on a real broker, with what an import puts into the outbox: every
// batch of a job in one transaction, all keyed by the job id (import-runner's submit). A 500-row batch of a
// course file is an envelope of ~134 KB; the broker takes a record batch of ~1 MiB at most (message.max.bytes,
// 1,048,588 by default), and refuses a larger one for good (MESSAGE_TOO_LARGE). The relay must send such a
// backlog in several sends, in order, rather than stop on it for ever.
import { Logger } from '@nestjs/common';
import { ImportRowsSubmitted } from '@skills/contracts';
import { enqueueMessages, EventStoreSchema, OutboxMessage, OutboxRelay } from '@skills/event-sourcing';
import { Database, migrate } from '@skills/postgres';
import { createTestDatabase, describeWithKafka, kafkaBrokers, TestDatabase, waitFor } from '@skills/testing';
import { Admin, Consumer, Kafka, logLevel } from 'kafkajs';
import { randomBytes, randomUUID } from 'node:crypto';
import { kafkaMessageBytes, KafkaPublisher, MessageTooLarge } from './kafka-publisher';
import { createTopics } from './topics';

const SCHEMA = 'bigsends';

/** A 500-row batch of a course file's enrolments and results, as import-runner submits it (~134 KB as JSON). */
function importBatch(jobId: string, batch: number): ImportRowsSubmitted {
  const hash = () => randomBytes(32).toString('base64url');
  const now = new Date().toISOString();
  return {
    eventId: randomUUID(),
    type: 'ImportRowsSubmitted',
    schemaVersion: 1,
    aggregateId: jobId,
    aggregateVersion: batch,
    occurredAt: now,
    recordedAt: now,
    correlationId: jobId,
    payload: {
      jobId,
      batch,
      mode: 'judge',
      kind: 'enrolments_and_results',
      organisationId: randomUUID(),
      courseId: randomUUID(),
      startedBy: { userId: randomUUID(), role: 'provider_admin' },
      rows: Array.from({ length: 500 }, (_, n) => ({
        row: batch * 500 + n + 2,
        naturalKey: hash(),
        key: hash(),
        traineeId: randomUUID(),
        fields: { enrolledOn: '2025-03-01', passed: 'true', score: '86', assessedOn: '2025-03-20' },
      })),
    },
  };
}

async function withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Kafka({ clientId: 'kafka-publisher-spec-admin', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Reads a topic from its start: the event ids and keys of its records, in the order of each partition. */
async function readTopic(topic: string, expected: number): Promise<Array<{ eventId: string; key: string }>> {
  const records: Array<{ eventId: string; key: string }> = [];
  const consumer: Consumer = new Kafka({ clientId: 'kafka-publisher-spec-reader', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).consumer({
    groupId: `reader-${randomUUID()}`,
    maxWaitTimeInMs: 200,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        records.push({ eventId: (JSON.parse(String(message.value)) as { eventId: string }).eventId, key: String(message.key) });
      },
    });
    await waitFor(() => records.length >= expected, { timeoutMs: 30_000, description: `${expected} records on ${topic}` });
    return records;
  } finally {
    await consumer.disconnect();
  }
}

describeWithKafka('KafkaPublisher through the outbox relay: sends the broker takes', () => {
  let testDatabase: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, SCHEMA, [EventStoreSchema]);
    database = new Database({ url: testDatabase.url, schema: SCHEMA, poolSize: 3 });
  });

  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  it('publishes a job’s ten ~134 KB import batches, keyed alike and enqueued together, in order: none is refused as too large', async () => {
    const topic = `bigsends.${randomBytes(4).toString('hex')}`;
    await withAdmin((admin) => createTopics(admin, [{ topic, numPartitions: 3, replicationFactor: 1 }]));
    const jobId = randomUUID();
    const messages: OutboxMessage[] = Array.from({ length: 10 }, (_, batch) => ({ topic, key: jobId, envelope: importBatch(jobId, batch) }));
    const sizes = messages.map((message) => Buffer.byteLength(JSON.stringify(message.envelope)));
    // The premise: each is well under the broker's limit, together far over it.
    expect(Math.min(...sizes)).toBeGreaterThan(125_000);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBeGreaterThan(1_048_588);
    await database.transaction((tx) => enqueueMessages(tx, SCHEMA, messages));

    const errors: unknown[] = [];
    const publisher = new KafkaPublisher(KafkaPublisher.client(kafkaBrokers(), `bigsends-${randomBytes(4).toString('hex')}`));
    const relay = new OutboxRelay(database, publisher, { pollIntervalMs: 60_000, onError: (error) => errors.push(error) });
    await relay.start();
    try {
      await waitFor(async () => (await relay.backlog()) === 0, {
        timeoutMs: 30_000,
        description: 'the outbox to be empty',
      }).catch((error: Error) => {
        throw new Error(`${error.message}; the relay reported: ${errors.map(String).slice(-1).join('') || 'nothing'}`);
      });
    } finally {
      await relay.stop();
      await publisher.close();
    }
    expect(errors).toEqual([]);
    const records = await readTopic(topic, messages.length);
    expect(records).toEqual(messages.map((message) => ({ eventId: message.envelope.eventId, key: jobId })));
  });

  it('names a message the broker refuses as too large on its own (id, type, topic, size; not its payload), logged once, and keeps it at the head of the outbox', async () => {
    const topic = `bigsends.${randomBytes(4).toString('hex')}`;
    await withAdmin((admin) => createTopics(admin, [{ topic, numPartitions: 1, replicationFactor: 1 }]));
    const jobId = randomUUID();
    const before = { topic, key: jobId, envelope: importBatch(jobId, 0) };
    // ~2 MB of random text: over the broker's limit even gzipped.
    const secret = randomBytes(1_500_000).toString('base64');
    const huge: OutboxMessage = { topic, key: jobId, envelope: { ...importBatch(jobId, 1), payload: { secret } } };
    const after = { topic, key: jobId, envelope: importBatch(jobId, 2) };
    await database.transaction((tx) => enqueueMessages(tx, SCHEMA, [before, huge, after]));

    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    let loggedCalls: unknown[][] = [];
    const errors: unknown[] = [];
    const publisher = new KafkaPublisher(KafkaPublisher.client(kafkaBrokers(), `bigsends-${randomBytes(4).toString('hex')}`));
    const relay = new OutboxRelay(database, publisher, { pollIntervalMs: 60_000, onError: (error) => errors.push(error) });
    await relay.start();
    try {
      // Reported at each of the relay's attempts.
      await waitFor(() => errors.length >= 2, { timeoutMs: 20_000, description: 'the relay to report the refusal twice' });
      expect(await relay.backlog()).toBe(2);
    } finally {
      await relay.stop();
      await publisher.close();
      loggedCalls = [...logged.mock.calls];
      logged.mockRestore();
    }
    const refusal = errors[0] as MessageTooLarge;
    expect(refusal).toBeInstanceOf(MessageTooLarge);
    expect(refusal).toMatchObject({ topic, messageId: huge.envelope.eventId, messageType: 'ImportRowsSubmitted', bytes: kafkaMessageBytes(huge) });
    expect(refusal.message).toContain(huge.envelope.eventId);
    expect(refusal.message).toContain(topic);
    expect(refusal.message).toContain(`${kafkaMessageBytes(huge)} bytes`);
    expect(refusal.message).not.toContain(secret.slice(0, 24));
    const loggedRefusals = loggedCalls.filter(([text]) => String(text).includes(huge.envelope.eventId));
    expect(loggedRefusals).toEqual([[refusal.message]]);
    // What came before it went out; it and what follows it wait in the outbox.
    expect((await withAdmin((admin) => admin.fetchTopicOffsets(topic))).map(({ high }) => Number(high))).toEqual([1]);
    expect(await readTopic(topic, 1)).toEqual([{ eventId: before.envelope.eventId, key: jobId }]);
  });
});
