// The outbox relay sends an import batch (a type in APPLIED_AFTER_COMMIT) only once what precedes it in
// the outbox (another key's) has been acknowledged, a millisecond later: kafkajs stamps a send's partitions
// one after another, so in one send a registration could be stamped after the batch that names it, which
// ImportBatchHold would not wait for, and two jobs' batches could be stamped alike and wait for each other.
import { createTestDatabase, TestDatabase, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Database, migrate } from '@skills/postgres';
import { EventStoreSchema } from './event-store.schema';
import { enqueueMessages, OutboxMessage, OutboxRelay } from './outbox';

const message = ([type, key]: [string, string?]): OutboxMessage => {
  const eventId = randomUUID();
  return {
    topic: 'sends',
    key: key ?? eventId,
    envelope: { eventId, type, schemaVersion: 1, aggregateId: key ?? eventId, aggregateVersion: 1, occurredAt: '2026-01-01T00:00:00Z', recordedAt: '2026-01-01T00:00:00Z', correlationId: 'test', payload: {} },
  };
};

describe('Outbox relay sends', () => {
  let testDatabase: TestDatabase;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, 'sends', [EventStoreSchema]);
  });

  afterAll(async () => {
    await testDatabase.drop();
  });

  it('sends an import batch apart from what precedes it, a millisecond later: a job’s batches in a row, and what follows them, go together', async () => {
    const database = new Database({ url: testDatabase.url, schema: 'sends' });
    const sends: Array<{ at: number; messages: string[] }> = [];
    const relay = new OutboxRelay(database, { publish: async (messages) => void sends.push({ at: Date.now(), messages: messages.map((m) => `${m.envelope.type} ${m.key.length > 8 ? '' : m.key}`.trim()) }) }, { pollIntervalMs: 600_000 });
    const batch = (job: string): [string, string] => ['ImportRowsSubmitted', job];
    const enqueued: Array<[string, string?]> = [['TraineeRegistered'], ['TraineeRegistered'], batch('job-1'), batch('job-1'), ['TraineeCorrected'], batch('job-2'), batch('job-3')];
    // Enqueued before the relay starts, so that one read finds them all.
    await database.transaction((tx) => enqueueMessages(tx, 'sends', enqueued.map(message)));
    await relay.start();
    try {
      await waitFor(() => sends.flatMap((send) => send.messages).length === enqueued.length, { timeoutMs: 5_000, description: 'every message sent' });
      expect(sends.map((send) => send.messages)).toEqual([
        ['TraineeRegistered', 'TraineeRegistered'],
        ['ImportRowsSubmitted job-1', 'ImportRowsSubmitted job-1', 'TraineeCorrected'],
        ['ImportRowsSubmitted job-2'],
        ['ImportRowsSubmitted job-3'],
      ]);
      // Each send that begins with a batch, in a later millisecond than the send before it (kafkajs stamps a message as it sends it).
      for (let n = 1; n < sends.length; n++) expect(sends[n].at).toBeGreaterThan(sends[n - 1].at);
    } finally {
      await relay.stop();
      await database.close();
    }
  });

  it('hands a publisher with a send limit no more than it takes at once, at least one message, in order, each send’s rows deleted before the next is read', async () => {
    const database = new Database({ url: testDatabase.url, schema: 'sends' });
    // A message's size is its payload's `bytes`; the limit 1,000.
    const sized = (bytes: number, key: string, type = 'ImportRowsSubmitted'): OutboxMessage => {
      const sent = message([type, key]);
      return { ...sent, envelope: { ...sent.envelope, payload: { bytes } } };
    };
    const sends: Array<{ sizes: number[]; left: number }> = [];
    const relay = new OutboxRelay(
      database,
      {
        sendLimit: { maxBytes: 1_000, bytesOf: (sent) => (sent.envelope.payload as { bytes: number }).bytes },
        publish: async (messages) => {
          const left = Number((await database.query<{ count: string }>('SELECT count(*) FROM outbox')).rows[0].count);
          sends.push({ sizes: messages.map((sent) => (sent.envelope.payload as { bytes: number }).bytes), left });
        },
      },
      { pollIntervalMs: 600_000 },
    );
    // One job's batches, as an import enqueues them (one key), then another key's message.
    const enqueued = [...[400, 400, 400, 1_500, 100, 100, 2_000].map((bytes) => sized(bytes, 'job-1')), sized(10, 'trainee-1', 'TraineeRegistered')];
    await database.transaction((tx) => enqueueMessages(tx, 'sends', enqueued));
    await relay.start();
    try {
      await waitFor(() => sends.flatMap((send) => send.sizes).length === enqueued.length, { timeoutMs: 5_000, description: 'every message sent' });
      expect(sends).toEqual([
        { sizes: [400, 400], left: 8 },
        { sizes: [400], left: 6 },
        // Larger than the limit on its own: alone.
        { sizes: [1_500], left: 5 },
        { sizes: [100, 100], left: 4 },
        { sizes: [2_000], left: 2 },
        { sizes: [10], left: 1 },
      ]);
      // In the outbox's order.
      expect(sends.flatMap((send) => send.sizes)).toEqual([400, 400, 400, 1_500, 100, 100, 2_000, 10]);
      expect(await relay.backlog()).toBe(0);
    } finally {
      await relay.stop();
      await database.close();
    }
  });
});
