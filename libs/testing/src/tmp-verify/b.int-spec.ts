// Proves the test infrastructure itself: the databases and the broker the other suites rely on.
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { createTestDatabase, describeWithKafka, kafkaBrokers, waitFor } from '../index';

describe('test databases', () => {
  it('are fresh, separate databases that accept queries', async () => {
    const first = await createTestDatabase();
    const second = await createTestDatabase();
    try {
      expect(first.url).not.toEqual(second.url);
      const names = await Promise.all(
        [first, second].map(async ({ url }) => {
          const client = new Client({ connectionString: url });
          await client.connect();
          try {
            await client.query('CREATE TABLE marker (id int)');
            const { rows } = await client.query<{ name: string }>('SELECT current_database() AS name');
            return rows[0].name;
          } finally {
            await client.end();
          }
        }),
      );
      expect(names[0]).not.toEqual(names[1]);
    } finally {
      await Promise.all([first.drop(), second.drop()]);
    }
  });
});

describeWithKafka('the test broker', () => {
  it('delivers a produced message to a consumer', async () => {
    const kafka = new Kafka({ clientId: 'testing-infra-spec', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
    const topic = `testing-infra-${Date.now()}`;
    const producer = kafka.producer();
    // A short fetch long-poll: disconnect() waits for the one in flight (5 s by default).
    const consumer = kafka.consumer({ groupId: `${topic}-group`, maxWaitTimeInMs: 100 });
    const received: string[] = [];
    try {
      await producer.connect();
      // Auto-creates the topic, so the consumer below finds it to subscribe.
      await producer.send({ topic, messages: [{ key: 'k', value: 'hello' }] });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void received.push(String(message.value)) });
      await waitFor(() => received.length > 0, { timeoutMs: 30_000, description: 'the message to arrive' });
      expect(received).toEqual(['hello']);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
  });
});
