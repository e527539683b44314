import { ensureTopics } from '@skills/messaging';
import { testCreditCode, testIssuer } from '@skills/testing';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { fetchKafka, startBroker, type KafkaBroker } from '../../tools/kafka/kafka';
import { ChildHandle } from '../support/child';
import { BenchDatabase, createBenchDatabase } from '../support/postgres';
import { max, percentile } from '../support/stats';
import { pipelineBreakdown, Stage } from './breakdown';
import { identityNumber } from './identity';

export interface LatencyOptions {
  serverUrl: string;
  ratePerSecond: number;
  durationMs: number;
  warmupMs: number;
  /** How long to wait, after the last command, for the stragglers to be replicated. */
  drainTimeoutMs: number;
  log: (line: string) => void;
}

export interface LatencyResult {
  kafka: string;
  sent: number;
  accepted: number;
  rejected: Record<string, number>;
  replicated: number;
  missing: number;
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
  /** Where the 201 → replica time goes (BENCH_BREAKDOWN=0 skips it). */
  breakdown?: Stage[];
}

const HOST = path.join(__dirname, 'host.ts');
/** The replica is polled this often for every accepted id not seen yet (adds ≤ this much to each figure). */
const POLL_INTERVAL_MS = 5;

interface Command {
  scheduledAt: number;
  sentAt: number;
  acceptedAt?: number;
  id?: string;
}

/**
 * trainee-service and training-service as two processes on Kafka, each with its own database on the
 * benchmark's Postgres. POST /api/v1/trainees open-loop at a fixed rate (sends are scheduled by the
 * clock, never by answers), and for each 201 the time until training-service's replica has the row.
 * The replica table is polled every few ms for all ids not seen yet.
 */
export async function measureReplicaLatency(options: LatencyOptions): Promise<LatencyResult> {
  const suffix = randomBytes(3).toString('hex');
  let broker: KafkaBroker | undefined;
  const databases: BenchDatabase[] = [];
  const hosts: ChildHandle[] = [];
  let listener: Client | undefined;
  try {
    let brokers: string[];
    let kafka: string;
    if (process.env.KAFKA_BROKERS) {
      brokers = process.env.KAFKA_BROKERS.split(',').map((broker) => broker.trim()).filter(Boolean);
      kafka = `KAFKA_BROKERS=${brokers.join(',')}`;
    } else {
      await fetchKafka();
      broker = await startBroker();
      brokers = broker.brokers;
      kafka = `local KRaft broker from tools/kafka on ${brokers.join(',')}`;
    }
    options.log(`  Kafka: ${kafka}`);
    await ensureTopics(brokers);

    // Tokens signed like identity-service's; started before the hosts, whose processes inherit its
    // IDENTITY_SERVICE_URL and fetch its keys from this one.
    const issuer = await testIssuer();

    const [traineeDb, trainingDb] = await Promise.all([
      createBenchDatabase(options.serverUrl, 'trainee'),
      createBenchDatabase(options.serverUrl, 'training'),
    ]);
    databases.push(traineeDb, trainingDb);
    // Warnings of the hosts (kafkajs' partitioner notice, coordinator still loading at start) are noise here.
    const hostEnv = { TEST_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'fatal', KAFKAJS_NO_PARTITIONER_WARNING: '1' };
    const trainee = ChildHandle.start('trainee-service', HOST, hostEnv);
    const training = ChildHandle.start('training-service', HOST, hostEnv);
    hosts.push(trainee, training);
    const [{ baseUrl }, { baseUrl: trainingUrl }] = await Promise.all([
      trainee.call<{ baseUrl: string }>('start', { service: 'trainee', databaseUrl: traineeDb.url, kafkaBrokers: brokers, clientId: `trainee-service-bench-${suffix}` }),
      training.call<{ baseUrl: string }>('start', { service: 'training', databaseUrl: trainingDb.url, kafkaBrokers: brokers, clientId: `training-service-bench-${suffix}` }),
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

    // Observed by polling, not by a NOTIFY trigger: Postgres serialises every notifying commit in the
    // cluster on one lock ("database 0"), so a trigger would slow down the very commits being measured.
    listener = new Client({ connectionString: trainingDb.url });
    await listener.connect();
    const replicatedAt = new Map<string, number>();
    const pending = new Set<string>();
    const poller = pollReplica(listener, pending, replicatedAt, POLL_INTERVAL_MS);

    let sequence = 0;
    const salt = randomBytes(2).readUInt16BE(0);
    const register = (command: Command) =>
      fetch(`${baseUrl}/api/v1/trainees`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: school },
        body: JSON.stringify({ name: `学员${sequence}`, idNumber: identityNumber(sequence++, salt), phone: '13800000000' }),
      }).then(async (response) => {
        const body = (await response.json().catch(() => ({}))) as { id?: string };
        if (response.status === 201 && body.id) {
          command.acceptedAt = performance.now();
          command.id = body.id;
          pending.add(body.id);
          return 'accepted';
        }
        return String(response.status);
      }, (error: Error) => `error ${error.message}`);

    // Warm-up at the same rate: JIT, pools, the consumer group's first assignment. Not measured.
    const warmup = await openLoop(options.ratePerSecond, options.warmupMs, register);
    await waitUntil(() => warmup.commands.every((command) => !command.id || replicatedAt.has(command.id)), 60_000, 'the warm-up registrations to reach training-service');
    options.log(`  warm-up: ${warmup.commands.length} registrations replicated; measuring ${options.durationMs / 1000} s at ${options.ratePerSecond}/s`);

    const run = await openLoop(options.ratePerSecond, options.durationMs, register);
    const accepted = run.commands.flatMap(({ id, acceptedAt, scheduledAt }) => (id && acceptedAt !== undefined ? [{ id, acceptedAt, scheduledAt }] : []));
    await waitUntil(() => accepted.every((command) => replicatedAt.has(command.id)), options.drainTimeoutMs, 'every accepted trainee to be replicated').catch(
      () => undefined,
    );

    await poller.stop();
    const { rows } = await listener.query<{ count: string }>('SELECT count(*) FROM training.known_trainees WHERE trainee_id = ANY($1::uuid[])', [
      accepted.map((command) => command.id),
    ]);
    const traced = accepted.flatMap(({ id, acceptedAt }) => {
      const visibleAt = replicatedAt.get(id);
      return visibleAt === undefined ? [] : [{ traineeId: id, acceptedAt, visibleAt }];
    });
    const replicaLatencies = traced.map((trace) => trace.visibleAt - trace.acceptedAt);
    let breakdown: Stage[] | undefined;
    if (process.env.BENCH_BREAKDOWN !== '0') {
      const epoch = (at: number) => performance.timeOrigin + at;
      breakdown = await pipelineBreakdown({
        brokers,
        traineeDbUrl: traineeDb.url,
        trainingDbUrl: trainingDb.url,
        traced: traced.map((trace) => ({ ...trace, acceptedAt: epoch(trace.acceptedAt), visibleAt: epoch(trace.visibleAt) })),
      }).catch((error: Error) => {
        options.log(`  (no breakdown: ${error.message})`);
        return undefined;
      });
    }
    const commandLatencies = accepted.map((command) => command.acceptedAt - command.scheduledAt);
    const rejected: Record<string, number> = {};
    for (const outcome of run.outcomes) if (outcome !== 'accepted') rejected[outcome] = (rejected[outcome] ?? 0) + 1;
    return {
      kafka,
      sent: run.commands.length,
      accepted: accepted.length,
      rejected,
      replicated: Number(rows[0].count),
      missing: accepted.length - replicaLatencies.length,
      replicaP50Ms: percentile(replicaLatencies, 50),
      replicaP99Ms: percentile(replicaLatencies, 99),
      replicaMaxMs: max(replicaLatencies),
      commandP50Ms: percentile(commandLatencies, 50),
      commandP99Ms: percentile(commandLatencies, 99),
      commandMaxMs: max(commandLatencies),
      pollIntervalMs: POLL_INTERVAL_MS,
      achievedRate: ((run.commands.length - 1) * 1000) / run.sendWindowMs,
      sendLagP99Ms: percentile(run.commands.map((command) => command.sentAt - command.scheduledAt), 99),
      breakdown,
    };
  } finally {
    await listener?.end().catch(() => undefined);
    await Promise.all(hosts.map((host) => host.stop()));
    await broker?.destroy();
    for (const database of databases) await database.drop().catch(() => undefined);
  }
}

/** One query for all pending ids every `intervalMs`; the time an id is first returned is its visibility time. */
function pollReplica(client: Client, pending: Set<string>, seen: Map<string, number>, intervalMs: number): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      const began = performance.now();
      if (pending.size > 0) {
        const { rows } = await client.query<{ trainee_id: string }>('SELECT trainee_id FROM training.known_trainees WHERE trainee_id = ANY($1::uuid[])', [[...pending]]);
        const at = performance.now();
        for (const { trainee_id } of rows) {
          pending.delete(trainee_id);
          seen.set(trainee_id, at);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, intervalMs - (performance.now() - began))));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}

/**
 * Sends `rate` commands per second for `durationMs`, each at its scheduled time (start + i / rate)
 * whether or not earlier ones have been answered; resolves once every answer is in.
 */
async function openLoop(
  rate: number,
  durationMs: number,
  send: (command: Command) => Promise<string>,
): Promise<{ commands: Command[]; outcomes: string[]; sendWindowMs: number }> {
  const total = Math.round((rate * durationMs) / 1000);
  const commands: Command[] = [];
  const answers: Promise<string>[] = [];
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (commands.length < due) {
        const command: Command = { scheduledAt: start + (commands.length * 1000) / rate, sentAt: performance.now() };
        commands.push(command);
        answers.push(send(command));
      }
      if (commands.length >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const sendWindowMs = Math.max(1, commands[commands.length - 1].sentAt - start);
  return { commands, outcomes: await Promise.all(answers), sendWindowMs };
}

async function waitUntil(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
