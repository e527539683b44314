// Bench-only prototypes of proposed libs changes, patched into a service host process so their effect
// on the replica latency can be measured without editing libs/. Enabled by BENCH_PROTO (comma-separated):
//   notify-after-commit      pg_notify calls made inside a transaction are held back and sent after its
//                            COMMIT, coalesced per channel, by a separate connection (what
//                            AfterCommitNotifier in event-store-proposed.ts does for the event store)
//   consumer-concurrency=N   kafkajs consumer.run({ partitionsConsumedConcurrently: N }): what passing it
//                            in connectConsumers' `run` options (libs/messaging) would do
import { Client, Pool } from 'pg';

export function applyHostPrototypes(spec: string | undefined, databaseUrl: string): string[] {
  const applied: string[] = [];
  for (const part of (spec ?? '').split(',').map((value) => value.trim()).filter(Boolean)) {
    const [name, value] = part.split('=');
    if (name === 'notify-after-commit') notifyAfterCommit(databaseUrl);
    else if (name === 'consumer-concurrency') consumerConcurrency(Number(value));
    else throw new Error(`unknown BENCH_PROTO part ${part}`);
    applied.push(part);
  }
  return applied;
}

function notifyAfterCommit(databaseUrl: string): void {
  const notifierPool = new Pool({ connectionString: databaseUrl, max: 2 });
  notifierPool.on('error', () => undefined);
  const inFlight = new Map<string, Promise<void>>();
  const again = new Set<string>();
  const notify = (channel: string): void => {
    if (inFlight.has(channel)) {
      again.add(channel);
      return;
    }
    inFlight.set(
      channel,
      notifierPool
        .query('SELECT pg_notify($1, $2)', [channel, ''])
        .then(() => undefined, () => undefined)
        .finally(() => {
          inFlight.delete(channel);
          if (again.delete(channel)) notify(channel);
        }),
    );
  };

  const inTransaction = new WeakSet<Client>();
  const held = new WeakMap<Client, Set<string>>();
  const original = Client.prototype.query as (...args: unknown[]) => unknown;
  (Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: Client, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0].trim() : '';
    if (/^BEGIN\b/i.test(text)) inTransaction.add(this);
    if (/^SELECT pg_notify\(/i.test(text) && inTransaction.has(this) && Array.isArray(args[1]) && typeof args[args.length - 1] !== 'function') {
      const channels = held.get(this) ?? new Set<string>();
      channels.add(String(args[1][0]));
      held.set(this, channels);
      return Promise.resolve({ rows: [{ pg_notify: '' }], rowCount: 1, command: 'SELECT', fields: [] });
    }
    const result = original.apply(this, args);
    if (/^(COMMIT|ROLLBACK)\b/i.test(text)) {
      inTransaction.delete(this);
      const channels = held.get(this);
      held.delete(this);
      if (channels && /^COMMIT/i.test(text) && result instanceof Promise) {
        result.then(() => channels.forEach(notify), () => undefined);
      }
    }
    return result;
  };
}

function consumerConcurrency(concurrency: number): void {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('consumer-concurrency needs a positive integer');
  const kafkajs = require('kafkajs') as { Kafka: { prototype: { consumer: (...args: unknown[]) => { run: (options: object) => Promise<void> } } } };
  const original = kafkajs.Kafka.prototype.consumer;
  kafkajs.Kafka.prototype.consumer = function (this: unknown, ...args: unknown[]) {
    const consumer = original.apply(this, args);
    const run = consumer.run.bind(consumer);
    consumer.run = (options: object) => run({ ...options, partitionsConsumedConcurrently: concurrency });
    return consumer;
  };
}
