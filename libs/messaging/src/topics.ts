import { DEAD_LETTER_TOPIC, TOPICS } from '@skills/contracts';
import { Kafka, logLevel } from 'kafkajs';

/**
 * The integration topics are the log other contexts rebuild from: several partitions, kept forever.
 * Creating an existing topic is a no-op, so every service may call this at start.
 */
export async function ensureTopics(brokers: string[], partitions = 6): Promise<void> {
  const admin = new Kafka({ clientId: 'skills-topic-admin', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = [...Object.values(TOPICS), DEAD_LETTER_TOPIC].filter((topic) => !existing.has(topic));
    if (wanted.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: wanted.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: '-1' }] })),
    });
  } finally {
    await admin.disconnect();
  }
}
