import { randomBytes } from 'node:crypto';
import { Client, PoolClient, QueryResultRow } from 'pg';

export interface TestDatabase {
  /** Connection URL of the new database, same server and credentials as DATABASE_URL. */
  url: string;
  /** Drops the database, closing whatever connections are still open on it. Safe to call twice. */
  drop(): Promise<void>;
}

/**
 * A fresh, empty database on the test server. One per test file (or per test) keeps parallel Jest
 * workers from seeing each other's events, and costs milliseconds with CREATE DATABASE.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    throw new Error('DATABASE_URL is not set: run tests through the root jest.config.js, whose global setup provides it.');
  }
  const name = `test_${process.env.JEST_WORKER_ID ?? '0'}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));

  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // WITH (FORCE) (Postgres 13+): a pool a test forgot to close must not make the drop fail.
    drop: () => withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
}

/**
 * For a file's tests of a read model's SQL: a database of its own and a client connected to it, made
 * before the file's tests and dropped after them (call it in the describe block). `tx()` is that client
 * where a projection expects its transaction's.
 */
export function databaseForTests(): { sql: () => Client; tx: () => PoolClient } {
  let database: TestDatabase | undefined;
  let client: Client | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    client = new Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });
  const sql = () => {
    if (!client) throw new Error('the test database is made before the tests (beforeAll)');
    return client;
  };
  return { sql, tx: () => sql() as unknown as PoolClient };
}

async function withAdminClient(url: string, work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/** A query's rows, read on a connection of its own (a check of what a database holds). */
export async function rowsOf<Row extends QueryResultRow = QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<Row[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** One column of a query's rows (`value`), read on a connection of its own. */
export async function columnOf(url: string, sql: string): Promise<string[]> {
  return (await rowsOf<{ value: string }>(url, sql)).map((row) => row.value);
}
