import { chmodSync, createWriteStream, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { KEY_CHECK_SCHEMA } from '../keys/master-key-check';
import { databaseSettingFor, databaseUrlFor, RuntimeConfig } from '../runtime-config';
import { declaredServices, serviceProjections } from '../service-definitions';
import { Digest, LineCounter } from './copy-files';
import { flushDirectory } from './flush-directory';
import { PRIVATE_DIRECTORY, PRIVATE_FILE } from './keep-backups-private';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, BackupManifest, MANIFEST_FILE, platformVersion, SchemaBackup, SequenceBackup, TableBackup } from './manifest';

/** One schema to copy: where it lives and which of its tables are read models (not copied). */
export interface SchemaToBackUp {
  name: string;
  databaseUrl: string;
  /** The variable databaseUrl came from (`BRAND_DATABASE_URL`, or DATABASE_URL where that is not set): a refusal names it. */
  setting: string;
  readModels: string[];
  /** Copied when there: the platform's own schema is in the all-in-one's database alone. A service's schema must be. */
  optional?: boolean;
}

/** What a backup copies, and the PUBLIC_ORIGIN its manifest records (none when not known). */
export interface BackupPlan {
  schemas: SchemaToBackUp[];
  publicOrigin?: string;
}

/**
 * What a backup of this process's services copies: every declared service's schema and the platform's
 * own (the key check value). Read models are named by the services' projections: they are left out
 * because the restore rebuilds them from the log, the source of truth, which is also what proves the
 * log suffices. Everything else is copied, so a table a service adds later is kept by default.
 */
export function backupPlan(config: RuntimeConfig): BackupPlan {
  return {
    schemas: [
      ...declaredServices().map((service) => ({
        name: service.name,
        databaseUrl: databaseUrlFor(config, service.name),
        setting: databaseSettingFor(config, service.name),
        readModels: serviceProjections(service, config).map((projection) => projection.table),
      })),
      { name: KEY_CHECK_SCHEMA, databaseUrl: config.databaseUrl, setting: 'DATABASE_URL', readModels: [], optional: true },
    ],
    publicOrigin: config.publicOrigin,
  };
}

/** Tables of any schema that are not data: migrations (the manifest lists them), a projection's bookkeeping, a rebuild's shadow. */
const NOT_COPIED = new Set(['migrations', 'projection_checkpoints', 'parked_events']);

/**
 * Tables of one schema not copied: identity's failed sign-ins (unkeyed hashes of usernames, often a phone
 * number) and its users' known addresses (where each signed in from), and certification's wrong holder
 * names per certificate number and client address, kept minutes and days for their limits, which a backup
 * would keep for weeks. Restored without them, the limits start afresh.
 */
const NOT_COPIED_FROM: Record<string, string[]> = { identity: ['sign_in_failures', 'sign_in_addresses'], certification: ['verification_wrong_names_by_address'] };
const isShadow = (table: string) => table.endsWith('__rebuild');

/**
 * Copies the schemas into `directory` (new, or empty): one consistent snapshot per database (a
 * REPEATABLE READ READ ONLY transaction, in which every `COPY … TO STDOUT` reads the same instant while
 * commands keep committing), one gzip file per table, then manifest.json with every file's rows, size and
 * SHA-256. Sealed values are copied as they are stored; the master key is never read.
 */
export async function takeBackup(directory: string, plan: BackupPlan, now = new Date()): Promise<BackupManifest> {
  await refuseMissingSchemas(plan.schemas);
  // Readable by the platform's own user alone: a backup holds what the database holds (hashes, sealed keys, audit).
  mkdirSync(directory, { recursive: true, mode: PRIVATE_DIRECTORY });
  if (readdirSync(directory).length > 0) throw new Error(`${directory} is not empty: a backup goes into a new or empty directory`);
  // An empty directory that was there before keeps its mode through mkdirSync.
  chmodSync(directory, PRIVATE_DIRECTORY);
  const schemas: SchemaBackup[] = [];
  for (const [databaseUrl, inDatabase] of groupBy(plan.schemas, (schema) => schema.databaseUrl)) {
    const client = backupClient(databaseUrl);
    await client.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      for (const schema of inDatabase) {
        const copied = await backUpSchema(client, directory, schema);
        if (copied) schemas.push(copied);
      }
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
  }
  // Every file on the disk before the manifest vouches for them (each table's file flushed as it closes).
  for (const schema of schemas) flushDirectory(join(directory, schema.name));
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    formatVersion: BACKUP_FORMAT_VERSION,
    platformVersion: platformVersion(),
    takenAt: now.toISOString(),
    ...(plan.publicOrigin ? { publicOrigin: plan.publicOrigin } : {}),
    services: plan.schemas.filter((schema) => !schema.optional).map((schema) => schema.name),
    schemas,
  };
  writeFileSync(join(directory, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: PRIVATE_FILE, flush: true });
  flushDirectory(directory);
  return manifest;
}

/**
 * Every service's schema where its URL leads, checked before anything is written (the directory neither). A
 * service whose `<SERVICE>_DATABASE_URL` was forgotten reads DATABASE_URL's database instead, where its schema
 * is not: left out without a word, the backup would look whole and its restore bring none of its data back.
 */
async function refuseMissingSchemas(plan: SchemaToBackUp[]): Promise<void> {
  const required = plan.filter((schema) => !schema.optional);
  for (const [databaseUrl, inDatabase] of groupBy(required, (schema) => schema.databaseUrl)) {
    const client = backupClient(databaseUrl);
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>('SELECT nspname AS name FROM pg_namespace WHERE nspname = ANY($1::text[])', [inDatabase.map((schema) => schema.name)]);
      const missing = inDatabase.find((schema) => !rows.some((row) => row.name === schema.name));
      if (missing) throw missingSchema(missing);
    } finally {
      await client.end();
    }
  }
}

/** One line naming the service and the variable to check. */
function missingSchema(schema: SchemaToBackUp): Error {
  const own = `${schema.name.toUpperCase()}_DATABASE_URL`;
  const remedy = schema.setting === own ? `check ${own}` : `${own} is not set: set it to the ${schema.name} service's database`;
  return new Error(`refusing to back up: the database ${schema.setting} names has no ${schema.name} schema (${remedy})`);
}

/** A schema's tables, sequences and log figures, inside the snapshot; undefined when an optional schema does not exist. */
async function backUpSchema(client: Client, directory: string, schema: SchemaToBackUp): Promise<SchemaBackup | undefined> {
  const { rows: found } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema.name]);
  if (found.length === 0) {
    if (schema.optional) return undefined;
    throw missingSchema(schema);
  }
  const { rows: migrations } = await client.query<{ name: string }>(`SELECT name FROM ${schema.name}.migrations ORDER BY id`);
  const { rows: tableRows } = await client.query<{ name: string }>('SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 ORDER BY tablename', [schema.name]);
  const notCopied = NOT_COPIED_FROM[schema.name] ?? [];
  const tables = tableRows.map((row) => row.name).filter((table) => !NOT_COPIED.has(table) && !notCopied.includes(table) && !isShadow(table) && !schema.readModels.includes(table));
  mkdirSync(join(directory, schema.name), { recursive: true, mode: PRIVATE_DIRECTORY });
  const copied: TableBackup[] = [];
  for (const table of tables) copied.push(await copyTable(client, directory, schema.name, table));
  return {
    name: schema.name,
    migrations: migrations.map((row) => row.name),
    readModels: schema.readModels,
    ...(tables.includes('events') ? { events: await logFigures(client, schema.name) } : {}),
    tables: copied,
    sequences: await sequences(client, schema.name),
  };
}

async function copyTable(client: Client, directory: string, schema: string, table: string): Promise<TableBackup> {
  const { rows } = await client.query<{ name: string; type: string }>(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
      WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`,
    [`${schema}.${table}`],
  );
  const columns = rows.map((row) => row.name);
  const file = `${schema}/${table}.tsv.gz`;
  const lines = new LineCounter();
  const digest = new Digest();
  const source = client.query(copyTo(`COPY (${selectFor(schema, table, rows)}) TO STDOUT`));
  await pipeline(source, lines, createGzip(), digest, createWriteStream(join(directory, file), { mode: PRIVATE_FILE, flush: true }));
  return { name: table, file, columns, rows: lines.lines, bytes: digest.bytes, sha256: digest.hex() };
}

/**
 * The rows to copy. The log's `transaction_id` numbers this server's transactions and means nothing on
 * another (a restored server counts from its own start): what readers need of it is the log order,
 * (transaction_id, global_position), and that positions read never get overtaken. So the copy writes
 * the log order's shape instead: a run of events whose positions ascend in log order shares a number,
 * and the number goes up where the positions step back (a transaction that took its positions earlier
 * committed later), so (number, global_position) orders the copy exactly as the log was ordered. The
 * numbers are small (one plus such steps back), and the restore makes its server's transaction counter
 * pass them, so every later event comes after every restored one.
 */
function selectFor(schema: string, table: string, columns: Array<{ name: string; type: string }>): string {
  const names = columns.map((column) => `"${column.name}"`);
  const xid8 = columns.filter((column) => column.type === 'xid8').map((column) => column.name);
  if (table !== 'events' || xid8.join() !== 'transaction_id') {
    if (xid8.length > 0) throw new Error(`${schema}.${table} has transaction ids (${xid8.join(', ')}) that mean nothing on another server: say how to copy them`);
    return `SELECT ${names.join(', ')} FROM ${schema}.${table}`;
  }
  const select = names.map((name) =>
    name === '"transaction_id"' ? `(1 + count(*) FILTER (WHERE steps_back) OVER (ORDER BY log_transaction, global_position ROWS UNBOUNDED PRECEDING))::text::xid8` : name,
  );
  return `SELECT ${select.join(', ')} FROM (
      SELECT e.*, e.transaction_id AS log_transaction,
             e.global_position < lag(e.global_position) OVER (ORDER BY e.transaction_id, e.global_position) AS steps_back
        FROM ${schema}.events e) ordered
    ORDER BY log_transaction, global_position`;
}

async function logFigures(client: Client, schema: string): Promise<{ count: number; lastGlobalPosition: string }> {
  const { rows } = await client.query<{ count: string; last: string }>(`SELECT count(*)::text AS count, coalesce(max(global_position), 0)::text AS last FROM ${schema}.events`);
  return { count: Number(rows[0].count), lastGlobalPosition: rows[0].last };
}

/**
 * Sequences are not transactional: their value is read after the snapshot began, so it is at least
 * every value a copied row holds (a gap after restore, as after any rollback, is harmless).
 */
async function sequences(client: Client, schema: string): Promise<SequenceBackup[]> {
  const { rows } = await client.query<{ name: string; last_value: string | null }>(
    'SELECT sequencename AS name, last_value::text FROM pg_sequences WHERE schemaname = $1 ORDER BY sequencename',
    [schema],
  );
  return rows.filter((row) => row.name !== 'migrations_id_seq').map((row) => ({ name: row.name, lastValue: row.last_value }));
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/**
 * A connection of the backup's own. The server ending it (a restart, the platform stopping during a
 * scheduled backup) fails the backup's next statement; with no 'error' listener, pg's event would end the process.
 */
function backupClient(databaseUrl: string): Client {
  const client = new Client({ connectionString: databaseUrl });
  client.on('error', () => undefined);
  return client;
}
