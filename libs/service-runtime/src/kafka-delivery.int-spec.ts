// Delivery guarantees of the Kafka deployment, end to end on a real broker: a real OutboxRelay and
// KafkaPublisher on the producing side, a real host (createHost, ServerKafka, @EventPattern) running a
// probe service whose handler makes a NON-idempotent change through MessageConsumer (inbox + retries +
// dead letters). Only the inbox stands between a redelivery and a double count, so every test below
// fails if at-least-once delivery or exactly-once effect is broken.
//
// Every test has its own database, topic, consumer group and inbox consumer name, so tests neither
// see each other's messages nor share offsets.
import { Controller, Inject, Module, Type } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DEAD_LETTER_TOPIC, IntegrationEnvelope } from '@skills/contracts';
import { Database, migrate, sqlMigration } from '@skills/postgres';
import { enqueueMessages, EventStoreSchema, OutboxMessage, OutboxRelay } from '@skills/event-sourcing';
import { createTopics, KafkaPublisher, MESSAGES_PER_TRANSACTION, MessageConsumer } from '@skills/messaging';
// Test-only: the probe must run inside the same ServiceRuntimeModule as real services do (migrations,
import { ServiceRuntimeModule } from './service-runtime.module';
import { createTestDatabase, describeWithKafka, kafkaBrokers, startTestHost, TestDatabase, TestHost, waitFor } from '@skills/testing';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { randomBytes, randomUUID } from 'node:crypto';

const ProbeTables = sqlMigration(
  'ProbeTables',
  1700000000200,
  `CREATE TABLE counters (n integer NOT NULL);
   INSERT INTO counters VALUES (0);
   CREATE TABLE arrivals (
     id serial PRIMARY KEY,
     aggregate_id text NOT NULL,
     aggregate_version integer NOT NULL,
     event_id uuid NOT NULL
   );`,
);

/** One probe service: its topic, consumer group, inbox name, and what its handler has seen (kept across hosts). */
interface Probe {
  topic: string;
  group: string;
  consumer: string;
  module: Type;
  /** Handler calls, counted on entry: every delivery, redeliveries included. */
  invocations: number;
  /** Handler calls that have returned. */
  completed: number;
  /** Event ids whose apply always throws (after its non-idempotent update, which must roll back). */
  poison: Set<string>;
  /** Slows each apply down, so a host can be stopped in the middle of a stream. */
  applyDelayMs: number;
}

function createProbe(name: string): Probe {
  const suffix = `${name}-${randomBytes(4).toString('hex')}`;
  const probe = {
    topic: `probe.${suffix}`,
    group: `probe-${suffix}`,
    consumer: `probe.${suffix}`,
    invocations: 0,
    completed: 0,
    poison: new Set<string>(),
    applyDelayMs: 0,
  } as Probe;

  @Controller()
  class ProbeConsumer {
    constructor(@Inject(MessageConsumer) private readonly messages: MessageConsumer) {}

    @EventPattern(probe.topic)
    async onMessage(@Payload() envelope: IntegrationEnvelope): Promise<void> {
      probe.invocations++;
      try {
        await this.messages.consume(probe.consumer, probe.topic, envelope, async (tx) => {
          if (probe.applyDelayMs > 0) await sleep(probe.applyDelayMs);
          await tx.query('UPDATE counters SET n = n + 1');
          await tx.query('INSERT INTO arrivals (aggregate_id, aggregate_version, event_id) VALUES ($1, $2, $3)', [
            envelope.aggregateId,
            envelope.aggregateVersion,
            envelope.eventId,
          ]);
          if (probe.poison.has(envelope.eventId)) throw new Error(`probe refuses ${envelope.eventId}`);
        });
      } finally {
        probe.completed++;
      }
    }
  }

  @Module({
    imports: [ServiceRuntimeModule.forService({ name: 'probe', migrations: [ProbeTables] })],
    controllers: [ProbeConsumer],
  })
  class ProbeModule {}

  probe.module = ProbeModule;
  return probe;
}

const envelope = (aggregateId: string, aggregateVersion: number): IntegrationEnvelope => ({
  eventId: randomUUID(),
  type: 'Probed',
  schemaVersion: 1,
  aggregateId,
  aggregateVersion,
  occurredAt: '2026-01-01',
  recordedAt: new Date().toISOString(),
  correlationId: `probe-${aggregateId}-${aggregateVersion}`,
  payload: { aggregateVersion },
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What one test owns: a database with the probe's schema and a producing "source" service schema. */
class Scenario {
  readonly source: Database;
  readonly probeDb: Database;
  readonly relay: OutboxRelay;
  private readonly publisher: KafkaPublisher;
  host?: TestHost;

  private constructor(
    readonly database: TestDatabase,
    readonly probe: Probe,
  ) {
    this.source = new Database({ url: database.url, schema: 'source', poolSize: 2 });
    this.probeDb = new Database({ url: database.url, schema: 'probe', poolSize: 2 });
    this.publisher = new KafkaPublisher(KafkaPublisher.client(kafkaBrokers(), `${probe.group}-source`));
    // A poll far beyond the test's waits: NOTIFY wakes the relay, as in production.
    this.relay = new OutboxRelay(this.source, this.publisher, { pollIntervalMs: 60_000 });
  }

  static async create(name: string, partitions: number): Promise<Scenario> {
    const probe = createProbe(name);
    await withAdmin((admin) => createTopics(admin, [{ topic: probe.topic, numPartitions: partitions, replicationFactor: 1 }]));
    const database = await createTestDatabase();
    await migrate(database.url, 'source', [EventStoreSchema]);
    const scenario = new Scenario(database, probe);
    await scenario.relay.start();
    return scenario;
  }

  async startProbe(): Promise<void> {
    this.host = await startTestHost({ modules: [this.probe.module], transport: 'kafka', clientId: this.probe.group, kafkaBrokers: kafkaBrokers(), databaseUrl: this.database.url });
  }

  async stopProbe(): Promise<void> {
    const host = this.host;
    this.host = undefined;
    await host?.close();
  }

  /** Written to the source's outbox in one transaction, in the given order; the relay publishes them. */
  async enqueue(envelopes: IntegrationEnvelope[]): Promise<void> {
    await this.source.transaction((tx) =>
      enqueueMessages(tx, 'source', envelopes.map((message): OutboxMessage => ({ topic: this.probe.topic, key: message.aggregateId, envelope: message }))),
    );
  }

  async counter(): Promise<number> {
    return (await this.probeDb.query<{ n: number }>('SELECT n FROM counters')).rows[0].n;
  }

  async arrivals(): Promise<{ aggregate_id: string; aggregate_version: number; event_id: string }[]> {
    return (await this.probeDb.query<{ aggregate_id: string; aggregate_version: number; event_id: string }>('SELECT aggregate_id, aggregate_version, event_id FROM arrivals ORDER BY id')).rows;
  }

  async inboxSize(): Promise<number> {
    const { rows } = await this.probeDb.query<{ count: string }>('SELECT count(*) FROM inbox WHERE consumer = $1', [this.probe.consumer]);
    return Number(rows[0].count);
  }

  async close(): Promise<void> {
    await this.stopProbe().catch(() => undefined);
    await this.relay.stop();
    await this.publisher.close();
    await this.source.close();
    await this.probeDb.close();
    await this.database.drop();
  }
}

async function withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Kafka({ clientId: 'kafka-delivery-spec-admin', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

describeWithKafka('Kafka delivery: outbox → relay → broker → @EventPattern → inbox', () => {
  const scenarios: Scenario[] = [];
  const scenario = async (name: string, partitions = 6) => {
    const created = await Scenario.create(name, partitions);
    scenarios.push(created);
    return created;
  };

  afterAll(async () => {
    for (const created of scenarios) await created.close();
  });

  it('applies each message once when a consumer that applied them dies before committing its offsets', async () => {
    const s = await scenario('crash');
    const N = 12;
    await s.startProbe();
    await s.enqueue(Array.from({ length: N }, (_, n) => envelope(`crash-${n % 3}`, Math.floor(n / 3) + 1)));
    await waitFor(async () => (await s.counter()) === N, { timeoutMs: 20_000, description: `the counter to reach ${N}` });
    await waitFor(() => s.probe.completed === N, { timeoutMs: 5_000, description: 'every handler call to return' });
    expect(s.probe.invocations).toBe(N);

    // Stop the consumer, then rewind its group to the start: the state a consumer leaves that
    // crashed after applying the messages but before committing their offsets.
    await s.stopProbe();
    await withAdmin((admin) => admin.resetOffsets({ groupId: s.probe.group, topic: s.probe.topic, earliest: true }));

    await s.startProbe();
    await waitFor(() => s.probe.completed === 2 * N, { timeoutMs: 20_000, description: `all ${N} messages to be redelivered and handled` });

    expect(s.probe.invocations).toBe(2 * N);
    expect(await s.counter()).toBe(N);
    expect(await s.inboxSize()).toBe(N);
    expect(await s.arrivals()).toHaveLength(N);
  });

  it('applies every message of a batch exactly once when the consumer dies in the middle of it', async () => {
    // One partition, so the messages come as one fetched batch, applied a chunk to a transaction: two
    // chunks, the messages of four aggregates interleaved.
    const s = await scenario('batch', 1);
    const N = 2 * MESSAGES_PER_TRANSACTION;
    s.probe.applyDelayMs = 40;
    await s.enqueue(Array.from({ length: N }, (_, n) => envelope(`batch-${n % 4}`, Math.floor(n / 4) + 1)));
    await s.startProbe();
    // In the middle of the second chunk: the first has committed, the second is applied but not committed.
    await waitFor(() => s.probe.invocations >= MESSAGES_PER_TRANSACTION + 5, { timeoutMs: 30_000, description: 'the consumer to be in the middle of its batch' });
    // The crash: the chunk's transaction loses its connection (as when the process dies), then the host goes.
    // Only the probe's: the source's relay may be in a transaction of its own (publishing).
    await s.probeDb.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'
          AND (query LIKE '%inbox%' OR query LIKE '%counters%' OR query LIKE '%arrivals%' OR query LIKE '%SAVEPOINT%')`,
    );
    await s.stopProbe();
    const committed = await s.counter();
    expect(committed % MESSAGES_PER_TRANSACTION).toBe(0);
    expect(committed).toBeLessThan(N);

    await s.startProbe();
    await waitFor(async () => (await s.counter()) === N, { timeoutMs: 30_000, description: `the counter to reach ${N}` });
    // Redelivered from the uncommitted chunk on; each message took effect once, each aggregate in order.
    expect(s.probe.invocations).toBeGreaterThan(N);
    expect(await s.inboxSize()).toBe(N);
    const arrivals = await s.arrivals();
    expect(new Set(arrivals.map((arrival) => arrival.event_id)).size).toBe(N);
    for (let a = 0; a < 4; a++) {
      const versions = arrivals.filter((arrival) => arrival.aggregate_id === `batch-${a}`).map((arrival) => arrival.aggregate_version);
      expect(versions).toEqual(Array.from({ length: N / 4 }, (_, v) => v + 1));
    }
  });

  it('keeps every aggregate in order across 6 partitions, a consumer restart midway and redelivered duplicates', async () => {
    const s = await scenario('order', 6);
    const AGGREGATES = 5;
    const VERSIONS = 40;
    const HALF = VERSIONS / 2;
    const streams = Array.from({ length: AGGREGATES }, (_, a) => Array.from({ length: VERSIONS }, (_, v) => envelope(`order-${a}`, v + 1)));
    /** Versions from..to of every aggregate, interleaved across aggregates, a few per transaction. */
    const enqueueVersions = async (from: number, to: number) => {
      for (let v = from; v <= to; v += 2) {
        await s.enqueue(streams.flatMap((stream) => stream.slice(v - 1, Math.min(v + 1, to))));
      }
    };

    s.probe.applyDelayMs = 10;
    await s.startProbe();
    await enqueueVersions(1, HALF);
    // Stop the consumer host in the middle of the stream, once it is under way. Whether it had applied
    // all of the first half by then is up to its speed (so not asserted): the second half is published
    // only after the stop, so the restart is midway through every aggregate's stream either way.
    await waitFor(async () => (await s.counter()) >= 30, { timeoutMs: 20_000, description: 'the consumer to be under way' });
    await s.stopProbe();
    // What the first host left is whole and in order: each aggregate's first versions, none twice, none
    // skipped (a chunk it was in the middle of is rolled back, and delivered again after the restart).
    const appliedBeforeRestart = await s.arrivals();
    expect(await s.counter()).toBe(appliedBeforeRestart.length);
    expect(appliedBeforeRestart.length).toBeGreaterThanOrEqual(30);
    for (const stream of streams) {
      const versions = appliedBeforeRestart.filter((arrival) => arrival.aggregate_id === stream[0].aggregateId).map((arrival) => arrival.aggregate_version);
      expect(versions).toEqual(Array.from({ length: versions.length }, (_, v) => v + 1));
      expect(versions.length).toBeLessThanOrEqual(HALF);
    }

    // Published while no consumer runs; then a relay that crashed before deleting its rows publishes
    // the first versions of every aggregate again: late duplicates the inbox must skip.
    await enqueueVersions(HALF + 1, VERSIONS);
    // (The outbox keys rows by message id: the originals must be published and deleted first.)
    await waitFor(async () => (await s.relay.backlog()) === 0, { timeoutMs: 10_000, description: 'the source outbox to empty' });
    await s.enqueue(streams.flatMap((stream) => stream.slice(0, 5)));
    s.probe.applyDelayMs = 0;
    await s.startProbe();

    const total = AGGREGATES * VERSIONS;
    const deliveries = total + 5 * AGGREGATES;
    await waitFor(async () => s.probe.completed >= deliveries && (await s.counter()) >= total, {
      timeoutMs: 30_000,
      description: `all ${total} messages and the ${5 * AGGREGATES} duplicates to be handled`,
    });

    const arrivals = await s.arrivals();
    const byAggregate = new Map<string, number[]>();
    for (const arrival of arrivals) byAggregate.set(arrival.aggregate_id, [...(byAggregate.get(arrival.aggregate_id) ?? []), arrival.aggregate_version]);
    const expected = Array.from({ length: VERSIONS }, (_, v) => v + 1);
    expect([...byAggregate.keys()].sort()).toEqual(streams.map((stream) => stream[0].aggregateId).sort());
    for (const [, versions] of byAggregate) expect(versions).toEqual(expected);
    expect(await s.counter()).toBe(total);
    expect(s.probe.invocations).toBeGreaterThanOrEqual(deliveries);
    // The aggregates really were spread over several partitions.
    const partitions = await withAdmin((admin) => admin.fetchTopicOffsets(s.probe.topic));
    expect(partitions.filter((partition) => Number(partition.high) > 0).length).toBeGreaterThan(1);
  });

  it('parks a poison message on the dead-letter topic with its error and keeps applying the partition behind it', async () => {
    const s = await scenario('poison', 3);
    await s.startProbe();
    const key = 'poison-stream';
    const first = envelope(key, 1);
    const refused = envelope(key, 2);
    const later = [envelope(key, 3), envelope(key, 4)];
    s.probe.poison.add(refused.eventId);

    // One key, so one partition: the good messages sit behind the poison ones.
    const producer = new Kafka({ clientId: `${s.probe.group}-raw`, brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    try {
      await producer.send({
        topic: s.probe.topic,
        acks: -1,
        messages: [
          { key, value: JSON.stringify(first) },
          { key, value: 'this is not an integration envelope' },
          { key, value: JSON.stringify(refused) },
          ...later.map((message) => ({ key, value: JSON.stringify(message) })),
        ],
      });
    } finally {
      await producer.disconnect();
    }

    await waitFor(async () => (await s.counter()) === 3, { timeoutMs: 20_000, description: 'the good messages to be applied' });
    await waitFor(() => s.probe.completed === 5, { timeoutMs: 10_000, description: 'every message to be handled' });
    expect((await s.arrivals()).map((arrival) => arrival.aggregate_version)).toEqual([1, 3, 4]);

    const letters = await readDeadLetters(s.probe.consumer, 2);
    expect(letters).toHaveLength(2);
    const [malformed, rejected] = letters;
    expect(malformed.headers).toMatchObject({ consumer: s.probe.consumer, 'original-topic': s.probe.topic, error: expect.stringContaining('MalformedMessage') });
    expect(rejected.headers).toMatchObject({
      consumer: s.probe.consumer,
      'original-topic': s.probe.topic,
      eventId: refused.eventId,
      error: expect.stringContaining(`probe refuses ${refused.eventId}`),
    });
    expect(JSON.parse(rejected.value)).toMatchObject({ eventId: refused.eventId, aggregateVersion: 2 });
    // The refused message's update was rolled back with its inbox claim on every attempt.
    expect(await s.counter()).toBe(3);
    expect(await s.inboxSize()).toBe(3);
  });
});

/** The dead letters one consumer parked, in order, read from the shared dead-letter topic. */
async function readDeadLetters(consumerName: string, expected: number): Promise<{ headers: Record<string, string>; value: string }[]> {
  const kafka = new Kafka({ clientId: 'kafka-delivery-spec-dead-letters', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
  const reader = kafka.consumer({ groupId: `dead-letters-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const letters: { headers: Record<string, string>; value: string }[] = [];
  await reader.connect();
  try {
    await reader.subscribe({ topic: DEAD_LETTER_TOPIC, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]));
        if (headers.consumer === consumerName) letters.push({ headers, value: String(message.value) });
      },
    });
    await waitFor(() => letters.length >= expected, { timeoutMs: 20_000, description: `${expected} dead letters from ${consumerName}` });
    // Anything more would arrive right behind them.
    await sleep(300);
    return letters;
  } finally {
    await reader.disconnect();
  }
}
