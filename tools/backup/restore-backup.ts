// A backup back into a fresh data directory (or an empty database): everything is checked before anything is
// written, then the schemas are made by the services' own migrations, the copied tables loaded, the sequences
// set, and every read model rebuilt from the restored log. The caller must have imported the platform's
// modules (PLATFORM_MODULES), which declare the services: their migrations, read models and sealed tables.
import { Database, findFreePort, migrate, MigrationClass, startEmbeddedPostgres } from '@skills/postgres';
import { ProjectionRunner } from '@skills/event-sourcing';
import { erasuresOwedBy } from '@skills/trainee-service';
import {
  BackupManifest,
  declaredServices,
  ErasureEntry,
  erasureLedgerIn,
  identityHashKeyMatchesOf,
  judgeIdentityHashKey,
  refuseOneKeyWithoutTheOther,
  judgeMasterKey,
  KEY_CHECK_MIGRATIONS,
  KEY_CHECK_SCHEMA,
  loadRuntimeConfig,
  MasterKeyRefusal,
  publicOriginIn,
  readErasureLedger,
  recordErasuresOwed,
  Sealed,
  SchemaBackup,
  ServiceDefinition,
  serviceMigrations,
  serviceProjections,
  SERVICES_OF_OLDER_BACKUPS,
} from '@skills/service-runtime';
import { createReadStream, existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BackupRefusal, firstRow, readManifest, tableRows, verifyFiles } from './read-backup';

export interface RestoreOptions {
  /** The backup's directory. */
  directory: string;
  /** A fresh (absent or empty) data directory for an embedded Postgres, as `npm start` runs… */
  dataDir?: string;
  /** …or a database that holds none of the backup's schemas. */
  databaseUrl?: string;
  /** PERSONAL_DATA_KEY, IDENTITY_HASH_KEY, ALLOW_DEVELOPMENT_KEY and PUBLIC_ORIGIN as the restored platform will run with them. */
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

/** What the restored data holds, per schema, to set beside the manifest's figures. */
export interface SchemaFigures {
  name: string;
  events?: { count: number; lastGlobalPosition: string };
  /** The copied tables' rows as loaded, before the read models were rebuilt. */
  rows: Record<string, number>;
  readModelRows: Record<string, number>;
  parkedEvents: number;
}

interface KnownSchema {
  migrations: MigrationClass[];
  service?: ServiceDefinition;
}

/** The data is restored and kept, but not what the erasure ledger owes it: said, and the restore exits 1. */
export class RestoredWithErasuresUnrecorded extends Error {
  constructor(
    message: string,
    readonly figures: SchemaFigures[],
  ) {
    super(message);
  }
}

export async function restoreBackup(options: RestoreOptions): Promise<SchemaFigures[]> {
  const { directory, log } = options;
  const manifest = readManifest(directory);
  const known = knownSchemas();
  refuseUnknown(manifest, known);
  refuseMissingServices(manifest);
  refuseAnotherOrigin(manifest, options.env);
  await verifyFiles(directory, manifest);
  await refuseWrongKey(directory, manifest, options.env);
  log(`backup of ${manifest.takenAt} (platform ${manifest.platformVersion}): every file matches its checksum`);

  const target = await openTarget(options, manifest);
  let restored = false;
  try {
    await load(target.url, directory, manifest, known);
    log('tables loaded, sequences set');
    // The copied tables are counted as loaded: a rebuild may rightly add to one of them, as the credentials
    // projection allocates a status entry for a certificate whose credential was not made yet when the
    // backup was taken.
    const loaded = await loadedFigures(target.url, manifest);
    await rebuildReadModels(target.url, manifest, known, options);
    const figures = await withRebuiltFigures(target.url, manifest, loaded);
    restored = true;
    // Said after the restore is whole, and recorded in the data: a ledger this user cannot read undoes nothing.
    await reportErasuresToMakeAgain(target.url, directory, log).catch((error: Error) => {
      throw new RestoredWithErasuresUnrecorded(
        `the backup is restored, but what the erasure ledger beside it owes could not be recorded (${error.message}): start the platform with BACKUP_DIR=${dirname(resolve(directory))} so its erasures are made again`,
        figures,
      );
    });
    return figures;
  } finally {
    await target.stop();
    // A restore that failed half-way leaves nothing: its empty schemas would start as a fresh platform
    // (a new admin, no data, no warning), and a second try would find the target not empty.
    if (!restored) await target.undo().catch((error: Error) => log(`could not remove what the failed restore wrote: ${error.message}`));
  }
}

/** Every schema the platform knows: the services' (as their hosts migrate them) and the platform's own. */
function knownSchemas(): Map<string, KnownSchema> {
  const known = new Map<string, KnownSchema>(declaredServices().map((service) => [service.name, { migrations: serviceMigrations(service), service }]));
  known.set(KEY_CHECK_SCHEMA, { migrations: KEY_CHECK_MIGRATIONS });
  return known;
}

const migrationName = (migration: MigrationClass) => new migration().name ?? migration.name;

/** A schema or a migration this code does not know: the backup comes from a newer platform. */
function refuseUnknown(manifest: BackupManifest, known: Map<string, KnownSchema>): void {
  for (const schema of manifest.schemas) {
    const names = known.get(schema.name)?.migrations.map(migrationName);
    if (!names) throw new BackupRefusal(`the backup holds a schema ${schema.name} that this platform does not know: restore it with the platform version that took it (${manifest.platformVersion})`);
    const unknown = schema.migrations.filter((name) => !names.includes(name));
    if (unknown.length > 0)
      throw new BackupRefusal(`schema ${schema.name} of the backup has migrations this platform does not know (${unknown.join(', ')}): restore it with the platform version that took it (${manifest.platformVersion})`);
  }
}

/**
 * A backup without one of its services' schemas (taken before backups refused that: a forgotten
 * `<SERVICE>_DATABASE_URL`) would restore a platform whose service starts empty, its data gone without a word.
 * Only the services the platform had when the backup was taken are asked for: one added since starts empty, rightly.
 */
function refuseMissingServices(manifest: BackupManifest): void {
  const missing = (manifest.services ?? SERVICES_OF_OLDER_BACKUPS).filter((service) => !manifest.schemas.some((schema) => schema.name === service));
  if (missing.length > 0)
    throw new BackupRefusal(
      `the backup has no ${missing.join(', ')} schema (taken without ${missing.map((service) => `${service.toUpperCase()}_DATABASE_URL`).join(', ')}?): nothing was restored; restore a backup that holds every service`,
    );
}

/**
 * The read models are rebuilt under this restore's PUBLIC_ORIGIN: the credentials are signed again naming it,
 * while the status lists, copied, name the origin the backup was taken under, and `npm start` rebuilds
 * nothing. Refused rather than taken from the manifest: adopted here alone, the start that follows without
 * PUBLIC_ORIGIN would still issue tokens and credentials under another origin than the restored ones'; the
 * refusal makes whoever restores set it, for the start as well. A backup that does not record it is restored as before.
 */
function refuseAnotherOrigin(manifest: BackupManifest, env: NodeJS.ProcessEnv): void {
  const origin = publicOriginIn(env);
  if (manifest.publicOrigin === undefined || manifest.publicOrigin === origin) return;
  const given = env.PUBLIC_ORIGIN === undefined ? `PUBLIC_ORIGIN is not set (${origin})` : `PUBLIC_ORIGIN is ${origin}`;
  throw new BackupRefusal(`refusing to restore: the backup was taken under PUBLIC_ORIGIN=${manifest.publicOrigin} and ${given}; restore, and start the platform, with PUBLIC_ORIGIN=${manifest.publicOrigin}`);
}

/** The key check, on the backup's own files: a wrong or development key is refused before a byte is written. */
async function refuseWrongKey(directory: string, manifest: BackupManifest, env: NodeJS.ProcessEnv): Promise<void> {
  const schema = (name: string) => manifest.schemas.find((candidate) => candidate.name === name);
  const stored = (await firstRow(directory, schema(KEY_CHECK_SCHEMA), 'master_key_check'))?.check_value ?? undefined;
  const sealedValues: Sealed[] = [];
  for (const service of declaredServices()) {
    for (const { table, column } of service.sealedWithMasterKey ?? []) {
      const value = (await firstRow(directory, schema(service.name), table))?.[column];
      if (value) sealedValues.push(JSON.parse(value) as Sealed);
    }
  }
  // The IDENTITY_HASH_KEY too: by its check value where the backup carries one (the all-in-one's, taken since
  // it exists); a distributed deployment's has none (no platform schema), so by a registered identity number
  // opened from the backup's files and hashed again, which the start would otherwise take on trust.
  const storedIdentityHashCheck = (await firstRow(directory, schema(KEY_CHECK_SCHEMA), 'identity_hash_key_check'))?.check_value ?? undefined;
  const holdsIdentityHashes = declaredServices().some((service) => (service.hashedWithIdentityKey ?? []).some((table) => (schema(service.name)?.tables.find((candidate) => candidate.name === table)?.rows ?? 0) > 0));
  try {
    judgeMasterKey({ storedCheckValue: stored, sealedValues }, env, 'refusing to restore');
    const registeredNumberMatches =
      holdsIdentityHashes && storedIdentityHashCheck === undefined
        ? await identityHashKeyMatchesOf(declaredServices(), (service) => ({ rows: (table) => tableRows(directory, schema(service.name), table) }), env)
        : undefined;
    judgeIdentityHashKey({ storedCheckValue: storedIdentityHashCheck, holdsIdentityHashes, registeredNumberMatches }, env, 'refusing to restore');
    refuseOneKeyWithoutTheOther(env, 'refusing to restore');
  } catch (error) {
    if (error instanceof MasterKeyRefusal) throw new BackupRefusal(error.message);
    throw error;
  }
}

/** Where the restore writes: its URL, how to stop using it, and how to remove what a failed restore wrote (after `stop`). */
interface RestoreTarget {
  url: string;
  stop(): Promise<void>;
  undo(): Promise<void>;
}

async function openTarget(options: RestoreOptions, manifest: BackupManifest): Promise<RestoreTarget> {
  const schemas = manifest.schemas.map((schema) => schema.name);
  if (options.databaseUrl) {
    const databaseUrl = options.databaseUrl;
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname = ANY($1::text[])', [schemas]);
      if (rows.length > 0) throw new BackupRefusal(`the database already holds ${rows.map((row) => row.nspname).join(', ')}: a restore goes into an empty one`);
    } finally {
      await client.end();
    }
    // The backup's schemas were absent: the restore made them all.
    const undo = async () => {
      const dropper = new Client({ connectionString: databaseUrl });
      await dropper.connect();
      try {
        for (const schema of schemas) await dropper.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await dropper.end();
      }
    };
    return { url: databaseUrl, stop: async () => undefined, undo };
  }
  const dataDir = resolve(options.dataDir ?? '');
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0)
    throw new BackupRefusal(`${dataDir} is not empty: a restore goes onto a fresh data directory (move this one away, or name another with PLATFORM_DATA_DIR)`);
  // The directory was absent or empty: what is in it now, the restore wrote.
  const undo = async () => {
    for (const entry of existsSync(dataDir) ? readdirSync(dataDir) : []) rmSync(join(dataDir, entry), { recursive: true, force: true });
  };
  // Any free port: the platform whose backup this is may still be running on its own.
  const postgres = await startEmbeddedPostgres({ dataDir, port: await findFreePort(), persistent: true }).catch(async (error: Error) => {
    await undo();
    throw error;
  });
  return { url: postgres.url, stop: () => postgres.stop(), undo };
}

/**
 * Migrates each schema to exactly the backup's migrations, loads the copied tables (in one transaction,
 * a referenced table before its referrers) and sets the sequences, then runs the migrations this
 * platform has beyond the backup's, as an upgrade would over the live data.
 */
async function load(url: string, directory: string, manifest: BackupManifest, known: Map<string, KnownSchema>): Promise<void> {
  for (const schema of manifest.schemas) {
    const migrations = (known.get(schema.name) as KnownSchema).migrations;
    await migrate(url, schema.name, migrations.filter((migration) => schema.migrations.includes(migrationName(migration))));
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const schema of manifest.schemas) {
      for (const table of await inReferenceOrder(client, schema)) {
        const copy = client.query(copyFrom(`COPY ${schema.name}.${table.name} (${table.columns.map((column) => `"${column}"`).join(', ')}) FROM STDIN`));
        await pipeline(createReadStream(join(directory, table.file)), createGunzip(), copy);
      }
      for (const sequence of schema.sequences)
        if (sequence.lastValue !== null) await client.query('SELECT setval($1::regclass, $2::bigint, true)', [`${schema.name}.${sequence.name}`, sequence.lastValue]);
    }
    await client.query('COMMIT');
    await passRestoredTransactionIds(client, manifest);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  for (const schema of manifest.schemas) await migrate(url, schema.name, (known.get(schema.name) as KnownSchema).migrations);
}

/** The schema's copied tables, each after the tables its foreign keys point to. */
async function inReferenceOrder(client: Client, schema: SchemaBackup): Promise<SchemaBackup['tables']> {
  const { rows } = await client.query<{ child: string; parent: string }>(
    `SELECT c.relname AS child, p.relname AS parent FROM pg_constraint f
       JOIN pg_class c ON c.oid = f.conrelid JOIN pg_class p ON p.oid = f.confrelid
      WHERE f.contype = 'f' AND f.connamespace = $1::regnamespace AND c.oid <> p.oid`,
    [schema.name],
  );
  const ordered: SchemaBackup['tables'] = [];
  const place = (table: SchemaBackup['tables'][number], path: string[]) => {
    if (ordered.includes(table) || path.includes(table.name)) return;
    for (const { parent } of rows.filter((row) => row.child === table.name)) {
      const referenced = schema.tables.find((candidate) => candidate.name === parent);
      if (referenced) place(referenced, [...path, table.name]);
    }
    ordered.push(table);
  };
  for (const table of schema.tables) place(table, []);
  return ordered;
}

/**
 * The copied log carries small numbers in `transaction_id` (its order, see take-backup.ts). Readers take
 * only events of transactions older than every one still running, and new events must come after the
 * restored ones: so this server's transaction counter is moved past the largest, one empty transaction
 * at a time (a fresh server is a few hundred in; the numbers exceed that only after many concurrent commits).
 */
async function passRestoredTransactionIds(client: Client, manifest: BackupManifest): Promise<void> {
  const logs = manifest.schemas.filter((schema) => schema.events);
  if (logs.length === 0) return;
  const { rows } = await client.query<{ highest: string }>(
    `SELECT greatest(${logs.map((schema) => `(SELECT coalesce(max(transaction_id)::text::bigint, 0) FROM ${schema.name}.events)`).join(', ')})::text AS highest`,
  );
  const { rows: current } = await client.query<{ now: string }>('SELECT pg_current_xact_id()::text AS now');
  const missing = Number(rows[0].highest) - Number(current[0].now) + 1;
  if (missing > 0) await client.query(`DO $$ BEGIN FOR i IN 1..${missing} LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$`);
}

/** Every service's read models replayed from its restored log (ProjectionRunner.rebuild, as /admin/projections does). */
async function rebuildReadModels(url: string, manifest: BackupManifest, known: Map<string, KnownSchema>, options: RestoreOptions): Promise<void> {
  // The settings the projections read (PUBLIC_ORIGIN names the credentials' issuer: keep the platform's).
  const config = loadRuntimeConfig({ ...options.env, DATABASE_URL: url, TRANSPORT: 'in-process' });
  for (const schema of manifest.schemas) {
    const service = known.get(schema.name)?.service;
    if (!service) continue;
    const database = new Database({ url, schema: schema.name, poolSize: 2 });
    const projections = serviceProjections(service, config);
    const runner = new ProjectionRunner(database, projections, { onError: (error) => options.log(`${schema.name}: ${error instanceof Error ? error.message : String(error)}`) });
    try {
      for (const projection of projections) {
        const started = Date.now();
        await runner.rebuild(projection.name);
        options.log(`rebuilt ${schema.name}/${projection.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }
    } finally {
      await database.close();
    }
  }
}

/**
 * The erasures and voids the erasure ledger beside the backup (in BACKUP_DIR, its parent) names and the
 * restored data lacks: the trainee module makes them again at the platform's next start with that
 * BACKUP_DIR. Said here, so whoever restores knows before starting it.
 */
async function reportErasuresToMakeAgain(url: string, directory: string, log: (line: string) => void): Promise<void> {
  const backupDir = dirname(resolve(directory));
  const ledger = erasureLedgerIn(backupDir);
  if (!existsSync(ledger)) {
    // The backup holds each trainee's data key as it was then: a person erased since is whole again here.
    log(`no erasure ledger beside the backup (${ledger}): erasures made after it are not in it; erase those people again (DELETE /api/v1/trainees/{id}/personal-data)`);
    return;
  }
  const database = new Database({ url, schema: 'trainee', poolSize: 1 });
  try {
    let inLedger: ErasureEntry[] | null;
    try {
      inLedger = readErasureLedger(ledger);
    } catch (error) {
      // Unreadable by whoever restores (another user's file): still owed, how many the start will read.
      log(`WARNING: the erasure ledger ${ledger} could not be read (${(error as Error).message}): what it owes is recorded as unknown; start the platform with BACKUP_DIR=${backupDir} so its erasures are made again`);
      inLedger = null;
    }
    const owed = inLedger === null ? null : await erasuresOwedBy(database, inLedger);
    if (owed !== 0) {
      // Owed in the data itself: a start with another BACKUP_DIR, or none, is refused until they are made.
      await migrate(url, KEY_CHECK_SCHEMA, KEY_CHECK_MIGRATIONS);
      await recordErasuresOwed(database, { ledger, owed });
    }
    if (owed !== null)
      log(`erasure ledger ${ledger}: ${owed} erasures, voids and import rows of people erased after this backup; they are made again when the platform starts with BACKUP_DIR=${backupDir}`);
  } finally {
    await database.close();
  }
}

/** The copied tables and the log, as loaded (the read models are not there yet). */
function loadedFigures(url: string, manifest: BackupManifest): Promise<SchemaFigures[]> {
  return withCounter(url, async (count, client) => {
    const figures: SchemaFigures[] = [];
    for (const schema of manifest.schemas) {
      const rows: Record<string, number> = {};
      for (const table of schema.tables) rows[table.name] = await count(`${schema.name}.${table.name}`);
      let events: SchemaFigures['events'];
      if (schema.events) {
        const { rows: log } = await client.query<{ count: string; last: string }>(`SELECT count(*)::text AS count, coalesce(max(global_position), 0)::text AS last FROM ${schema.name}.events`);
        events = { count: Number(log[0].count), lastGlobalPosition: log[0].last };
      }
      figures.push({ name: schema.name, events, rows, readModelRows: {}, parkedEvents: 0 });
    }
    return figures;
  });
}

/** The figures as loaded, with the read models' rows and the parked events once rebuilt. */
function withRebuiltFigures(url: string, manifest: BackupManifest, loaded: SchemaFigures[]): Promise<SchemaFigures[]> {
  return withCounter(url, async (count) => {
    const figures: SchemaFigures[] = [];
    for (const [n, schema] of manifest.schemas.entries()) {
      const readModelRows: Record<string, number> = {};
      for (const table of schema.readModels) readModelRows[table] = await count(`${schema.name}.${table}`);
      const parkedEvents = schema.events ? await count(`${schema.name}.parked_events`) : 0;
      figures.push({ ...loaded[n], readModelRows, parkedEvents });
    }
    return figures;
  });
}

async function withCounter<T>(url: string, work: (count: (qualified: string) => Promise<number>, client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(async (qualified) => Number((await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${qualified}`)).rows[0].n), client);
  } finally {
    await client.end();
  }
}

/**
 * The end of a restore whose figures differ from the manifest's: those differences, and what the erasure
 * ledger owes if that could not be recorded, which names the BACKUP_DIR to start the platform with and must
 * not be hidden behind them.
 */
export function differingRestore(differences: string[], unrecorded?: RestoredWithErasuresUnrecorded): Error {
  return new Error([`the restored data differs from the manifest:\n  ${differences.join('\n  ')}`, ...(unrecorded ? [unrecorded.message] : [])].join('\n'));
}

/** Where the restored figures differ from the manifest's (none: the restore is whole). */
export function differencesFromManifest(manifest: BackupManifest, figures: SchemaFigures[]): string[] {
  const differences: string[] = [];
  for (const schema of manifest.schemas) {
    const restored = figures.find((candidate) => candidate.name === schema.name);
    if (schema.events && (restored?.events?.count !== schema.events.count || restored.events.lastGlobalPosition !== schema.events.lastGlobalPosition))
      differences.push(`${schema.name}: ${restored?.events?.count} events up to ${restored?.events?.lastGlobalPosition}, the manifest says ${schema.events.count} up to ${schema.events.lastGlobalPosition}`);
    for (const table of schema.tables)
      if (restored?.rows[table.name] !== table.rows) differences.push(`${schema.name}.${table.name}: ${restored?.rows[table.name]} rows, the manifest says ${table.rows}`);
    if (restored && restored.parkedEvents > 0) differences.push(`${schema.name}: ${restored.parkedEvents} events could not be applied to its read models (GET /admin/projections after start)`);
  }
  return differences;
}
