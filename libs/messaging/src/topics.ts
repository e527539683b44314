import { DEAD_LETTER_TOPIC, TOPICS } from '@skills/contracts';
import { Admin, ITopicConfig, Kafka, logLevel } from 'kafkajs';

/** How long a new topic may take to be served by the broker (its metadata, a leader for each partition). */
const TOPIC_READY_MS = 30_000;

/** Partitions of each integration topic: the most consumers of one group that share its work. */
export const TOPIC_PARTITIONS = 6;

/**
 * How an integration topic is kept on a cluster of `brokers`: for ever, and from three brokers on in three
 * replicas of which two must take a write (one broker lost loses nothing); on a smaller cluster (a
 * developer's) in all it has. The KafkaTopics of k8s/ are these for three brokers.
 */
export function topicSettings(brokers: number): { replicas: number; config: Record<string, number> } {
  const replicas = Math.min(3, brokers);
  return { replicas, config: { 'retention.ms': -1, ...(replicas === 3 ? { 'min.insync.replicas': 2 } : {}) } };
}

/**
 * The integration topics are the log other contexts rebuild from: several partitions, kept forever.
 * Creating an existing topic is a no-op, so every service may call this at start. Where the topics are
 * made before the services (compose's job, Strimzi's KafkaTopics) it finds them there; where a service
 * comes first it makes them as those would (topicSettings).
 */
export async function ensureTopics(brokers: string[], partitions = TOPIC_PARTITIONS): Promise<void> {
  const admin = new Kafka({ clientId: 'skills-topic-admin', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = [...Object.values(TOPICS), DEAD_LETTER_TOPIC].filter((topic) => !existing.has(topic));
    if (wanted.length === 0) return;
    const { replicas, config } = topicSettings((await admin.describeCluster()).brokers.length);
    const configEntries = Object.entries(config).map(([name, value]) => ({ name, value: String(value) }));
    await createTopics(
      admin,
      wanted.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: replicas, configEntries })),
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
