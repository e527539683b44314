import { EventStoreSchema } from '@skills/event-sourcing';
import { Database, migrate, sqlMigration, Transactions } from '@skills/postgres';
import { createTestDatabase, TestDatabase } from '@skills/testing';
import { Client } from 'pg';
import { keyDigest } from './answer-sealing';
import { IDEMPOTENCY_MIGRATIONS } from './idempotency-keys.schema';
import { AnsweredMeanwhile, RequestTransaction, StoredAnswer } from './request-transaction';

const Things = sqlMigration('Things', 1700000000200, 'CREATE TABLE things (id integer PRIMARY KEY)', 'DROP TABLE things');
const answer: StoredAnswer = { fingerprint: 'f', method: 'POST', path: '/api/v1/things', status: 201, contentType: 'application/json', body: '{"id":1}' };

describe('request transactions under an Idempotency-Key (Transactions joining a RequestTransaction)', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let transactions: Transactions;
  let observer: Client;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, 'svc', [EventStoreSchema, ...IDEMPOTENCY_MIGRATIONS, Things]);
    database = new Database({ url: testDatabase.url, schema: 'svc' });
    transactions = new Transactions(database);
    observer = new Client({ connectionString: testDatabase.url, options: '-c search_path=svc' });
    await observer.connect();
  });

  afterAll(async () => {
    await observer?.end();
    await database?.close();
    await testDatabase?.drop();
  });

  const insertThing = (id: number) => transactions.run((tx) => tx.query('INSERT INTO things (id) VALUES ($1)', [id]));
  const committed = async (table: string, column: string, value: unknown) =>
    (await observer.query(`SELECT 1 FROM ${table} WHERE ${column} = $1`, [value])).rowCount === 1;
  const pending = async (promise: Promise<unknown>, ms = 200) => {
    const marker = Symbol('pending');
    return (await Promise.race([promise.then(() => 'settled', () => 'settled'), new Promise((resolve) => setTimeout(() => resolve(marker), ms))])) === marker;
  };

  it("commits the command's effects with its answer, or neither", async () => {
    const dropped = new RequestTransaction(transactions, 'k-rollback');
    await dropped.within(() => insertThing(1));
    expect(await committed('things', 'id', 1)).toBe(false);
    await dropped.rollback();
    expect(await committed('things', 'id', 1)).toBe(false);
    expect(await committed('idempotency_keys', 'key', keyDigest('k-rollback'))).toBe(false);

    const kept = new RequestTransaction(transactions, 'k-commit');
    await kept.within(() => insertThing(2));
    await kept.store(answer);
    expect(await committed('things', 'id', 2)).toBe(false);
    await kept.commit();
    expect(await committed('things', 'id', 2)).toBe(true);
    expect(await committed('idempotency_keys', 'key', keyDigest('k-commit'))).toBe(true);
  });

  it('rolls a refused step back alone, and later reads see the request’s own writes', async () => {
    const request = new RequestTransaction(transactions, 'k-savepoint');
    const outcome = await request.within(async () => {
      await insertThing(3);
      const duplicate = await insertThing(3).then(
        () => 'inserted',
        (error) => (error as { code?: string }).code,
      );
      const { rows } = await transactions.run((tx) => tx.query<{ n: string }>('SELECT count(*) AS n FROM things WHERE id = 3'));
      return { duplicate, seen: Number(rows[0].n) };
    });
    expect(outcome).toEqual({ duplicate: '23505', seen: 1 });
    await request.store(answer);
    await request.commit();
    expect(await committed('things', 'id', 3)).toBe(true);
  });

  it('makes a concurrent repeat wait for the first, then hands it the first answer', async () => {
    const first = new RequestTransaction(transactions, 'k-wait');
    await first.within(() => insertThing(4));
    const repeat = new RequestTransaction(transactions, 'k-wait');
    const repeatOpened = repeat.open();
    expect(await pending(repeatOpened)).toBe(true);
    await first.store(answer);
    await first.commit();
    await expect(repeatOpened).rejects.toBeInstanceOf(AnsweredMeanwhile);
    expect(repeat.preempted).toMatchObject({ status: 201, body: '{"id":1}' });
    await repeat.rollback();
  });

  it('releases the key when the session holding it dies: the repeat runs, the first left nothing', async () => {
    const first = new RequestTransaction(transactions, 'k-crash');
    const pid = await first.within(async () => {
      await insertThing(5);
      const { rows } = await transactions.run((tx) => tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'));
      return rows[0].pid;
    });
    const repeat = new RequestTransaction(transactions, 'k-crash');
    const repeatOpened = repeat.open();
    expect(await pending(repeatOpened)).toBe(true);

    await observer.query('SELECT pg_terminate_backend($1)', [pid]);
    await expect(repeatOpened).resolves.toBeDefined();
    expect(repeat.preempted).toBeUndefined();
    await first.rollback();
    expect(await committed('things', 'id', 5)).toBe(false);
    await repeat.within(() => insertThing(5));
    await repeat.store(answer);
    await repeat.commit();
    expect(await committed('things', 'id', 5)).toBe(true);
  });

  it('keeps Database.transaction (relays, projections, consumers) out of a request', async () => {
    const request = new RequestTransaction(transactions, 'k-background');
    await request.within(async () => {
      await insertThing(6);
      await database.transaction((tx) => tx.query('INSERT INTO things (id) VALUES (7)'));
    });
    expect(await committed('things', 'id', 7)).toBe(true);
    expect(await committed('things', 'id', 6)).toBe(false);
    await request.rollback();
  });
});
