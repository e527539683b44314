import { createTestDatabase, TestDatabase } from '@skills/testing';
import { PoolClient } from 'pg';
import { Database } from './database';
import { Transactions, TransactionScope } from './transactions';

describe('TransactionScope: a batch of steps in one transaction, each in a savepoint', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let transactions: Transactions;
  /** The texts of every query call on the pool's connections (a round trip each). */
  const sent: string[] = [];

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    database = new Database({ url: testDatabase.url, schema: 'scoped', poolSize: 2 });
    database.pool.on('connect', (client: PoolClient) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        sent.push(typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text));
        return query(...args);
      };
    });
    await database.query('CREATE SCHEMA scoped');
    await database.query('CREATE TABLE scoped.items (id int PRIMARY KEY)');
    transactions = new Transactions(database);
  });

  afterAll(async () => {
    await database.close();
    await testDatabase.drop();
  });

  beforeEach(async () => {
    await database.query('TRUNCATE scoped.items');
    sent.length = 0;
  });

  const insert = (id: number) => transactions.run((tx) => tx.query('INSERT INTO items (id) VALUES ($1)', [id]));
  const ids = async () => (await database.query<{ id: number }>('SELECT id FROM scoped.items ORDER BY id')).rows.map((row) => row.id);

  it("names its sessions after the schema in pg_stat_activity (skills-<schema>), so an operator sees whose they are", async () => {
    const { rows } = await database.query<{ name: string }>('SELECT application_name AS name FROM pg_stat_activity WHERE pid = pg_backend_pid()');
    expect(rows).toEqual([{ name: 'skills-scoped' }]);
  });

  it('rolls back a refused step alone, the steps before and after it commit, and nothing shows before the commit', async () => {
    let seenInside: number[] = [];
    await TransactionScope.run(async () => {
      await insert(1);
      await insert(2);
      // Refused after its first statement went: only its own row goes.
      await expect(transactions.run(async (tx) => {
        await tx.query('INSERT INTO items (id) VALUES (3)');
        await tx.query('INSERT INTO items (id) VALUES (1)');
      })).rejects.toMatchObject({ code: '23505' });
      // Refused before sending anything: nothing to roll back, the step before it stays.
      await expect(transactions.run(async () => {
        throw new Error('refused before any statement');
      })).rejects.toThrow('refused before any statement');
      await insert(4);
      seenInside = await ids();
    });
    expect(seenInside).toEqual([]);
    expect(await ids()).toEqual([1, 2, 4]);
  });

  it('commitSoFar: what the steps before it wrote shows through the pool; the steps after it commit at the end, or roll back alone', async () => {
    let seenAfterCommitSoFar: number[] = [];
    await TransactionScope.run(async () => {
      await insert(1);
      await TransactionScope.commitSoFar();
      seenAfterCommitSoFar = await ids();
      await insert(2);
    });
    expect(seenAfterCommitSoFar).toEqual([1]);
    expect(await ids()).toEqual([1, 2]);

    await expect(
      TransactionScope.run(async () => {
        await insert(3);
        await TransactionScope.commitSoFar();
        await insert(4);
        throw new Error('the batch fails after commitSoFar');
      }),
    ).rejects.toThrow('the batch fails');
    expect(await ids()).toEqual([1, 2, 3]);
    // Outside a scope there is nothing to commit.
    await expect(TransactionScope.commitSoFar()).resolves.toBeUndefined();
  });

  it('a handler still running after its scope ended works in a transaction of its own, which commits: none is left open', async () => {
    // Another service's database, which the scope had not used before it ended.
    const other = new Database({ url: testDatabase.url, schema: 'scoped', poolSize: 2 });
    try {
      let late: Promise<unknown> | undefined;
      await expect(
        TransactionScope.run(async () => {
          await insert(10);
          // Nest's forkJoin gives up on a message at its first failed handler; a sibling goes on.
          late = new Promise((resolve) => setTimeout(resolve, 50)).then(() => new Transactions(other).run((tx) => tx.query('INSERT INTO items (id) VALUES (11)')));
          throw new Error('a handler failed');
        }),
      ).rejects.toThrow('a handler failed');
      await late;
      expect(await ids()).toEqual([11]);
      expect(other.pool.idleCount).toBe(other.pool.totalCount);
    } finally {
      await other.close();
    }
  });

  it('fails and undoes alone a step that caught its own failed statement and went on, keeping the steps before and after it', async () => {
    // Many times: the failure's ReadyForQuery may come after the caught error (a race this once lost).
    for (let attempt = 0; attempt < 30; attempt++) {
      await database.query('TRUNCATE items');
      await TransactionScope.run(async () => {
        await insert(1);
        await expect(
          transactions.run(async (tx) => {
            await tx.query('INSERT INTO items (id) VALUES (2)');
            await tx.query('INSERT INTO items (id) VALUES (1)').catch(() => undefined);
          }),
        ).rejects.toThrow('undone');
        await insert(3);
      });
      expect(await ids()).toEqual([1, 3]);
    }
  });

  it('reports a transaction whose COMMIT the server answered with ROLLBACK as rolled back, and sends no ROLLBACK after it', async () => {
    await expect(
      database.transaction(async (tx) => {
        await tx.query('INSERT INTO items (id) VALUES ($1)', [5]);
        await tx.query('INSERT INTO items (id) VALUES ($1)', [5]).catch(() => undefined);
      }),
    ).rejects.toThrow('rolled back');
    expect(sent.filter((text) => /^\s*ROLLBACK\b/i.test(text))).toEqual([]);
    expect(await ids()).toEqual([]);
  });

  it('keeps the outer step whole when a step inside it is refused', async () => {
    await TransactionScope.run(async () => {
      await insert(1);
      await transactions.run(async (tx) => {
        await tx.query('INSERT INTO items (id) VALUES (2)');
        await expect(insert(1)).rejects.toMatchObject({ code: '23505' });
        await tx.query('INSERT INTO items (id) VALUES (3)');
      });
      await expect(transactions.run(async (tx) => {
        await tx.query('INSERT INTO items (id) VALUES (5)');
        await insert(6);
        throw new Error('the outer step refused after its inner step succeeded');
      })).rejects.toThrow('outer step refused');
    });
    expect(await ids()).toEqual([1, 2, 3]);
  });

  it('counts the savepoints a transaction has taken, nested ones and a gathered work to come included, and starts again after commitSoFar', async () => {
    const counts: number[] = [];
    const count = () => counts.push(TransactionScope.savepointsSoFar());
    await TransactionScope.run(
      async () => {
        count();
        await transactions.run(async () => undefined); // sent nothing: no savepoint
        count();
        await insert(1);
        count();
        await transactions.run(async (tx) => {
          await tx.query('INSERT INTO items (id) VALUES (2)');
          await insert(3);
        });
        count();
        TransactionScope.gather('work', 4, (items) => Promise.all(items.map(insert)).then(() => undefined));
        count();
        await TransactionScope.commitSoFar();
        count();
        await insert(5);
        count();
      },
      { gather: true },
    );
    expect(counts).toEqual([0, 0, 1, 3, 4, 0, 1]);
    expect(await ids()).toEqual([1, 2, 3, 4, 5]);
  });

  it('sends each step in the round trip of its own statement: the BEGIN, a SAVEPOINT and the RELEASE before it travel with it', async () => {
    await TransactionScope.run(async () => {
      for (const id of [1, 2, 3]) await insert(id);
    });
    expect(await ids()).toEqual([1, 2, 3]);
    expect(sent.filter((text) => !text.startsWith('SELECT id FROM scoped.items'))).toEqual([
      'BEGIN;\nSAVEPOINT shared_step;\nINSERT INTO items (id) VALUES ($1)',
      'RELEASE SAVEPOINT shared_step;\nSAVEPOINT shared_step;\nINSERT INTO items (id) VALUES ($1)',
      'RELEASE SAVEPOINT shared_step;\nSAVEPOINT shared_step;\nINSERT INTO items (id) VALUES ($1)',
      'COMMIT',
    ]);
  });
});
