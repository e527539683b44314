// npm run rotate-personal-data-key [-- --service NAME]: with the platform stopped, re-wraps every value sealed
// with the master key (PERSONAL_DATA_KEY, the current key) under NEW_PERSONAL_DATA_KEY, and replaces the key
// check value, in one transaction; then the platform starts with the new key only. Once the old key is
// destroyed, old copies of the wrapped keys (an erased trainee's among them, in dead rows, the write-ahead log,
// disk snapshots, backups) open nothing (README, "Keep the keys"). Refuses, changing nothing, a current key
// that is not the data's, and data a running platform holds.
//   Without --service: the all-in-one's data, in DATABASE_URL or the data directory `npm start` uses
//   (PLATFORM_DATA_DIR, .data/postgres), on an embedded Postgres of its own.
//   --service NAME: one service deployed on its own, in <NAME>_DATABASE_URL or DATABASE_URL.
import { platformDataDir, PLATFORM_MODULES } from '@skills/platform';
import { findFreePort, startEmbeddedPostgres } from '@skills/postgres';
import { databaseUrlFor, declaredServices, loadRuntimeConfig, MasterKeyRotation, rotateMasterKey, rotationKeysFrom, ServiceDefinition } from '@skills/service-runtime';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { columnsSealedWithMasterKey } from './master-key-columns';

const USAGE = `usage: PERSONAL_DATA_KEY=<current key> NEW_PERSONAL_DATA_KEY=<new key> npm run rotate-personal-data-key [-- --service NAME]
  with the platform stopped; without --service the all-in-one's data (DATABASE_URL, or PLATFORM_DATA_DIR / .data/postgres),
  with it one service's own database (<NAME>_DATABASE_URL or DATABASE_URL)`;

class HelpAsked extends Error {}

function serviceArgument(argv: string[]): string | undefined {
  const { values, positionals } = parseArgs({ args: argv, options: { service: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  if (values.help) throw new HelpAsked(USAGE);
  if (positionals.length > 0) throw new Error(`unexpected ${positionals.join(' ')}\n${USAGE}`);
  return values.service;
}

/** The all-in-one's data, or one service's database; `stop` ends the embedded server this started, if any. */
async function target(service: ServiceDefinition | undefined): Promise<{ url: string; where: string; stop: () => Promise<void> }> {
  const config = () => loadRuntimeConfig({ ...process.env, TRANSPORT: 'in-process' });
  if (service) return { url: databaseUrlFor(config(), service.name), where: `${service.name}'s database`, stop: async () => undefined };
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, where: 'DATABASE_URL', stop: async () => undefined };
  const dataDir = resolve(platformDataDir());
  // Never initialised here: an empty cluster would be "rotated" and the key said changed for no data.
  if (!existsSync(join(dataDir, 'PG_VERSION'))) throw new Error(`no platform data in ${dataDir}: name the data directory with PLATFORM_DATA_DIR, or the database with DATABASE_URL`);
  // Refused (DataDirectoryInUse) while `npm start` runs on it; any free port, as the restore does.
  const postgres = await startEmbeddedPostgres({ dataDir, port: await findFreePort(), persistent: true });
  return { url: postgres.url, where: dataDir, stop: () => postgres.stop() };
}

async function main() {
  const name = serviceArgument(process.argv.slice(2));
  // Importing the platform's modules declares its services: their schemas and the columns they seal.
  if (PLATFORM_MODULES.length === 0) throw new Error('the platform declares no services');
  const service = name === undefined ? undefined : declaredServices().find((candidate) => candidate.name === name);
  if (name !== undefined && !service) throw new Error(`no service ${name}: one of ${declaredServices().map((candidate) => candidate.name).join(', ')}`);
  const keys = rotationKeysFrom(process.env);
  const rotation: MasterKeyRotation = { ...keys, columns: columnsSealedWithMasterKey(service ? [service] : declaredServices()), keyCheck: service ? 'refuse' : 'replace' };
  const data = await target(service);
  try {
    const rotated = await rotateMasterKey(data.url, rotation);
    for (const column of rotated) console.log(`${`${column.schema}.${column.table}`.padEnd(36)} ${column.rows} re-wrapped`);
    console.log(`${data.where}: every value sealed with the master key is now sealed with NEW_PERSONAL_DATA_KEY`);
    console.log(
      'start with PERSONAL_DATA_KEY set to the new key; destroy the old one, keeping it only as long as the backups taken before now (they need it to restore, and hold erased people\'s keys under it)',
    );
  } finally {
    await data.stop();
  }
}

main().catch((error: unknown) => {
  if (error instanceof HelpAsked) {
    console.log(error.message);
    process.exit(0);
  }
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
