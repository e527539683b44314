// The docker compose topology as processes on this machine, without Docker: one Kafka broker (from
// tools/kafka), one Postgres with a database per service, the six services (identity-service among
// them) and the gateway, each started as `node -r ./tools/register.js <main>` with the environment
// topology.ts gives it: the gateway's URL as PUBLIC_ORIGIN, every service's as <SERVICE>_URL
// (IDENTITY_SERVICE_URL among them), and one INTERNAL_API_SECRET made for the launch.
import { startEmbeddedPostgres } from '@skills/postgres';
import { ensureTopics } from '@skills/messaging';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { fetchKafka, findFreePort, startBroker } from '../kafka/kafka';
import { GATEWAY, SERVICES, serviceEnvironment, ServiceSpec, serviceUrlVariable } from '../deploy/topology';

const ROOT = path.join(__dirname, '..', '..');

export interface LaunchOptions {
  /** Use this broker instead of starting one. */
  kafkaBrokers?: string[];
  /** Use this Postgres server (its URL, any database) instead of starting an embedded one. */
  postgresUrl?: string;
  /** Fixed ports (3000–3006 as in compose); free ones otherwise. */
  fixedPorts?: boolean;
  /** The first admin's password (identity-service's ADMIN_PASSWORD); default: ADMIN_PASSWORD, else a generated one. */
  adminPassword?: string;
  log?: (line: string) => void;
}

export interface LaunchedTopology {
  gatewayUrl: string;
  /** The password of the user admin, to sign in through the gateway (POST /oauth/token). */
  adminPassword: string;
  serviceUrl(name: string): string;
  /** The database URL of a service. */
  databaseUrl(name: string): string;
  /** Kills a service process (SIGKILL by default: no graceful shutdown, no offset commit) and waits for it to exit. */
  kill(name: string, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a killed service again, same port, database and consumer group, and waits until it is ready. */
  restart(name: string): Promise<void>;
  stop(): Promise<void>;
}

interface Running {
  name: string;
  main: string;
  env: NodeJS.ProcessEnv;
  url: string;
  /** A service on Kafka (the gateway is not): ready once its link to the broker is made. */
  onKafka: boolean;
  child?: ChildProcess;
  /** The last lines it printed, for the error when it does not come up. */
  tail: string[];
}

export async function launchTopology(options: LaunchOptions = {}): Promise<LaunchedTopology> {
  const log = options.log ?? (() => undefined);
  const suffix = randomBytes(3).toString('hex');
  const cleanups: Array<() => Promise<unknown>> = [];
  const processes = new Map<string, Running>();
  try {
    let postgresUrl = options.postgresUrl;
    if (!postgresUrl) {
      const server = await startEmbeddedPostgres({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'skills-launch-pg-')), persistent: false });
      cleanups.push(() => server.stop());
      postgresUrl = server.url;
    }
    let kafkaBrokers = options.kafkaBrokers;
    if (!kafkaBrokers) {
      await fetchKafka();
      const broker = await startBroker();
      cleanups.push(() => broker.destroy());
      kafkaBrokers = broker.brokers;
    }
    await ensureTopics(kafkaBrokers);
    log(`Kafka ${kafkaBrokers.join(',')}, Postgres ${new URL(postgresUrl).host}`);

    const databases = await createDatabases(postgresUrl, SERVICES.map((service) => `${service.database}_${suffix}`));
    cleanups.push(() => dropDatabases(postgresUrl!, databases));

    // Every port first: each service is told where the gateway (the public origin) and every service are.
    const ports: Record<string, number> = {};
    for (const workload of [...SERVICES, GATEWAY]) ports[workload.name] = options.fixedPorts ? workload.port : await findFreePort();
    const urlOf = (name: string) => `http://127.0.0.1:${ports[name]}`;
    const gatewayPort = ports[GATEWAY.name];
    const publicOrigin = urlOf(GATEWAY.name);
    // Made afresh for each launch: only the services launched together know it.
    const internalApiSecret = randomBytes(24).toString('base64url');
    const adminPassword = options.adminPassword || process.env.ADMIN_PASSWORD || randomBytes(12).toString('base64url');

    for (const service of SERVICES) {
      const port = ports[service.name];
      const database = new URL(postgresUrl);
      database.pathname = `/${service.database}_${suffix}`;
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        ...launchedEnvironment(service, { kafkaBrokers: kafkaBrokers.join(','), databaseUrl: database.toString(), port, suffix, publicOrigin, urlOf }),
      };
      // The secrets the launcher sets itself (the others have development defaults in the services).
      if (service.secrets.includes('ADMIN_PASSWORD')) env.ADMIN_PASSWORD = adminPassword;
      if (service.secrets.includes('INTERNAL_API_SECRET')) env.INTERNAL_API_SECRET = internalApiSecret;
      // A TRUST_PROXY given to the launch is the gateway's, the way in: the services keep theirs (the gateway).
      delete env.TRUST_PROXY;
      // The databases are made for this launch and dropped after it: development data, which a restarted
      // service may open with the development key (a service refuses it on personal data otherwise).
      if (!env.PERSONAL_DATA_KEY || !env.IDENTITY_HASH_KEY) env.ALLOW_DEVELOPMENT_KEY = '1';
      processes.set(service.name, { name: service.name, main: service.main, env, url: urlOf(service.name), onKafka: env.TRANSPORT === 'kafka', tail: [] });
    }
    // Started together: on two cores, one after the other would take minutes.
    await Promise.all([...processes.values()].map((running) => start(running, log)));

    const gatewayEnv: NodeJS.ProcessEnv = { ...process.env, ...launchedGatewayEnvironment(gatewayPort, urlOf) };
    const gateway: Running = { name: GATEWAY.name, main: GATEWAY.main, env: gatewayEnv, url: publicOrigin, onKafka: false, tail: [] };
    processes.set(GATEWAY.name, gateway);
    await start(gateway, log);

    const find = (name: string) => {
      const running = processes.get(name);
      if (!running) throw new Error(`no process ${name} in the topology`);
      return running;
    };
    return {
      gatewayUrl: gateway.url,
      adminPassword,
      serviceUrl: (name) => find(name).url,
      databaseUrl: (name) => String(find(name).env.DATABASE_URL),
      kill: (name, signal = 'SIGKILL') => stopProcess(find(name), signal),
      restart: (name) => start(find(name), log),
      stop: async () => {
        await Promise.all([...processes.values()].map((running) => stopProcess(running, 'SIGTERM')));
        for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
      },
    };
  } catch (error) {
    await Promise.all([...processes.values()].map((running) => stopProcess(running, 'SIGKILL')));
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    throw error;
  }
}

/**
 * The environment a launched service process gets: what compose gives it (topology.ts), with this
 * machine's broker, database, port, gateway (the public origin) and services (`urlOf` a service's name), plus
 * a consumer group of its own (two launches may share a broker).
 */
export function launchedEnvironment(
  service: ServiceSpec,
  where: { kafkaBrokers: string; databaseUrl: string; port: number; suffix: string; publicOrigin: string; urlOf: (service: string) => string },
): Record<string, string> {
  return {
    ...serviceEnvironment(service, { kafkaBrokers: where.kafkaBrokers, postgres: 'postgres://unused', publicOrigin: where.publicOrigin, urlOf: (each) => where.urlOf(each.name) }),
    PORT: String(where.port),
    DATABASE_URL: where.databaseUrl,
    KAFKA_CLIENT_ID: `${service.name}-${where.suffix}`,
    LOG_LEVEL: process.env.LAUNCH_LOG_LEVEL ?? 'warn',
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
  };
}

/**
 * The gateway's environment: its port and every service's URL (IDENTITY_SERVICE_URL among them), as compose
 * gives it, and as there the way in, believing no peer's X-Forwarded-For but the loopback's (TRUST_PROXY).
 */
export function launchedGatewayEnvironment(port: number, urlOf: (service: string) => string): Record<string, string> {
  return { PORT: String(port), ...Object.fromEntries(SERVICES.map((service) => [serviceUrlVariable(service), urlOf(service.name)])), TRUST_PROXY: process.env.TRUST_PROXY || 'loopback' };
}

/**
 * Whether a launched process's /health/ready answer says it can be used: 200, and on Kafka its link to the
 * broker made (`checks.broker` up: topics ensured, consumers in their group). Before that a service answers
 * 200 `degraded`, the broker `down` or `connecting` (BrokerLink makes the link in the background), and a
 * fact sent then would wait for the consumers to join.
 */
export function readyToUse(status: number, body: unknown, onKafka: boolean): boolean {
  if (status !== 200) return false;
  return !onKafka || (body as { checks?: { broker?: unknown } } | undefined)?.checks?.broker === 'up';
}

async function start(running: Running, log: (line: string) => void): Promise<void> {
  const child = spawn(process.execPath, ['-r', './tools/register.js', running.main], { cwd: ROOT, env: running.env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.child = child;
  running.tail = [];
  const keep = (chunk: Buffer) => {
    running.tail.push(...chunk.toString().split('\n').filter(Boolean));
    running.tail.splice(0, Math.max(0, running.tail.length - 30));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const deadline = Date.now() + 180_000;
  let lastAnswer = 'none';
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${running.name} exited with ${child.exitCode}:\n${running.tail.join('\n')}`);
    const ready = await fetch(`${running.url}/health/ready`, { signal: AbortSignal.timeout(2000) }).then(
      async (answer) => {
        const body: unknown = await answer.json().catch(() => undefined);
        lastAnswer = `${answer.status} ${JSON.stringify(body)}`;
        return readyToUse(answer.status, body, running.onKafka);
      },
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`${running.name} was not ready after 180 s (its last readiness answer: ${lastAnswer}):\n${running.tail.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  log(`${running.name} ready on ${running.url} (pid ${child.pid})`);
}

async function stopProcess(running: Running, signal: NodeJS.Signals): Promise<void> {
  const child = running.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

async function createDatabases(serverUrl: string, names: string[]): Promise<string[]> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    for (const name of names) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  return names;
}

async function dropDatabases(serverUrl: string, names: string[]): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
