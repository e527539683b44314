// Jest global setup: one Postgres server and one Kafka broker for the whole run. Their addresses go
// into process.env, which the Jest workers inherit; every test file then makes its own database
// (createTestDatabase) and its own topics.
//
// Only relative imports here: Jest loads this file outside its module registry, where the @skills/*
// aliases (moduleNameMapper) do not apply.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testInfra } from './infra-state';
import { fetchKafka, startBroker, startEmbeddedPostgres } from './local-infra';

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  // Both are independent and take seconds; start them side by side.
  const [postgres, kafka] = await Promise.allSettled([providePostgres(), provideKafka()]);
  if (postgres.status === 'rejected') {
    // Nothing runs without a database: clean up what did start, then fail the run.
    await (await import('./global-teardown')).default();
    throw postgres.reason;
  }
  const kafkaSummary = kafka.status === 'fulfilled' ? kafka.value : `unavailable (${String(kafka.reason)})`;
  console.log(`\nTest infrastructure in ${Date.now() - started} ms: Postgres ${postgres.value}; Kafka ${kafkaSummary}`);
}

function setEnv(name: string, value: string): void {
  process.env[name] = value;
  testInfra().setEnv.push(name);
}

async function providePostgres(): Promise<string> {
  if (process.env.DATABASE_URL) return 'from DATABASE_URL';
  const started = Date.now();
  const server = await startEmbeddedPostgres({
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'skills-test-pg-')),
    persistent: false,
    fast: true,
  });
  testInfra().postgres = server;
  setEnv('DATABASE_URL', server.url);
  return `embedded on port ${server.port} (${Date.now() - started} ms)`;
}

async function provideKafka(): Promise<string> {
  if (process.env.KAFKA_BROKERS) return `from KAFKA_BROKERS (${process.env.KAFKA_BROKERS})`;
  const notes: string[] = [];

  if (commandSucceeds('docker', ['info'])) {
    try {
      const started = Date.now();
      const brokers = await startKafkaContainer();
      setEnv('KAFKA_BROKERS', brokers);
      return `testcontainers at ${brokers} (${Date.now() - started} ms)`;
    } catch (error) {
      notes.push(`testcontainers failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else {
    notes.push('no Docker engine');
  }

  if (commandSucceeds('java', ['-version'])) {
    try {
      const started = Date.now();
      await fetchKafka();
      const fetched = Date.now();
      const broker = await startBroker();
      testInfra().kafkaBroker = broker;
      setEnv('KAFKA_BROKERS', broker.brokers.join(','));
      return `local broker at ${broker.brokers.join(',')} (jars ${fetched - started} ms, start ${Date.now() - fetched} ms)`;
    } catch (error) {
      notes.push(`local broker failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else {
    notes.push('no java');
  }

  // Not fatal here: describeWithKafka skips (or, with CI=true, fails) the Kafka tests with this reason.
  const reason = notes.join('; ');
  setEnv('KAFKA_UNAVAILABLE', reason);
  return `unavailable (${reason})`;
}

// Loaded lazily, by a name TypeScript does not resolve: @testcontainers/kafka is optional (not
// installed while it needs a newer Node than ours) and only makes sense where Docker answers.
async function startKafkaContainer(): Promise<string> {
  const moduleName = '@testcontainers/kafka';
  const { KafkaContainer } = (await import(moduleName)) as {
    KafkaContainer: new (image: string) => {
      withKraft(): { start(): Promise<{ getHost(): string; getMappedPort(port: number): number; stop(): Promise<unknown> }> };
    };
  };
  const container = await new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start();
  testInfra().kafkaContainer = container;
  // 9093 is the PLAINTEXT listener @testcontainers/kafka advertises to the host.
  return `${container.getHost()}:${container.getMappedPort(9093)}`;
}

function commandSucceeds(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 15_000 });
  return !result.error && result.status === 0;
}
