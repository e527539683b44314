// applyInChunks on a real Postgres with three consumers that go message by message on one topic and
// database: each takes a savepoint a message, so a chunk of them would hold three times its length of
// subtransactions. Past 64 in one transaction Postgres overflows its cache of them (the snapshots taken on
// the server meanwhile read pg_subtrans for their visibility checks); the chunk commits what it has before that.
import { IntegrationEnvelope } from '@skills/contracts';
import { Database, migrate, sqlMigration } from '@skills/postgres';
import { EventStoreSchema } from '@skills/event-sourcing';
import { createTestDatabase, fact, TestDatabase } from '@skills/testing';
import { PoolClient } from 'pg';
import { DeadLetters } from './dead-letters';
import { InProcessTransport } from './in-process-transport';
import { MESSAGES_PER_TRANSACTION as CHUNK, SAVEPOINTS_BEFORE_COMMIT } from './message-chunks';
import { MessageConsumer } from './message-consumer';
import { MESSAGING_MIGRATIONS } from './messaging.schema';

const TOPIC = 'skills.savepoints.events.v1';
const CONSUMERS = ['probe.first', 'probe.second', 'probe.third'];
const Applied = sqlMigration('SavepointsApplied', 1700000000100, 'CREATE TABLE applied (consumer text NOT NULL, message_id uuid NOT NULL, xid xid8 NOT NULL)');

/** This backend's subtransactions as Postgres keeps them for the snapshots of others. */
const SUBTRANSACTIONS = `SELECT s.subxact_count AS count, s.subxact_overflowed AS overflowed
                           FROM pg_stat_get_backend_idset() AS b(id), pg_stat_get_backend_subxact(b.id) AS s
                          WHERE pg_stat_get_backend_pid(b.id) = pg_backend_pid()`;

describe('applyInChunks: a chunk of consumers that go message by message stays under Postgres’s cache of subtransactions', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let transport: InProcessTransport;
  /** What each apply saw of its transaction's subtransactions, after its own write. */
  const seen: Array<{ count: number; overflowed: boolean }> = [];

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, 'savepoints', [EventStoreSchema, ...MESSAGING_MIGRATIONS, Applied]);
    database = new Database({ url: testDatabase.url, schema: 'savepoints' });
    transport = new InProcessTransport();
    const consumer = new MessageConsumer(database, new DeadLetters(database, transport), { maxAttempts: 2, retryDelayMs: 1 });
    const apply = (name: string) => async (tx: PoolClient, message: IntegrationEnvelope) => {
      await tx.query('INSERT INTO applied (consumer, message_id, xid) VALUES ($1, $2, pg_current_xact_id())', [name, message.eventId]);
      // The backends' status is read once a transaction unless its snapshot is cleared.
      await tx.query('SELECT pg_stat_clear_snapshot()');
      seen.push((await tx.query<{ count: number; overflowed: boolean }>(SUBTRANSACTIONS)).rows[0]);
    };
    // One handler for the three (Nest chains the handlers of a topic in its own wrappers only).
    transport.addHandler(
      TOPIC,
      async (message: IntegrationEnvelope) => {
        for (const name of CONSUMERS) await consumer.consume(name, TOPIC, message, apply(name));
      },
      true,
    );
    transport.listen(() => undefined);
  });

  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  it('commits a chunk in parts before its savepoints pass 64, each message applied once by each consumer', async () => {
    await transport.publish(Array.from({ length: CHUNK }, (_, n) => fact(TOPIC, 'Probed', { n })));

    const { rows } = await database.query<{ consumer: string; applied: number; transactions: number }>(
      'SELECT consumer, count(DISTINCT message_id)::int AS applied, count(DISTINCT xid)::int AS transactions FROM applied GROUP BY consumer ORDER BY consumer',
    );
    expect(rows.map(({ consumer, applied }) => ({ consumer, applied }))).toEqual([...CONSUMERS].sort().map((consumer) => ({ consumer, applied: CHUNK })));
    expect(seen).toHaveLength(CONSUMERS.length * CHUNK);
    expect(seen.some(({ overflowed }) => overflowed)).toBe(false);
    // Committed once a message found the limit reached: at most that and one message's three.
    expect(Math.max(...seen.map(({ count }) => count))).toBeLessThan(SAVEPOINTS_BEFORE_COMMIT + CONSUMERS.length);
    // Parts of ⌈56 / 3⌉ = 19 messages (without the limit, one transaction of 150 savepoints).
    const messagesPerPart = Math.ceil(SAVEPOINTS_BEFORE_COMMIT / CONSUMERS.length);
    expect(rows.map(({ transactions }) => transactions)).toEqual(CONSUMERS.map(() => Math.ceil(CHUNK / messagesPerPart)));
  });
});
