// Child process: one side of the bare pipeline, with no framework, outbox or inbox. The sending side
// inserts a row and commits (one autocommitted INSERT) in database A, then produces the row to Kafka;
// the applying side consumes it and inserts and commits it in database B (a fetched batch at once). Each side is a process of
// its own, as trainee-service and training-service are in the replica latency run.
import { Consumer, Kafka, logLevel, Message, Producer } from 'kafkajs';
import { Pool } from 'pg';
import { benchEvents } from '../appends/payload';
import { serveParent } from '../support/child';

interface SideParams {
  databaseUrl: string;
  brokers: string[];
  topic: string;
  clientId: string;
}

let pool: Pool | undefined;
let producer: Producer | undefined;
let consumer: Consumer | undefined;
let topic = '';

/** The same pool size as a service's Database. */
const POOL_SIZE = 20;

async function startSender(params: SideParams): Promise<null> {
  topic = params.topic;
  pool = new Pool({ connectionString: params.databaseUrl, max: POOL_SIZE });
  await pool.query('CREATE TABLE IF NOT EXISTS sent (id uuid PRIMARY KEY, message jsonb NOT NULL)');
  // acks from all in-sync replicas, as the outbox relay's producer; not idempotent (ordering under
  // producer retries is something the framework buys).
  producer = new Kafka({ clientId: params.clientId, brokers: params.brokers, logLevel: logLevel.NOTHING }).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  return null;
}

let sequence = 0;

async function send({ id }: { id: string }): Promise<null> {
  if (!pool || !producer) throw new Error('startSender first');
  const message = JSON.stringify(envelope(id, sequence++));
  await pool.query({ name: 'bare_sent', text: 'INSERT INTO sent (id, message) VALUES ($1, $2)', values: [id, message] });
  await produce({ key: id, value: message });
  return null;
}

/**
 * One produce request in flight at a time, and whatever was sent meanwhile goes in the next one: a
 * broker handles a connection's requests one after another, so a request per message would queue
 * behind each other at a few hundred a second. No timer: a message alone goes out at once.
 */
const waiting: Array<{ message: Message; done: (error?: unknown) => void }> = [];
let producing = false;

function produce(message: Message): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    waiting.push({ message, done: (error) => (error === undefined ? resolve() : reject(error)) });
    if (!producing) void produceWaiting();
  });
}

async function produceWaiting(): Promise<void> {
  producing = true;
  while (waiting.length > 0) {
    const batch = waiting.splice(0);
    const error = await (producer as Producer).send({ topic, acks: -1, messages: batch.map((entry) => entry.message) }).then(
      () => undefined,
      (failure: unknown) => failure ?? new Error('produce failed'),
    );
    for (const entry of batch) entry.done(error);
  }
  producing = false;
}

async function startApplier(params: SideParams): Promise<null> {
  const applied = new Pool({ connectionString: params.databaseUrl, max: POOL_SIZE });
  pool = applied;
  await applied.query('CREATE TABLE IF NOT EXISTS applied (id uuid PRIMARY KEY, message jsonb NOT NULL)');
  // The same fetch settings and partition concurrency as the services' Kafka consumers.
  const kafkaConsumer = new Kafka({ clientId: params.clientId, brokers: params.brokers, logLevel: logLevel.NOTHING }).consumer({ groupId: params.clientId, maxWaitTimeInMs: 500 });
  consumer = kafkaConsumer;
  const joined = new Promise<void>((resolve) => kafkaConsumer.on(kafkaConsumer.events.GROUP_JOIN, () => resolve()));
  await kafkaConsumer.connect();
  await kafkaConsumer.subscribe({ topic: params.topic, fromBeginning: true });
  await kafkaConsumer.run({
    autoCommit: true,
    partitionsConsumedConcurrently: 6,
    // A fetched batch of a partition in one INSERT and one commit, as few round trips as it can be.
    eachBatch: async ({ batch }) => {
      const values = batch.messages.map((message) => message.value?.toString() ?? '{}');
      const ids = values.map((value) => (JSON.parse(value) as { eventId: string }).eventId);
      await applied.query({
        name: 'bare_applied',
        text: 'INSERT INTO applied (id, message) SELECT * FROM unnest($1::uuid[], $2::jsonb[]) ON CONFLICT DO NOTHING',
        values: [ids, values],
      });
    },
  });
  await joined;
  return null;
}

/** About the size and shape of an integration message of a registration. */
function envelope(id: string, n: number) {
  const [event] = benchEvents(1, n);
  const now = new Date().toISOString();
  return { eventId: id, type: 'TraineeRegistered', schemaVersion: 1, aggregateId: id, aggregateVersion: 1, occurredAt: now, recordedAt: now, correlationId: id, payload: event.data };
}

serveParent({ startSender, send, startApplier }, async () => {
  await consumer?.disconnect();
  await producer?.disconnect();
  await pool?.end();
});
