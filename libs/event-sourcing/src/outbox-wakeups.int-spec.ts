import { createTestDatabase, TestDatabase, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Database, migrate } from '@skills/postgres';
import { EventStoreSchema } from './event-store.schema';
import { enqueueMessages, OutboxMessage, OutboxRelay } from './outbox';

/** Polls so slow that only a wake-up can publish within a test. */
const NO_POLL = 600_000;

const message = (): OutboxMessage => {
  const eventId = randomUUID();
  return {
    topic: 'wakeups',
    key: 'a-1',
    envelope: { eventId, type: 'Counted', schemaVersion: 1, aggregateId: 'a-1', aggregateVersion: 1, occurredAt: '2026-01-01T00:00:00Z', recordedAt: '2026-01-01T00:00:00Z', correlationId: 'test', payload: {} },
  };
};

/** The NOTIFYs a database sends on its pool (the writer's side of a wake-up). */
function countNotifies(database: Database): () => number {
  let notifies = 0;
  const query = database.pool.query.bind(database.pool) as (...args: unknown[]) => unknown;
  (database.pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('pg_notify')) notifies++;
    return query(...args);
  };
  return () => notifies;
}

describe('Outbox relay wake-ups', () => {
  let testDatabase: TestDatabase;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, 'wakeups', [EventStoreSchema]);
  });

  afterAll(async () => {
    await testDatabase.drop();
  });

  const relayOn = (database: Database, published: string[]) =>
    new OutboxRelay(database, { publish: async (messages) => void published.push(...messages.map((m) => m.envelope.eventId)) }, { pollIntervalMs: NO_POLL });

  it('wakes a relay in the same process without a NOTIFY, and sends one when no relay here listens', async () => {
    const database = new Database({ url: testDatabase.url, schema: 'wakeups' });
    const notifies = countNotifies(database);
    const published: string[] = [];
    const relay = relayOn(database, published);
    await relay.start();
    try {
      const first = message();
      await database.transaction((tx) => enqueueMessages(tx, 'wakeups', [first]));
      await waitFor(() => published.includes(first.envelope.eventId), { timeoutMs: 5_000, description: 'the message published' });
      expect(notifies()).toBe(0);
    } finally {
      await relay.stop();
    }

    // The relay of another process (here: the same server under another URL, so not this process's listener).
    const otherUrl = `${testDatabase.url}${testDatabase.url.includes('?') ? '&' : '?'}application_name=elsewhere`;
    const elsewhere = new Database({ url: otherUrl, schema: 'wakeups' });
    const publishedElsewhere: string[] = [];
    const remote = relayOn(elsewhere, publishedElsewhere);
    await remote.start();
    try {
      const second = message();
      await database.transaction((tx) => enqueueMessages(tx, 'wakeups', [second]));
      await waitFor(() => publishedElsewhere.includes(second.envelope.eventId), { timeoutMs: 5_000, description: 'the message published' });
      expect(notifies()).toBe(1);
    } finally {
      await remote.stop();
      await elsewhere.close();
      await database.close();
    }
  });

  it('tries again shortly when another replica held the relay lock at the wake-up', async () => {
    const database = new Database({ url: testDatabase.url, schema: 'wakeups' });
    const published: string[] = [];
    const relay = relayOn(database, published);
    await relay.start();
    const otherReplica = await database.pool.connect();
    try {
      // Another replica's relay mid-batch: it holds the lock and read the outbox before this commit.
      await otherReplica.query('BEGIN');
      await otherReplica.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['outbox:wakeups']);
      const held = message();
      await database.transaction((tx) => enqueueMessages(tx, 'wakeups', [held]));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(published).not.toContain(held.envelope.eventId);
      await otherReplica.query('COMMIT');
      await waitFor(() => published.includes(held.envelope.eventId), { timeoutMs: 5_000, description: 'the message published' });
    } finally {
      otherReplica.release();
      await relay.stop();
      await database.close();
    }
  });

  it('reads nothing and reports nothing while its publisher is not ready, and publishes at the next poll once it is', async () => {
    const database = new Database({ url: testDatabase.url, schema: 'wakeups' });
    let transactions = 0;
    const connect = database.pool.connect.bind(database.pool) as (...args: unknown[]) => unknown;
    (database.pool as unknown as { connect: (...args: unknown[]) => unknown }).connect = (...args: unknown[]) => {
      transactions++;
      return connect(...args);
    };
    const published: string[] = [];
    const errors: unknown[] = [];
    let ready = false;
    // As TopicsFirstPublisher before the topics are ensured: a send would fail.
    const publisher = {
      ready: () => ready,
      publish: async (messages: OutboxMessage[]) => {
        if (!ready) throw new Error('the integration topics are not ensured yet');
        published.push(...messages.map((m) => m.envelope.eventId));
      },
    };
    const relay = new OutboxRelay(database, publisher, { pollIntervalMs: 100, onError: (error) => errors.push(error) });
    await relay.start();
    try {
      const waiting = message();
      await database.transaction((tx) => enqueueMessages(tx, 'wakeups', [waiting]));
      const before = transactions;
      // Woken by the commit and by several polls meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect({ transactions: transactions - before, errors: errors.length, published }).toEqual({ transactions: 0, errors: 0, published: [] });

      ready = true;
      await waitFor(() => published.includes(waiting.envelope.eventId), { timeoutMs: 5_000, description: 'the message published at a poll' });
      expect(errors).toEqual([]);
    } finally {
      await relay.stop();
      await database.close();
    }
  });
});
