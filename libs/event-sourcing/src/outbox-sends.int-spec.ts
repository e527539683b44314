// The outbox relay sends an import batch (a type in APPLIED_AFTER_COMMIT) only once what precedes it in
// the outbox has been acknowledged: kafkajs stamps a send's partitions one after another, so in one send
// a registration could be stamped after the batch that names it, which ImportBatchHold would not wait for.
import { createTestDatabase, TestDatabase, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Database, migrate } from '@skills/postgres';
import { EventStoreSchema } from './event-store.schema';
import { enqueueMessages, OutboxMessage, OutboxRelay } from './outbox';

const message = (type: string): OutboxMessage => {
  const eventId = randomUUID();
  return {
    topic: 'sends',
    key: eventId,
    envelope: { eventId, type, schemaVersion: 1, aggregateId: eventId, aggregateVersion: 1, occurredAt: '2026-01-01T00:00:00Z', recordedAt: '2026-01-01T00:00:00Z', correlationId: 'test', payload: {} },
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

  it('ends a send before an import batch that follows other messages; batches in a row, and what follows them, go together', async () => {
    const database = new Database({ url: testDatabase.url, schema: 'sends' });
    const sends: string[][] = [];
    const relay = new OutboxRelay(database, { publish: async (messages) => void sends.push(messages.map((m) => m.envelope.type)) }, { pollIntervalMs: 600_000 });
    const types = ['TraineeRegistered', 'TraineeRegistered', 'ImportRowsSubmitted', 'ImportRowsSubmitted', 'TraineeCorrected', 'ImportRowsSubmitted'];
    // Enqueued before the relay starts, so that one read finds them all.
    await database.transaction((tx) => enqueueMessages(tx, 'sends', types.map(message)));
    await relay.start();
    try {
      await waitFor(() => sends.flat().length === types.length, { timeoutMs: 5_000, description: 'every message sent' });
      expect(sends).toEqual([['TraineeRegistered', 'TraineeRegistered'], ['ImportRowsSubmitted', 'ImportRowsSubmitted', 'TraineeCorrected'], ['ImportRowsSubmitted']]);
    } finally {
      await relay.stop();
      await database.close();
    }
  });
});
