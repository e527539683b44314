import { DEAD_LETTER_TOPIC, TOPICS } from '@skills/contracts';
import { Admin, ITopicConfig, Kafka, logLevel } from 'kafkajs';

/** How long a new topic may take to be served by the broker (its metadata, a leader for each partition). */
const TOPIC_READY_MS = 30_000;

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
    await createTopics(
      admin,
      wanted.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: '-1' }] })),
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates topics and returns once the broker serves each with a leader for every partition. kafkajs's
 * `waitForLeaders` waits out "leader not available" but gives up on "this server does not host this
 * topic-partition", which a busy broker answers for a moment after creating a topic.
 */
export async function createTopics(admin: Admin, topics: ITopicConfig[]): Promise<void> {
  try {
    await admin.createTopics({ waitForLeaders: true, topics });
  } catch (error) {
    if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error;
  }
  const deadline = Date.now() + TOPIC_READY_MS;
  while (!(await served(admin, topics.map((each) => each.topic)))) {
    if (Date.now() > deadline) throw new Error(`topics ${topics.map((each) => each.topic).join(', ')} not served by the broker after ${TOPIC_READY_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether the broker serves these topics, each partition with a leader. */
async function served(admin: Admin, topics: string[]): Promise<boolean> {
  try {
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
    return metadata.length === topics.length && metadata.every((topic) => topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0));
  } catch (error) {
    const type = (error as { type?: string }).type;
    if (type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'LEADER_NOT_AVAILABLE') return false;
    throw error;
  }
}
