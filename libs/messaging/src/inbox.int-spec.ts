// The inbox claim, on a real Postgres: claimed first in its own round trip, or sent with the handler's
// first statement (claimWithFirstStatement), alone and in a consumer's chunk (TransactionScope).
import { Database, migrate, sqlMigration, TransactionScope, Transactions } from '@skills/postgres';
import { createTestDatabase, TestDatabase } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client, PoolClient } from 'pg';
import { applyOnce } from './inbox';
import { MESSAGING_MIGRATIONS } from './messaging.schema';

const Counters = sqlMigration('InboxCounters', 1700000000100, 'CREATE TABLE counters (name text PRIMARY KEY, n integer NOT NULL)');

describe('applyOnce: the inbox claim', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let transactions: Transactions;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, 'inbox_probe', [...MESSAGING_MIGRATIONS, Counters]);
    database = new Database({ url: testDatabase.url, schema: 'inbox_probe' });
    transactions = new Transactions(database);
  });

  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  const count = async (name: string) => (await database.query<{ n: number }>('SELECT n FROM counters WHERE name = $1', [name])).rows[0]?.n ?? 0;
  const claimsOf = async (messageId: string) => (await database.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox WHERE message_id = $1', [messageId])).rows[0].n;

  /** A handler that counts into `name` with its first statement, noting whether it got past it. */
  function handler(name: string) {
    const seen = { pastFirstStatement: 0 };
    const apply = async (tx: PoolClient) => {
      await tx.query('INSERT INTO counters (name, n) VALUES ($1, 1) ON CONFLICT (name) DO UPDATE SET n = counters.n + 1', [name]);
      seen.pastFirstStatement++;
    };
    return { apply, seen };
  }

  /** The round trips `work` makes: every query a pg client sends (a batch of statements is one), BEGIN and COMMIT included. */
  async function roundTripsOf(work: () => Promise<unknown>): Promise<number> {
    const prototype = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const query = prototype.query;
    let sent = 0;
    prototype.query = function (this: unknown, ...args: unknown[]) {
      sent++;
      return query.apply(this, args);
    };
    try {
      await work();
    } finally {
      prototype.query = query;
    }
    return sent;
  }

  it('sends the claim with the handler first statement: a round trip fewer than a claim of its own, the same effect', async () => {
    const [firstName, ownName] = [`first-${randomUUID()}`, `own-${randomUUID()}`];
    const [withFirst, ownClaim] = [randomUUID(), randomUUID()];
    const sentWithFirst = await roundTripsOf(() => applyOnce(transactions, 'probe', withFirst, handler(firstName).apply, { claimWithFirstStatement: true }));
    const sentOwnClaim = await roundTripsOf(() => applyOnce(transactions, 'probe', ownClaim, handler(ownName).apply));
    expect(sentWithFirst).toBe(sentOwnClaim - 1);
    expect([await count(firstName), await count(ownName)]).toEqual([1, 1]);
    expect([await claimsOf(withFirst), await claimsOf(ownClaim)]).toEqual([1, 1]);
  });

  it('undoes a redelivered message whose claim is held: its statement ran on the server, its effect is rolled back, the handler stops there', async () => {
    const name = `again-${randomUUID()}`;
    const messageId = randomUUID();
    const { apply, seen } = handler(name);
    expect(await applyOnce(transactions, 'probe', messageId, apply, { claimWithFirstStatement: true })).toBe(true);
    expect(await applyOnce(transactions, 'probe', messageId, apply, { claimWithFirstStatement: true })).toBe(false);
    expect(await count(name)).toBe(1);
    expect(seen.pastFirstStatement).toBe(1);
    // Another consumer's claim of the same message is its own.
    expect(await applyOnce(transactions, 'other-probe', messageId, apply, { claimWithFirstStatement: true })).toBe(true);
    expect(await count(name)).toBe(2);
  });

  it('claims a message whose handler sends nothing, so that it is skipped when it comes again', async () => {
    const messageId = randomUUID();
    let runs = 0;
    const apply = async () => void runs++;
    expect(await applyOnce(transactions, 'probe', messageId, apply, { claimWithFirstStatement: true })).toBe(true);
    expect(await claimsOf(messageId)).toBe(1);
    expect(await applyOnce(transactions, 'probe', messageId, apply, { claimWithFirstStatement: true })).toBe(false);
    expect(runs).toBe(2);
  });

  it('in a chunk (one transaction, a savepoint a message), undoes only the redelivered message and commits the rest', async () => {
    const name = `chunk-${randomUUID()}`;
    const [a, b] = [randomUUID(), randomUUID()];
    const { apply } = handler(name);
    const outcomes = await TransactionScope.run(async () => [
      await applyOnce(transactions, 'probe', a, apply, { claimWithFirstStatement: true }),
      await applyOnce(transactions, 'probe', a, apply, { claimWithFirstStatement: true }),
      await applyOnce(transactions, 'probe', b, apply, { claimWithFirstStatement: true }),
    ]);
    expect(outcomes).toEqual([true, false, true]);
    expect(await count(name)).toBe(2);
    expect([await claimsOf(a), await claimsOf(b)]).toEqual([1, 1]);
  });

  it('undoes the message when the handler caught the refusal of its statement and went on', async () => {
    const name = `caught-${randomUUID()}`;
    const messageId = randomUUID();
    const stubborn = async (tx: PoolClient) => {
      await tx.query('INSERT INTO counters (name, n) VALUES ($1, 1) ON CONFLICT (name) DO UPDATE SET n = counters.n + 1', [name]).catch(() => undefined);
      await tx.query('UPDATE counters SET n = n + 100 WHERE name = $1', [name]);
    };
    expect(await applyOnce(transactions, 'probe', messageId, stubborn, { claimWithFirstStatement: true })).toBe(true);
    expect(await count(name)).toBe(101);
    expect(await applyOnce(transactions, 'probe', messageId, stubborn, { claimWithFirstStatement: true })).toBe(false);
    expect(await count(name)).toBe(101);
  });
});
