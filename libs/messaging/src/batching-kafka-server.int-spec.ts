// BatchingKafkaServer on a real broker: a fetched batch is applied a chunk at a time, and each chunk's
// offsets are committed to the group once it has committed, not only at the end of the batch. A catch-up
// wait (consumerGroupCaughtUp, a replica waiting for its read model) reads the group's committed offsets:
// with them a batch late, it would wait for a whole batch behind what is already applied.
import { IntegrationEnvelope } from '@skills/contracts';
import { describeWithKafka, kafkaBrokers, waitFor } from '@skills/testing';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { randomBytes, randomUUID } from 'node:crypto';
import { BatchingKafkaServer } from './batching-kafka-server';
import { MESSAGES_PER_TRANSACTION as CHUNK } from './message-chunks';
import { createTopics } from './topics';

/** Two chunks and a part of a third, produced in one send: one record batch, fetched as one batch. */
const MESSAGES = 2 * CHUNK + 10;

const envelope = (n: number): IntegrationEnvelope => ({
  eventId: randomUUID(),
  type: 'Probed',
  schemaVersion: 1,
  aggregateId: 'probe-1',
  aggregateVersion: n + 1,
  occurredAt: '2026-01-01',
  recordedAt: '2026-01-01T00:00:00Z',
  correlationId: 'chunk-commits',
  payload: { n },
});

async function withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Kafka({ clientId: 'chunk-commits-spec-admin', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** The group's committed offset of partition 0 (the next offset it would read; -1 when none). */
const committedOffset = (groupId: string, topic: string) =>
  withAdmin(async (admin) => {
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return Number(committed.partitions.find((each) => each.partition === 0)?.offset ?? -1);
  });

describeWithKafka('BatchingKafkaServer: offsets committed chunk by chunk', () => {
  it('has committed a chunk’s offsets to the group while the next chunk of the same batch is still being applied', async () => {
    const suffix = randomBytes(4).toString('hex');
    const topic = `chunk-commits.${suffix}`;
    const groupId = `chunk-commits-${suffix}`;
    await withAdmin((admin) => createTopics(admin, [{ topic, numPartitions: 1, replicationFactor: 1 }]));
    const producer = new Kafka({ clientId: `chunk-commits-${suffix}-producer`, brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: MESSAGES }, (_, n) => ({ key: 'probe-1', value: JSON.stringify(envelope(n)), headers: { type: 'Probed' } })),
    });
    await producer.disconnect();

    // The first message of the second chunk waits until the test lets it go.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const applied: number[] = [];
    const server = new BatchingKafkaServer({
      postfixId: '',
      client: { clientId: `chunk-commits-${suffix}-consumer`, brokers: kafkaBrokers(), logLevel: logLevel.NOTHING },
      consumer: { groupId, maxWaitTimeInMs: 200 },
      subscribe: { fromBeginning: true },
      // As connectConsumers runs it: kafkajs's autoCommit, no interval or threshold of its own.
      run: { autoCommit: true, partitionsConsumedConcurrently: 6 },
    });
    server.addHandler(
      topic,
      async (message: IntegrationEnvelope<'Probed', { n: number }>) => {
        if (message.payload.n === CHUNK) await released;
        applied.push(message.payload.n);
      },
      true,
    );
    await new Promise<void>((resolve, reject) => void server.listen((error?: unknown) => (error ? reject(error) : resolve())));
    try {
      try {
        await waitFor(() => applied.length === CHUNK, { timeoutMs: 30_000, description: 'the first chunk to be applied' });
        // Held in the second chunk: the group has the first chunk committed, the position after it.
        await waitFor(async () => (await committedOffset(groupId, topic)) === CHUNK, {
          timeoutMs: 10_000,
          description: `the group's committed offset to reach ${CHUNK} while the second chunk is held`,
        });
        expect(applied).toEqual(Array.from({ length: CHUNK }, (_, n) => n));
      } finally {
        release();
      }
      await waitFor(async () => (await committedOffset(groupId, topic)) === MESSAGES, { timeoutMs: 20_000, description: `the committed offset to reach ${MESSAGES}` });
      expect(applied).toEqual(Array.from({ length: MESSAGES }, (_, n) => n));
    } finally {
      await server.close();
    }
  }, 90_000);
});
