import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { POLL_INTERVAL_MS } from '../latency/replica-latency';
import { ChildHandle } from '../support/child';
import { achievedRate, Command, openLoop, pollReplica, rejections, waitUntil } from '../support/open-loop';
import { BenchDatabase, createBenchDatabase } from '../support/postgres';
import { max, percentile } from '../support/stats';

export interface BareOptions {
  serverUrl: string;
  brokers: string[];
  ratePerSecond: number;
  durationMs: number;
  warmupMs: number;
  drainTimeoutMs: number;
  log: (line: string) => void;
}

export interface BareResult {
  ratePerSecond: number;
  sent: number;
  accepted: number;
  rejected: Record<string, number>;
  missing: number;
  /** Scheduled send → row seen in database B by the poll, ms. */
  endToEndP50Ms: number;
  endToEndP99Ms: number;
  endToEndMaxMs: number;
  /** Scheduled send → committed in A and acknowledged by the broker, ms. */
  sentP50Ms: number;
  sentP99Ms: number;
  achievedRate: number;
  sendLagP99Ms: number;
  loadAverage: number;
}

const SIDE = path.join(__dirname, 'side.ts');

/**
 * The pipeline without the platform, at the replica latency run's rate and on the same Postgres
 * server and broker: each command is an INSERT committed in database A and a kafkajs produce (the
 * sending process), then a consume and an INSERT committed in database B (the applying process). The
 * load and the observation are the replica run's: open loop from this process, and the same poll
 * of B every few ms for every id not seen yet.
 */
export async function measureBarePipeline(options: BareOptions): Promise<BareResult> {
  const suffix = randomBytes(3).toString('hex');
  const topic = `bench-bare-pipeline-${suffix}`;
  const admin = new Kafka({ clientId: `bench-bare-admin-${suffix}`, brokers: options.brokers, logLevel: logLevel.NOTHING }).admin();
  const databases: BenchDatabase[] = [];
  const sides: ChildHandle[] = [];
  let observer: Client | undefined;
  await admin.connect();
  try {
    // Six partitions, as the integration topics have. A broker that has just started may not yet
    // host the new partitions when the wait for their leaders asks: ask again.
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 6, replicationFactor: 1 }] });
        await admin.fetchTopicMetadata({ topics: [topic] });
        break;
      } catch (error) {
        if (attempt >= 10) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    const [a, b] = await Promise.all([createBenchDatabase(options.serverUrl, 'bare_a'), createBenchDatabase(options.serverUrl, 'bare_b')]);
    databases.push(a, b);
    const sender = ChildHandle.start('bare sender', SIDE);
    const applier = ChildHandle.start('bare applier', SIDE);
    sides.push(sender, applier);
    await Promise.all([
      sender.call('startSender', { databaseUrl: a.url, brokers: options.brokers, topic, clientId: `bench-bare-sender-${suffix}` }),
      applier.call('startApplier', { databaseUrl: b.url, brokers: options.brokers, topic, clientId: `bench-bare-applier-${suffix}` }),
    ]);
    options.log('  sending and applying processes started (databases A and B on the same server, a topic of 6 partitions)');

    observer = new Client({ connectionString: b.url });
    await observer.connect();
    const replica = pollReplica(observer, 'SELECT id::text AS id FROM applied WHERE id = ANY($1::uuid[])', POLL_INTERVAL_MS);
    const send = (command: Command) => {
      const id = randomUUID();
      return sender.call('send', { id }).then(
        () => {
          command.acceptedAt = performance.now();
          command.id = id;
          replica.watch(id);
          return 'accepted';
        },
        (error: Error) => `error ${error.message.split('\n')[0]}`,
      );
    };
    try {
      const warmup = await openLoop(options.ratePerSecond, options.warmupMs, send);
      await waitUntil(() => warmup.commands.every((command) => !command.id || replica.seenAt.has(command.id)), 60_000, 'the warm-up rows to reach database B');
      options.log(`  warm-up: ${warmup.commands.length} rows applied; measuring ${options.durationMs / 1000} s at ${options.ratePerSecond}/s`);
      const run = await openLoop(options.ratePerSecond, options.durationMs, send);
      const accepted = run.commands.flatMap(({ id, acceptedAt, scheduledAt }) => (id && acceptedAt !== undefined ? [{ id, acceptedAt, scheduledAt }] : []));
      await waitUntil(() => accepted.every((command) => replica.seenAt.has(command.id)), options.drainTimeoutMs, 'every row to reach database B').catch(() => undefined);
      const loadAverage = os.loadavg()[0];
      const endToEnd = accepted.flatMap(({ id, scheduledAt }) => {
        const seen = replica.seenAt.get(id);
        return seen === undefined ? [] : [seen - scheduledAt];
      });
      const sent = accepted.map((command) => command.acceptedAt - command.scheduledAt);
      return {
        ratePerSecond: options.ratePerSecond,
        sent: run.commands.length,
        accepted: accepted.length,
        rejected: rejections(run),
        missing: accepted.length - endToEnd.length,
        endToEndP50Ms: percentile(endToEnd, 50),
        endToEndP99Ms: percentile(endToEnd, 99),
        endToEndMaxMs: max(endToEnd),
        sentP50Ms: percentile(sent, 50),
        sentP99Ms: percentile(sent, 99),
        achievedRate: achievedRate(run),
        sendLagP99Ms: percentile(
          run.commands.map((command) => command.sentAt - command.scheduledAt),
          99,
        ),
        loadAverage,
      };
    } finally {
      await replica.stop();
    }
  } finally {
    await observer?.end().catch(() => undefined);
    await Promise.all(sides.map((side) => side.stop()));
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    for (const database of databases) await database.drop().catch(() => undefined);
  }
}
