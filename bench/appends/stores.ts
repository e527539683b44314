import { getPostgreSQLEventStore, PostgresEventStore } from '@event-driven-io/emmett-postgresql';
import { appendToStream, EventMetadata, eventsChannel, EventStoreSchema, prepareAppend } from '@skills/event-sourcing';
import { Database, migrate } from '@skills/postgres';
import { Client, Pool } from 'pg';
import { BenchEvent } from './payload';

export { benchEvents, benchMetadata, type BenchEvent } from './payload';

/** One event store under test, as a command handler would drive it: one transaction per append. */
export interface AppendStore {
  readonly label: string;
  setup(): Promise<void>;
  append(streamId: string, expectedVersion: number, events: BenchEvent[], metadata: EventMetadata): Promise<void>;
  /** Anything the store did on the side during the run (e.g. notifications received). */
  stats(): Record<string, number>;
  close(): Promise<void>;
}

export type StoreSpec = { kind: 'ours' } | { kind: 'ours-alone' } | { kind: 'emmett' } | { kind: 'bare-insert' };

const SCHEMA = 'bench';

export function createStore(spec: StoreSpec, url: string, poolSize: number): AppendStore {
  switch (spec.kind) {
    case 'ours':
      return new OursStore(url, poolSize, 'in a transaction');
    case 'ours-alone':
      return new OursStore(url, poolSize, 'alone');
    case 'emmett':
      return new EmmettStore(url, poolSize);
    case 'bare-insert':
      return new BareInsertStore(url, poolSize);
  }
}

/**
 * libs/event-sourcing's append as the command pipeline sends it: prepared (prepareAppend) and sent with
 * its transaction's last statements and COMMIT, here the only ones: BEGIN, the append and COMMIT in one
 * round trip (a command adds its lock-and-read round trip before it, and its claims and outbox rows to
 * this one). Or appendToStream alone on the pool, where its one statement is its own transaction.
 */
class OursStore implements AppendStore {
  readonly label: string;
  private database?: Database;
  private listener?: Client;
  private notifications = 0;

  constructor(
    private readonly url: string,
    private readonly poolSize: number,
    private readonly how: 'in a transaction' | 'alone',
  ) {
    this.label = how === 'alone' ? 'ours, append alone' : 'ours';
  }

  async setup(): Promise<void> {
    await migrate(this.url, SCHEMA, [EventStoreSchema]);
    this.database = new Database({ url: this.url, schema: SCHEMA, poolSize: this.poolSize });
    // As in a running service, someone LISTENs on the events channel (its ProjectionRunner).
    this.listener = new Client({ connectionString: this.url });
    await this.listener.connect();
    this.listener.on('notification', () => this.notifications++);
    await this.listener.query(`LISTEN "${eventsChannel(SCHEMA)}"`);
  }

  async append(streamId: string, expectedVersion: number, events: BenchEvent[], metadata: EventMetadata): Promise<void> {
    const database = this.database;
    if (!database) throw new Error('setup first');
    if (this.how === 'alone') {
      await appendToStream(database, SCHEMA, streamId, expectedVersion, events, metadata);
      return;
    }
    await database.compactTransaction(async (tx, ends) => {
      // A command passes its transaction's now(), read with its lock; nothing here reads the decided events' time.
      const append = prepareAppend(tx, SCHEMA, streamId, expectedVersion, events, metadata, new Date().toISOString());
      const [answer] = await ends.close([append.statement]);
      append.recordedFrom(answer);
    });
  }

  stats(): Record<string, number> {
    return { notificationsReceived: this.notifications };
  }

  async close(): Promise<void> {
    await this.listener?.end();
    await this.database?.close();
  }
}

/**
 * Emmett's PostgreSQL event store, used as its docs show. Given a pg.Pool of the same size as ours
 * (its default would be pg's 10 connections, fewer than the 16 writers).
 */
class EmmettStore implements AppendStore {
  readonly label = 'emmett';
  private store?: PostgresEventStore;
  private pool?: Pool;

  constructor(
    private readonly url: string,
    private readonly poolSize: number,
  ) {}

  async setup(): Promise<void> {
    this.pool = new Pool({ connectionString: this.url, max: this.poolSize });
    this.store = getPostgreSQLEventStore(this.url, { connectionOptions: { pool: this.pool } });
    await this.store.schema.migrate();
  }

  async append(streamId: string, expectedVersion: number, events: BenchEvent[], metadata: EventMetadata): Promise<void> {
    if (!this.store) throw new Error('setup first');
    const withMetadata = events.map((event) => ({ ...event, metadata: { ...metadata } }));
    await this.store.appendToStream(streamId, withMetadata, { expectedStreamVersion: BigInt(expectedVersion) });
  }

  stats(): Record<string, number> {
    return {};
  }

  async close(): Promise<void> {
    await this.store?.close();
    await this.pool?.end();
  }
}

/**
 * The physical limit of the same client stack on the same server: the append's payload as rows of a
 * plain table (an identity key, a jsonb column), each append one autocommitted INSERT (one round trip,
 * one commit), prepared once per connection; a batch is one multi-row INSERT. No stream, no version
 * check, no other index: what any event store has to add to this is its own cost.
 */
class BareInsertStore implements AppendStore {
  readonly label = 'bare insert';
  private pool?: Pool;

  constructor(
    private readonly url: string,
    private readonly poolSize: number,
  ) {}

  async setup(): Promise<void> {
    this.pool = new Pool({ connectionString: this.url, max: this.poolSize });
    await this.pool.query('CREATE TABLE bare_rows (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload jsonb NOT NULL)');
  }

  async append(_streamId: string, _expectedVersion: number, events: BenchEvent[], metadata: EventMetadata): Promise<void> {
    if (!this.pool) throw new Error('setup first');
    const payloads = events.map((event) => JSON.stringify({ ...event, metadata }));
    if (payloads.length === 1) await this.pool.query({ name: 'bare_insert_one', text: 'INSERT INTO bare_rows (payload) VALUES ($1)', values: payloads });
    else await this.pool.query({ name: 'bare_insert_many', text: 'INSERT INTO bare_rows (payload) SELECT * FROM unnest($1::jsonb[])', values: [payloads] });
  }

  stats(): Record<string, number> {
    return {};
  }

  async close(): Promise<void> {
    await this.pool?.end();
  }
}
