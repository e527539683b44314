// The inbox claim, on a real Postgres: claimed first in its own round trip, or sent with the handler's
// first statement (claimWithFirstStatement), alone and in a consumer's chunk (TransactionScope).
import { Database, migrate, sqlMigration, TransactionScope, Transactions } from '@skills/postgres';
import { createTestDatabase, roundTripsOf, TestDatabase } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { PoolClient } from 'pg';
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

  it('in a chunk, keeps the claim inside the message savepoint: a message that failed after its first statement is applied when it comes again', async () => {
    const name = `retried-${randomUUID()}`;
    const messageId = randomUUID();
    const { apply } = handler(name);
    let failing = true;
    const failsOnce = async (tx: PoolClient) => {
      await apply(tx);
      if (failing) {
        failing = false;
        throw new Error('the handler failed after its first statement');
      }
    };
    const outcomes = await TransactionScope.run(async () => [
      await applyOnce(transactions, 'probe', messageId, failsOnce, { claimWithFirstStatement: true }).catch(() => 'failed'),
      await applyOnce(transactions, 'probe', messageId, failsOnce, { claimWithFirstStatement: true }),
    ]);
    expect(outcomes).toEqual(['failed', true]);
    expect(await count(name)).toBe(1);
  });

  it('skips a redelivery whose handler fails before the claim is answered (a throw, or its first statement refused), as the claim says it was applied', async () => {
    const messageId = randomUUID();
    const name = `refused-${randomUUID()}`;
    const insertOnce = (tx: PoolClient) => tx.query('INSERT INTO counters (name, n) VALUES ($1, 1)', [name]).then(() => undefined);
    expect(await applyOnce(transactions, 'probe', messageId, insertOnce, { claimWithFirstStatement: true })).toBe(true);
    // The same insert again is refused on the server, in the round trip that carries the claim.
    expect(await applyOnce(transactions, 'probe', messageId, insertOnce, { claimWithFirstStatement: true })).toBe(false);
    const throwsFirst = async () => {
      throw new Error('changed since');
    };
    expect(await applyOnce(transactions, 'probe', messageId, throwsFirst, { claimWithFirstStatement: true })).toBe(false);
    // A message never applied still fails, to be retried.
    await expect(applyOnce(transactions, 'probe', randomUUID(), throwsFirst, { claimWithFirstStatement: true })).rejects.toThrow('changed since');
    expect(await count(name)).toBe(1);
  });

  it('fails, to be retried, a handler that did not wait for the statement its claim went with, and keeps nothing of it', async () => {
    const name = `unawaited-${randomUUID()}`;
    const messageId = randomUUID();
    const hasty = async (tx: PoolClient) => {
      void tx.query('INSERT INTO counters (name, n) VALUES ($1, 1)', [name]).catch(() => undefined);
    };
    await expect(applyOnce(transactions, 'probe', messageId, hasty, { claimWithFirstStatement: true })).rejects.toThrow('did not wait');
    expect([await count(name), await claimsOf(messageId)]).toEqual([0, 0]);
    expect(await applyOnce(transactions, 'probe', messageId, handler(name).apply, { claimWithFirstStatement: true })).toBe(true);
  });
});
