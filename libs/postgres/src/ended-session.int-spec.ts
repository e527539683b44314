import { createTestDatabase, TestDatabase } from '@skills/testing';
import { Client } from 'pg';
import { Database } from './database';

/**
 * A connection the server ends (a restart, a failover, pg_terminate_backend) while a transaction holds it
 * out of the pool fails that transaction's next statement; it does not crash the process with pg's
 * unhandled 'error' event, as it did for the outbox relay holding one while it published.
 */
describe('Database: a session ended by the server while checked out', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let observer: Client;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    database = new Database({ url: testDatabase.url, schema: 'ended', poolSize: 2 });
    observer = new Client({ connectionString: testDatabase.url });
    await observer.connect();
  });

  afterAll(async () => {
    await observer.end();
    await database.close();
    await testDatabase.drop();
  });

  it.each([
    ['transaction', (work: Parameters<Database['transaction']>[0]) => database.transaction(work)],
    ['compactTransaction', (work: Parameters<Database['transaction']>[0]) => database.compactTransaction((tx) => work(tx))],
  ])('fails the %s holding it, and the pool serves the next one', async (_kind, begin) => {
    const held = begin(async (tx) => {
      const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await observer.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      // The server's goodbye reaches the client while it is idle and held: its 'error' event comes now.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await tx.query('SELECT 1');
    });
    await expect(held).rejects.toThrow();
    expect((await database.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });
});
