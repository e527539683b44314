// Jest global setup: one Postgres server and one Kafka broker for the whole run. Their addresses go
// into process.env, which the Jest workers inherit; every test file then makes its own database
// (createTestDatabase) and its own topics.
//
// Where they come from (container-runtime.ts decides): DATABASE_URL / KAFKA_BROKERS when set; else
// containers (testcontainers) where a container runtime answers; else the embedded Postgres and a
// local broker from tools/kafka. A container that fails to start falls back to the local way.
//
// Only relative imports here: Jest loads this file outside its module registry, where the @skills/*
// aliases (moduleNameMapper) do not apply.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chooseInfrastructure, type ContainerRuntimeDetection, detectContainerRuntime, type KafkaSource, type PostgresSource } from './container-runtime';
import { TEST_RUN_ENV, testInfra } from './infra-state';
import { fetchKafka, startBroker, startEmbeddedPostgres } from './local-infra';

/** The Postgres of docker-compose.yml and of the embedded server (17). */
const POSTGRES_IMAGE = 'postgres:17';
/** Confluent Platform 7.9 is Apache Kafka 3.9, the version tools/kafka runs. */
const KAFKA_IMAGE = 'confluentinc/cp-kafka:7.9.0';

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const env = process.env;
  // What the run's workers share once per run (the console's build: e2e/src/console/browser.ts).
  setEnv(TEST_RUN_ENV, randomUUID());
  // Both lookups only when something is left to provide.
  const runtime: ContainerRuntimeDetection = env.DATABASE_URL && env.KAFKA_BROKERS ? { available: false } : await detectContainerRuntime();
  const javaAvailable = !env.KAFKA_BROKERS && commandSucceeds('java', ['-version']);
  const choice = chooseInfrastructure({ env, runtimeAvailable: runtime.available, javaAvailable, runtimeReason: runtime.reason });

  // Both are independent and take seconds; start them side by side.
  const [postgres, kafka] = await Promise.allSettled([providePostgres(choice.postgres), provideKafka(choice.kafka, choice.kafkaLeftOut)]);
  if (postgres.status === 'rejected') {
    // Nothing runs without a database: clean up what did start, then fail the run.
    await (await import('./global-teardown')).default();
    throw postgres.reason;
  }
  const kafkaSummary = kafka.status === 'fulfilled' ? kafka.value : `unavailable (${String(kafka.reason)})`;
  const containers = runtime.reason ? ` (no containers: ${runtime.reason})` : '';
  console.log(`\nTest infrastructure in ${Date.now() - started} ms: Postgres ${postgres.value}; Kafka ${kafkaSummary}${containers}`);
}

function setEnv(name: string, value: string): void {
  process.env[name] = value;
  testInfra().setEnv.push(name);
}

/** Tries each way in turn; the first that starts is the run's Postgres. */
async function providePostgres(ways: PostgresSource[]): Promise<string> {
  const failures: string[] = [];
  for (const way of ways) {
    const started = Date.now();
    try {
      switch (way) {
        case 'DATABASE_URL':
          return 'from DATABASE_URL';
        case 'container': {
          const url = await startPostgresContainer();
          setEnv('DATABASE_URL', url);
          return `testcontainers at ${new URL(url).host} (${Date.now() - started} ms)`;
        }
        case 'embedded': {
          const server = await startEmbeddedPostgres({
            dataDir: mkdtempSync(path.join(os.tmpdir(), 'skills-test-pg-')),
            persistent: false,
            fast: true,
          });
          testInfra().postgres = server;
          setEnv('DATABASE_URL', server.url);
          return `embedded on port ${server.port} (${Date.now() - started} ms)${failures.length > 0 ? ` after ${failures.join('; ')}` : ''}`;
        }
      }
    } catch (error) {
      failures.push(`${way} failed: ${messageOf(error)}`);
    }
  }
  throw new Error(`no Postgres: ${failures.join('; ')}`);
}

/** Tries each way in turn; without any, Kafka is unavailable and the Kafka suites say why. */
async function provideKafka(ways: KafkaSource[], leftOut: string[]): Promise<string> {
  const failures: string[] = [];
  for (const way of ways) {
    const started = Date.now();
    try {
      switch (way) {
        case 'KAFKA_BROKERS':
          return `from KAFKA_BROKERS (${process.env.KAFKA_BROKERS})`;
        case 'container': {
          const brokers = await startKafkaContainer();
          setEnv('KAFKA_BROKERS', brokers);
          return `testcontainers at ${brokers} (${Date.now() - started} ms)`;
        }
        case 'local broker': {
          await fetchKafka();
          const fetched = Date.now();
          const broker = await startBroker();
          testInfra().kafkaBroker = broker;
          setEnv('KAFKA_BROKERS', broker.brokers.join(','));
          return `local broker at ${broker.brokers.join(',')} (jars ${fetched - started} ms, start ${Date.now() - fetched} ms)${failures.length > 0 ? ` after ${failures.join('; ')}` : ''}`;
        }
      }
    } catch (error) {
      failures.push(`${way} failed: ${messageOf(error)}`);
    }
  }
  // Not fatal here: describeWithKafka skips (or, with CI=true, fails) the Kafka tests with this reason.
  const reason = [...leftOut, ...failures].join('; ');
  setEnv('KAFKA_UNAVAILABLE', reason);
  return `unavailable (${reason})`;
}

/** A Postgres container; global-teardown stops it. The settings are the embedded server's for tests. */
async function startPostgresContainer(): Promise<string> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer(POSTGRES_IMAGE)
    // Each Jest worker's test files open pools of their own; crash safety is not wanted in a test run.
    .withCommand(['postgres', '-c', 'max_connections=400', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'])
    .start();
  testInfra().postgresContainer = container;
  return container.getConnectionUri();
}

/** A single-node KRaft Kafka container; global-teardown stops it. */
async function startKafkaContainer(): Promise<string> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const container = await new KafkaContainer(KAFKA_IMAGE).withKraft().start();
  testInfra().kafkaContainer = container;
  // 9093 is the PLAINTEXT listener @testcontainers/kafka advertises to the host.
  return `${container.getHost()}:${container.getMappedPort(9093)}`;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function commandSucceeds(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 15_000 });
  return !result.error && result.status === 0;
}
