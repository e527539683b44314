// BatchingKafkaServer on a real broker, an error escaping a batch (not a handler's, which MessageConsumer
// retries and parks, but one outside it). kafkajs crashes its consumer for good on a TypeError (and a
// RangeError, SyntaxError, ReferenceError, or an error marked not retriable), whatever restartOnFailure
// says: the service would consume nothing more. The server hands kafkajs such an error as retriable: the
// batch is fetched again with backoff, the consumer restarted once its retries run out, and the crash logged.
import { IntegrationEnvelope } from '@skills/contracts';
import { Logger } from '@nestjs/common';
import { describeWithKafka, kafkaBrokers, waitFor } from '@skills/testing';
import { Kafka, logLevel } from 'kafkajs';
import { randomBytes, randomUUID } from 'node:crypto';
import { BatchingKafkaServer } from './batching-kafka-server';
import { createTopics } from './topics';

const envelope = (n: number): IntegrationEnvelope => ({
  eventId: randomUUID(),
  type: 'Probed',
  schemaVersion: 1,
  aggregateId: 'probe-1',
  aggregateVersion: n + 1,
  occurredAt: '2026-01-01',
  recordedAt: '2026-01-01T00:00:00Z',
  correlationId: 'batch-errors',
  payload: { n },
});

/** Its retries: the first failure is retried, the second exhausts them and crashes the consumer, the third follows its restart. */
const FAILURES = 3;

describeWithKafka('BatchingKafkaServer: an error escaping a batch', () => {
  const warnings: string[] = [];

  beforeAll(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
  });

  afterAll(() => jest.restoreAllMocks());

  it.each([
    ['a TypeError', () => new TypeError('undefined is not a function')],
    ['an error marked not retriable', () => Object.assign(new Error('not to be retried'), { retriable: false })],
  ])('retries the batch after %s and restarts the consumer, which goes on to consume what follows', async (_kind, failure) => {
    const suffix = randomBytes(4).toString('hex');
    const topic = `batch-errors.${suffix}`;
    const groupId = `batch-errors-${suffix}`;
    const kafka = new Kafka({ clientId: `batch-errors-${suffix}`, brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await createTopics(admin, [{ topic, numPartitions: 1, replicationFactor: 1 }]);
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [0, 1, 2].map((n) => ({ key: 'probe-1', value: JSON.stringify(envelope(n)), headers: { type: 'Probed' } })) });
    await producer.disconnect();

    const applied = new Set<number>();
    let failed = 0;
    const server = new BatchingKafkaServer({
      postfixId: '',
      client: { clientId: `batch-errors-${suffix}-consumer`, brokers: kafkaBrokers(), logLevel: logLevel.NOTHING },
      // As connectConsumers configures it, with one retry before the consumer crashes.
      consumer: { groupId, maxWaitTimeInMs: 200, retry: { retries: 1, initialRetryTime: 100, restartOnFailure: async () => true } },
      subscribe: { fromBeginning: true },
      run: { autoCommit: true, partitionsConsumedConcurrently: 6 },
    });
    server.addHandler(
      topic,
      async (message: IntegrationEnvelope<'Probed', { n: number }>) => {
        if (message.payload.n === 1 && failed < FAILURES) {
          failed++;
          throw failure();
        }
        applied.add(message.payload.n);
      },
      true,
    );
    await new Promise<void>((resolve, reject) => void server.listen((error?: unknown) => (error ? reject(error) : resolve())));
    try {
      await waitFor(() => applied.size === 3, { timeoutMs: 20_000, description: 'every message to be applied after the failures' });
      expect(failed).toBe(FAILURES);
      // Said, and that it restarts (the group's first join may crash and restart it too, on a fresh broker).
      expect(warnings).toContain(`the consumer of group ${groupId} crashed: KafkaJSNumberOfRetriesExceeded: ${failure().name}: ${failure().message}; kafkajs restarts it`);
    } finally {
      await server.close();
    }
  }, 60_000);
});
