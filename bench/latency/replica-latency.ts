import { testCreditCode, testIssuer } from '@skills/testing';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { ChildHandle } from '../support/child';
import { achievedRate, Command, openLoop, pollReplica, ReplicaPoller, rejections, waitUntil } from '../support/open-loop';
import { BenchDatabase, createBenchDatabase } from '../support/postgres';
import { max, percentile } from '../support/stats';
import { pipelineBreakdown, Stage } from './breakdown';
import { identityNumber } from './identity';

export interface ReplicaPipelineOptions {
  serverUrl: string;
  brokers: string[];
  log: (line: string) => void;
}

export interface RunOptions {
  ratePerSecond: number;
  durationMs: number;
  /** Sent at the same rate first and not measured: JIT, pools, the consumer group's first assignment. */
  warmupMs: number;
  /** How long to wait, after the last command, for the stragglers to be replicated. */
  drainTimeoutMs: number;
  /** Where the time between the 201 and the replica row goes (reads the whole topic afterwards). */
  breakdown: boolean;
}

export interface LatencyResult {
  ratePerSecond: number;
  sent: number;
  accepted: number;
  rejected: Record<string, number>;
  replicated: number;
  missing: number;
  /** Scheduled send → row in training's known_trainees, ms: the whole trip, command included. */
  endToEndP50Ms: number;
  endToEndP99Ms: number;
  endToEndMaxMs: number;
  /** 201 → row in training's known_trainees, ms. */
  replicaP50Ms: number;
  replicaP99Ms: number;
  replicaMaxMs: number;
  /** Scheduled send → 201, ms (the command itself, under the same open-loop load). */
  commandP50Ms: number;
  commandP99Ms: number;
  commandMaxMs: number;
  pollIntervalMs: number;
  /** Commands per second actually sent, and how late the 99th percentile send was against its schedule. */
  achievedRate: number;
  sendLagP99Ms: number;
  /** The 1-minute load average when the run ended. */
  loadAverage: number;
  breakdown?: Stage[];
}

export interface ReplicaPipeline {
  run(options: RunOptions): Promise<LatencyResult>;
  close(): Promise<void>;
}

const HOST = path.join(__dirname, 'host.ts');
/** The replica is polled this often for every accepted id not seen yet (adds ≤ this much to each figure). */
export const POLL_INTERVAL_MS = 5;

/**
 * trainee-service and training-service as two processes on Kafka, each with its own database on the
 * benchmark's Postgres, started once for any number of runs. A run sends POST /api/v1/trainees
 * open-loop at a fixed rate (sends are scheduled by the clock, never by answers), and for each 201 the
 * time until training-service's replica has the row. The replica table is polled every few ms for all
 * ids not seen yet.
 */
export async function startReplicaPipeline(options: ReplicaPipelineOptions): Promise<ReplicaPipeline> {
  const suffix = randomBytes(3).toString('hex');
  const databases: BenchDatabase[] = [];
  const hosts: ChildHandle[] = [];
  let listener: Client | undefined;
  let poller: ReplicaPoller | undefined;
  const close = async () => {
    await poller?.stop();
    await listener?.end().catch(() => undefined);
    await Promise.all(hosts.map((host) => host.stop()));
    for (const database of databases) await database.drop().catch(() => undefined);
  };
  try {
    // Tokens signed like identity-service's; started before the hosts, whose processes inherit its
    // IDENTITY_SERVICE_URL and fetch its keys from this one.
    const issuer = await testIssuer();
    const [traineeDb, trainingDb] = await Promise.all([createBenchDatabase(options.serverUrl, 'trainee'), createBenchDatabase(options.serverUrl, 'training')]);
    databases.push(traineeDb, trainingDb);
    const trainee = ChildHandle.start('trainee-service', HOST, HOST_ENV);
    const training = ChildHandle.start('training-service', HOST, HOST_ENV);
    hosts.push(trainee, training);
    const [{ baseUrl }, { baseUrl: trainingUrl }] = await Promise.all([
      trainee.call<{ baseUrl: string }>('start', { services: ['trainee'], databaseUrl: traineeDb.url, kafkaBrokers: options.brokers, clientId: `trainee-service-bench-${suffix}` }),
      training.call<{ baseUrl: string }>('start', { services: ['training'], databaseUrl: trainingDb.url, kafkaBrokers: options.brokers, clientId: `training-service-bench-${suffix}` }),
    ]);
    options.log('  trainee-service and training-service started (separate processes and databases)');
    // A school registers the trainees (trainees:register as school_staff of a provider the platform admin registered).
    const provider = await fetch(`${trainingUrl}/api/v1/providers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await issuer.token({ role: 'platform_admin' })}` },
      body: JSON.stringify({ name: '基准测试培训学校', creditCode: testCreditCode(1), regionCode: '430200' }),
    });
    const providerId = ((await provider.json()) as { id?: string }).id;
    if (provider.status !== 201 || !providerId) throw new Error(`provider registration answered ${provider.status}`);
    const school = `Bearer ${await issuer.token({ role: 'school_staff', organisationId: providerId })}`;

    listener = new Client({ connectionString: trainingDb.url });
    await listener.connect();
    const replica = pollReplica(listener, 'SELECT trainee_id AS id FROM training.known_trainees WHERE trainee_id = ANY($1::uuid[])', POLL_INTERVAL_MS);
    poller = replica;

    let sequence = 0;
    const salt = randomBytes(2).readUInt16BE(0);
    const register = (command: Command) =>
      fetch(`${baseUrl}/api/v1/trainees`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: school },
        body: JSON.stringify({ name: `学员${sequence}`, idNumber: identityNumber(sequence++, salt), phone: '13800000000' }),
      }).then(
        async (response) => {
          const body = (await response.json().catch(() => ({}))) as { id?: string };
          if (response.status === 201 && body.id) {
            command.acceptedAt = performance.now();
            command.id = body.id;
            replica.watch(body.id);
            return 'accepted';
          }
          return String(response.status);
        },
        (error: Error) => `error ${error.message}`,
      );

    const run = async (run: RunOptions): Promise<LatencyResult> => {
      if (run.warmupMs > 0) {
        const warmup = await openLoop(run.ratePerSecond, run.warmupMs, register);
        await waitUntil(() => warmup.commands.every((command) => !command.id || replica.seenAt.has(command.id)), 60_000, 'the warm-up registrations to reach training-service');
      }
      const sent = await openLoop(run.ratePerSecond, run.durationMs, register);
      const accepted = sent.commands.flatMap(({ id, acceptedAt, scheduledAt }) => (id && acceptedAt !== undefined ? [{ id, acceptedAt, scheduledAt }] : []));
      await waitUntil(() => accepted.every((command) => replica.seenAt.has(command.id)), run.drainTimeoutMs, 'every accepted trainee to be replicated').catch(() => undefined);
      const loadAverage = os.loadavg()[0];
      const { rows } = await (listener as Client).query<{ count: string }>('SELECT count(*) FROM training.known_trainees WHERE trainee_id = ANY($1::uuid[])', [
        accepted.map((command) => command.id),
      ]);
      const traced = accepted.flatMap(({ id, acceptedAt, scheduledAt }) => {
        const visibleAt = replica.seenAt.get(id);
        return visibleAt === undefined ? [] : [{ traineeId: id, scheduledAt, acceptedAt, visibleAt }];
      });
      const replicaLatencies = traced.map((trace) => trace.visibleAt - trace.acceptedAt);
      const endToEnd = traced.map((trace) => trace.visibleAt - trace.scheduledAt);
      let breakdown: Stage[] | undefined;
      if (run.breakdown) {
        const epoch = (at: number) => performance.timeOrigin + at;
        breakdown = await pipelineBreakdown({
          brokers: options.brokers,
          traineeDbUrl: traineeDb.url,
          trainingDbUrl: trainingDb.url,
          traced: traced.map((trace) => ({ traineeId: trace.traineeId, acceptedAt: epoch(trace.acceptedAt), visibleAt: epoch(trace.visibleAt) })),
        }).catch((error: Error) => {
          options.log(`  (no breakdown: ${error.message})`);
          return undefined;
        });
      }
      const commandLatencies = accepted.map((command) => command.acceptedAt - command.scheduledAt);
      return {
        ratePerSecond: run.ratePerSecond,
        sent: sent.commands.length,
        accepted: accepted.length,
        rejected: rejections(sent),
        replicated: Number(rows[0].count),
        missing: accepted.length - replicaLatencies.length,
        endToEndP50Ms: percentile(endToEnd, 50),
        endToEndP99Ms: percentile(endToEnd, 99),
        endToEndMaxMs: max(endToEnd),
        replicaP50Ms: percentile(replicaLatencies, 50),
        replicaP99Ms: percentile(replicaLatencies, 99),
        replicaMaxMs: max(replicaLatencies),
        commandP50Ms: percentile(commandLatencies, 50),
        commandP99Ms: percentile(commandLatencies, 99),
        commandMaxMs: max(commandLatencies),
        pollIntervalMs: POLL_INTERVAL_MS,
        achievedRate: achievedRate(sent),
        sendLagP99Ms: percentile(
          sent.commands.map((command) => command.sentAt - command.scheduledAt),
          99,
        ),
        loadAverage,
        breakdown,
      };
    };
    return { run, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Warnings of the hosts (kafkajs' partitioner notice, coordinator still loading at start) are noise here. */
export const HOST_ENV = { TEST_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'fatal', KAFKAJS_NO_PARTITIONER_WARNING: '1' };
