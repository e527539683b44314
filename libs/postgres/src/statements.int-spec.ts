import { createTestDatabase, TestDatabase } from '@skills/testing';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { Database } from './database';
import { sendTogether, sendWithNextQuery } from './statements';

describe('sendTogether: statements with their parameters in one round trip', () => {
  let testDatabase: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    database = new Database({ url: testDatabase.url, schema: 'batches', poolSize: 1 });
    await database.query('CREATE SCHEMA batches');
    await database.query('CREATE TABLE batches.items (id int PRIMARY KEY, tags text[], doc jsonb, raw bytea, note text)');
  });

  afterAll(async () => {
    await database.close();
    await testDatabase.drop();
  });

  afterEach(async () => {
    await database.query('TRUNCATE batches.items');
  });

  it('answers one result per statement, its rows parsed as a query would, and the values arrive as given', async () => {
    const client = await database.pool.connect();
    try {
      const [inserted, read, none] = await sendTogether(client, [
        { text: 'INSERT INTO items (id, tags, doc, raw, note) VALUES ($1, $2, $3, $4, $5) RETURNING id', values: [1, ['a', "it's", '{b}'], JSON.stringify({ name: '张三' }), Buffer.from([0, 255]), null] },
        { text: 'SELECT id, tags, doc, raw, note FROM items WHERE id = $1', values: [1] },
        'SELECT 1 AS one WHERE false',
      ]);
      expect(inserted.rows).toEqual([{ id: 1 }]);
      expect(inserted.rowCount).toBe(1);
      expect(read.rows).toEqual([{ id: 1, tags: ['a', "it's", '{b}'], doc: { name: '张三' }, raw: Buffer.from([0, 255]), note: null }]);
      expect(none.rows).toEqual([]);
    } finally {
      client.release();
    }
  });

  it('stops at the first error, which rejects the whole and keeps nothing of it; the connection and its statements work afterwards', async () => {
    const client = await database.pool.connect();
    try {
      const insert = (id: number) => ({ text: 'INSERT INTO items (id) VALUES ($1)', values: [id] });
      await expect(sendTogether(client, [insert(1), insert(1), insert(2)])).rejects.toMatchObject({ code: '23505', constraint: 'items_pkey' });
      // The statements of the failed batch, the one that failed included, run again.
      const [first, second] = await sendTogether(client, [insert(1), insert(2)]);
      expect([first.rowCount, second.rowCount]).toEqual([1, 1]);
      // A statement the server cannot parse fails alone and leaves the connection usable.
      await expect(sendTogether(client, [{ text: 'SELEC nonsense', values: [] }])).rejects.toMatchObject({ code: '42601' });
      const [count] = await sendTogether(client, ['SELECT count(*)::int AS n FROM items']);
      expect(count.rows).toEqual([{ n: 2 }]);
    } finally {
      client.release();
    }
  });

  it('refuses a value it cannot send before sending anything, and the connection goes on', async () => {
    const client = await database.pool.connect();
    try {
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      await expect(sendTogether(client, ['BEGIN', { text: 'INSERT INTO items (id, doc) VALUES ($1, $2)', values: [1, circular] }])).rejects.toThrow(/circular/i);
      expect(client.getTransactionStatus()).toBe('I');
      const [count] = await sendTogether(client, ['SELECT count(*)::int AS n FROM items']);
      expect(count.rows).toEqual([{ n: 0 }]);
    } finally {
      client.release();
    }
  });

  it('parses every statement each time, so a column whose type changed between two batches is written at once', async () => {
    const client = await database.pool.connect();
    try {
      await client.query('CREATE TABLE small_items (id int PRIMARY KEY, size smallint)');
      const insert = (id: number, size: number) => sendTogether(client, [{ text: 'INSERT INTO small_items (id, size) VALUES ($1, $2)', values: [id, size] }]);
      await insert(1, 1);
      await client.query('ALTER TABLE small_items ALTER COLUMN size TYPE integer');
      await insert(2, 100_000);
      expect((await client.query('SELECT size FROM small_items ORDER BY id')).rows).toEqual([{ size: 1 }, { size: 100_000 }]);
    } finally {
      client.release();
    }
  });

  it('keeps only the named statements prepared, once each, in the record node-postgres keeps, even when their execution failed', async () => {
    const client = await database.pool.connect();
    try {
      const named = (id: number) => ({ name: 'batches_insert_item', text: 'INSERT INTO items (id) VALUES ($1)', values: [id] });
      for (let round = 0; round < 6; round++) await sendTogether(client, [{ text: 'SELECT count(*) FROM items WHERE id > $1', values: [round] }, named(round), named(round + 100)]);
      const prepared = async () => (await client.query('SELECT name FROM pg_prepared_statements')).rows.map((row) => row.name);
      expect(await prepared()).toEqual(['batches_insert_item']);
      // Parsed in a batch whose execution failed (a duplicate key), then run by node-postgres's own named
      // query: it knows the statement is there, or its second Parse would be refused as a duplicate.
      await client.query('DEALLOCATE ALL');
      (client as unknown as { connection: { parsedStatements: Record<string, string> } }).connection.parsedStatements = {};
      await expect(sendTogether(client, [named(1)])).rejects.toMatchObject({ code: '23505' });
      await client.query({ ...named(50) });
      expect(await prepared()).toEqual(['batches_insert_item']);
      await expect(sendTogether(client, [{ ...named(51), text: 'INSERT INTO items (id, note) VALUES ($1, NULL)' }])).rejects.toThrow('was used for a different statement');
      const [count] = await sendTogether(client, ['SELECT count(*)::int AS n FROM items']);
      expect(count.rows).toEqual([{ n: 13 }]);
    } finally {
      client.release();
    }
  });

  it('refuses a COPY and a name prepared for another text before anything waiting is taken or sent', async () => {
    const client = await database.pool.connect();
    try {
      await client.query({ name: 'batches_count', text: 'SELECT count(*) FROM items' });
      let taken = 0;
      const cancel = sendWithNextQuery(client, ['BEGIN'], () => taken++);
      await expect(sendTogether(client, ['/* rows */ -- from a file\n COPY items (id) FROM STDIN'])).rejects.toThrow('a COPY is not sent in a statement batch');
      await expect(sendTogether(client, [{ name: 'batches_count', text: 'SELECT 1' }])).rejects.toThrow('was used for a different statement');
      await expect(sendTogether(client, [{ name: 'batches_twice', text: 'SELECT 1' }, { name: 'batches_twice', text: 'SELECT 2' }])).rejects.toThrow('was used for a different statement');
      expect(taken).toBe(0);
      cancel();
      expect(client.getTransactionStatus()).toBe('I');
    } finally {
      client.release();
    }
  });

  it('runs a transaction opened and committed by its own statements', async () => {
    const client = await database.pool.connect();
    try {
      await sendTogether(client, ['BEGIN', { text: 'INSERT INTO items (id) VALUES ($1)', values: [7] }]);
      expect(client.getTransactionStatus()).toBe('T');
      await sendTogether(client, [{ text: 'UPDATE items SET note = $1 WHERE id = $2', values: ['x', 7] }, 'COMMIT']);
      expect(client.getTransactionStatus()).toBe('I');
      expect((await client.query('SELECT note FROM items WHERE id = 7')).rows).toEqual([{ note: 'x' }]);
    } finally {
      client.release();
    }
  });

  describe('Database.transaction: the BEGIN with the first statement', () => {
    const ids = async () => (await database.query<{ id: number }>('SELECT id FROM batches.items ORDER BY id')).rows.map((row) => row.id);

    it('commits a work whose first query is several statements, sent as they are, inside its transaction', async () => {
      await expect(
        database.transaction(async (tx) => {
          await tx.query('INSERT INTO items (id) VALUES (8); INSERT INTO items (id) VALUES (9)');
          throw new Error('refused after them');
        }),
      ).rejects.toThrow('refused after them');
      expect(await ids()).toEqual([]);
      await database.transaction(async (tx) => {
        await tx.query('INSERT INTO items (id) VALUES (10); INSERT INTO items (id) VALUES (11)');
        await tx.query('INSERT INTO items (id) VALUES ($1)', [12]);
      });
      expect(await ids()).toEqual([10, 11, 12]);
    });

    it('runs a COPY that comes first inside the transaction: a failure after it keeps none of its rows', async () => {
      const copy = (tx: import('pg').PoolClient) => pipeline(Readable.from(['20\n21\n']), tx.query(copyFrom('COPY items (id) FROM STDIN')));
      await expect(
        database.transaction(async (tx) => {
          await copy(tx);
          expect((await tx.query('SELECT count(*)::int AS n FROM items')).rows).toEqual([{ n: 2 }]);
          throw new Error('refused after the copy');
        }),
      ).rejects.toThrow('refused after the copy');
      expect(await ids()).toEqual([]);
      await database.transaction(copy);
      expect(await ids()).toEqual([20, 21]);
    });

    it('refuses a COPY without its stream, comments before it or not, and the connection serves the next work', async () => {
      await expect(database.transaction((tx) => tx.query('-- the day\'s rows\nCOPY items (id) FROM STDIN'))).rejects.toMatchObject({ code: '57014' });
      await database.transaction((tx) => tx.query('INSERT INTO items (id) VALUES ($1)', [22]));
      expect(await ids()).toEqual([22]);
    });

    it('refuses to report as committed a work that caught a failed statement and went on: the server rolled it back', async () => {
      await expect(
        database.transaction(async (tx) => {
          await tx.query('INSERT INTO items (id) VALUES ($1)', [40]);
          await tx.query('INSERT INTO items (id) VALUES ($1)', [40]).catch(() => undefined);
        }),
      ).rejects.toThrow('rolled back');
      expect(await ids()).toEqual([]);
    });

    it('sends a compact transaction that only closes as one round trip, BEGIN and COMMIT included; one that fails there keeps nothing', async () => {
      const sent: string[] = [];
      const client = await database.pool.connect();
      const query = client.query;
      client.query = ((...args: Parameters<typeof query>) => {
        sent.push(String((args[0] as { text?: string }).text ?? args[0]));
        return (query as (...all: unknown[]) => unknown).apply(client, args);
      }) as typeof query;
      client.release();
      try {
        const [answer] = await database.compactTransaction((_, ends) => ends.close([{ text: 'INSERT INTO items (id) VALUES ($1), ($2) RETURNING id', values: [50, 51] }]));
        expect(answer.rows).toEqual([{ id: 50 }, { id: 51 }]);
        expect(sent).toHaveLength(1);
        expect(sent[0]).toMatch(/^BEGIN;\s+INSERT INTO items[\s\S]*;\s+COMMIT$/);
        await expect(database.compactTransaction((_, ends) => ends.close(['INSERT INTO items (id) VALUES (52)', 'INSERT INTO items (id) VALUES (50)']))).rejects.toMatchObject({ code: '23505' });
      } finally {
        client.query = query;
      }
      expect(await ids()).toEqual([50, 51]);
    });

    it('rolls back a work whose first statement fails, and the connection serves the next work', async () => {
      await database.query('INSERT INTO batches.items (id) VALUES (30)');
      await expect(database.transaction((tx) => tx.query('INSERT INTO items (id) VALUES ($1)', [30]))).rejects.toMatchObject({ code: '23505' });
      await database.transaction((tx) => tx.query('INSERT INTO items (id) VALUES ($1)', [31]));
      expect(await ids()).toEqual([30, 31]);
    });
  });
});
