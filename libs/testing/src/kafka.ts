// Kafka for tests: the run's shared broker (from the global setup) and, for tests that must take a
// broker down, a dedicated one.
import { spawnSync } from 'node:child_process';
import { startBroker, type KafkaBroker, type StartBrokerOptions } from './local-infra';

export type { KafkaBroker, StartBrokerOptions };

/** The shared test broker's bootstrap addresses; empty when there is no Kafka. */
export function kafkaBrokers(): string[] {
  return (process.env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
}

/**
 * `describe` for suites that need Kafka. Without a broker the suite is skipped with the reason, except
 * in CI (CI set to anything but empty, `false` or `0`: CI providers set `true`, `1` or their name), where
 * a missing broker must not pass silently: it becomes a failing test.
 */
export function describeWithKafka(name: string, fn: () => void): void {
  if (kafkaBrokers().length > 0) {
    describe(name, fn);
    return;
  }
  const reason = process.env.KAFKA_UNAVAILABLE ?? 'KAFKA_BROKERS is not set';
  if (inCi()) {
    describe(name, () => {
      it('has a Kafka broker (required in CI)', () => {
        throw new Error(`Kafka is unavailable: ${reason}`);
      });
    });
    return;
  }
  console.warn(`Skipping "${name}": no Kafka (${reason})`);
  describe.skip(`${name} [skipped: no Kafka: ${reason}]`, fn);
}

/** True when the run is a CI run: CI is set and neither empty nor `false`/`0` (any case, spaces ignored). */
function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = (env.CI ?? '').trim().toLowerCase();
  return ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * A broker of the test's own, for tests that stop and restart it (a broker outage) or whose topics
 * must hold only their own messages (partitions and chunks they reason about). Call `destroy()` in afterAll. Needs Java; the shared broker's KAFKA_BROKERS may be a remote one.
 */
export async function startDedicatedKafka(options?: StartBrokerOptions): Promise<KafkaBroker> {
  const java = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (java.error || java.status !== 0) {
    throw new Error('startDedicatedKafka needs Java (java -version failed): install a JRE 11+ to run broker-outage tests.');
  }
  return startBroker(options);
}

/**
 * Waits until a consumer group has joined and settled: a host's consumers start joining when it starts,
 * and on a loaded machine that can take longer than a test's replica wait, which would then be measuring
 * the group join rather than the platform. Throws when it has not within `timeoutMs`, or the broker does
 * not answer (a test that starts a host with the broker down does not wait: startTestHost's `brokerDown`).
 */
export async function waitForConsumerGroup(brokers: string[], groupId: string, timeoutMs = 30_000): Promise<void> {
  const { Kafka, logLevel } = await import('kafkajs');
  const admin = new Kafka({ clientId: `${groupId}-test-admin`, brokers, logLevel: logLevel.NOTHING }).admin();
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer from the broker';
  try {
    await admin.connect();
    while (Date.now() < deadline) {
      const { groups } = await admin.describeGroups([groupId]);
      if (groups[0]?.state === 'Stable' && groups[0].members.length > 0) return;
      last = `${groups[0]?.state ?? 'no group'}, ${groups[0]?.members.length ?? 0} members`;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } catch (error) {
    throw new Error(`waitForConsumerGroup: could not ask the broker at ${brokers.join(',')} about group ${groupId}: ${(error as Error).message}`, { cause: error });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  throw new Error(`waitForConsumerGroup: group ${groupId} did not settle within ${timeoutMs / 1000} s (${last})`);
}

/** True once a consumer group has committed every partition of a topic up to its end. */
export async function consumerGroupCaughtUp(brokers: string[], groupId: string, topic: string): Promise<boolean> {
  const { Kafka, logLevel } = await import('kafkajs');
  const admin = new Kafka({ clientId: `${groupId}-test-admin`, brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const [ends, [committed]] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
    return ends.every(({ partition, high, low }) => {
      const offset = Number(committed.partitions.find((candidate) => candidate.partition === partition)?.offset ?? -1);
      return offset >= 0 ? offset >= Number(high) : Number(high) === Number(low);
    });
  } finally {
    await admin.disconnect();
  }
}

/**
 * How many partitions `topic` has, and the one a message with `key` goes to: the platform's producer's
 * partitioner (kafkajs's default, the Java client's murmur2) over the topic's partitions as the broker has them.
 */
export async function partitionOfKey(brokers: string[], topic: string): Promise<{ partitions: number; partitionOf: (key: string) => number }> {
  const { Kafka, logLevel, Partitioners } = await import('kafkajs');
  const admin = new Kafka({ clientId: 'partition-of-key-test-admin', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    const partitioner = Partitioners.DefaultPartitioner();
    return {
      partitions: metadata.partitions.length,
      partitionOf: (key) => partitioner({ topic, partitionMetadata: metadata.partitions, message: { key, value: null } }),
    };
  } finally {
    await admin.disconnect();
  }
}
