// A host's shutdown does not wait for the broker: BrokerLink.stop() waits a few seconds at most for the
// attempt in hand (a consumers attempt retries for minutes on kafkajs's backoff), and consumers that connect
// after it, or whose start a close() came in the middle of, are closed rather than left in the group.
import { NestMicroservice } from '@nestjs/microservices';
import { describeWithKafka, kafkaBrokers, waitFor } from '@skills/testing';
import { Kafka, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { BatchingKafkaServer } from './batching-kafka-server';
import { BrokerLink } from './messaging.module';
import { createTopics } from './topics';

describeWithKafka('a host’s link to the broker, at shutdown', () => {
  it('stops within about 5 s while a consumers attempt is in hand, and closes the consumers that attempt connects later', async () => {
    const link = new BrokerLink(kafkaBrokers());
    link.ensureTopics();
    await waitFor(() => link.topicsEnsured, { timeoutMs: 30_000, description: 'the topics ensured' });
    // An attempt that takes long (a broker that does not answer, retried on kafkajs's backoff), then connects.
    let attempts = 0;
    let closes = 0;
    const consumers = {
      listen: () => {
        attempts++;
        return new Promise<void>((resolve) => setTimeout(resolve, 9000));
      },
    } as unknown as NestMicroservice;
    const server = { close: async () => void closes++ } as unknown as BatchingKafkaServer;
    link.connectConsumers(consumers, server);
    await waitFor(() => attempts === 1, { description: 'the consumers attempt begun' });

    const stoppingAt = Date.now();
    await link.stop();
    expect(Date.now() - stoppingAt).toBeLessThan(6500);
    expect(closes).toBe(0);

    await waitFor(() => closes === 1, { timeoutMs: 10_000, description: 'the late consumers closed' });
    expect(link.connected).toBe(false);
    expect(attempts).toBe(1);
  }, 60_000);

  it('leaves no member in the group when a close() comes in the middle of the consumers’ start', async () => {
    const suffix = randomBytes(4).toString('hex');
    const topic = `broker-link.${suffix}`;
    const admin = new Kafka({ clientId: `broker-link-${suffix}-admin`, brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const servers: BatchingKafkaServer[] = [];
    try {
      await createTopics(admin, [{ topic, numPartitions: 1, replicationFactor: 1 }]);
      // A close at several moments of the start: connecting, subscribing, joining the group.
      const delaysMs = [0, 5, 10, 15, 20, 30, 40, 60];
      const groupOf = (delayMs: number) => `broker-link-${suffix}-${delayMs}`;
      await Promise.all(
        delaysMs.map(async (delayMs) => {
          const server = new BatchingKafkaServer({
            postfixId: '',
            client: { clientId: `broker-link-${suffix}-consumer`, brokers: kafkaBrokers(), logLevel: logLevel.NOTHING },
            consumer: { groupId: groupOf(delayMs), maxWaitTimeInMs: 200 },
            subscribe: { fromBeginning: true },
            run: { autoCommit: true },
          });
          servers.push(server);
          server.addHandler(topic, async () => undefined, true);
          const started = new Promise<void>((resolve) => void server.listen(() => resolve()));
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          await server.close();
          await started;
        }),
      );
      const members = async () => {
        const { groups } = await admin.describeGroups(delaysMs.map(groupOf));
        return groups.filter((group) => group.members.length > 0).map((group) => `${group.groupId}: ${group.state}, ${group.members.length} members`);
      };
      await waitFor(async () => (await members()).length === 0, { timeoutMs: 15_000, description: 'every group empty' }).catch(async (error) => {
        throw new Error(`${(error as Error).message}: ${(await members()).join('; ')}`);
      });
    } finally {
      await Promise.all(servers.map((server) => server.close().catch(() => undefined)));
      await admin.disconnect();
    }
  }, 90_000);
});
