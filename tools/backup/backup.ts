// npm run backup -- DIR: a consistent copy of the running all-in-one platform's data into DIR (new or empty):
// one gzip file per table (COPY text format) and manifest.json with the platform and schema versions, each
// service's event count and last position, and every file's SHA-256 (docs: README "Backup and restore").
// It reaches the embedded Postgres `npm start` runs (EMBEDDED_POSTGRES_PORT, default 54329), or DATABASE_URL.
import { embeddedPostgresUrl } from '@skills/postgres';
import { embeddedPostgresPort, PLATFORM_MODULES } from '@skills/platform';
import { backupPlan, loadRuntimeConfig, takeBackup } from '@skills/service-runtime';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { directoryArgument, exitOn } from './directory-argument';

async function main() {
  const directory = directoryArgument(process.argv.slice(2), 'usage: npm run backup -- DIR (a new or empty directory)');
  // Importing the platform's modules declares its services: which schemas there are, and their read models.
  if (PLATFORM_MODULES.length === 0) throw new Error('the platform declares no services');
  const databaseUrl = process.env.DATABASE_URL || embeddedPostgresUrl(embeddedPostgresPort());
  const config = loadRuntimeConfig({ ...process.env, TRANSPORT: 'in-process', DATABASE_URL: databaseUrl });
  const started = performance.now();
  // This process cannot tell the running platform's PUBLIC_ORIGIN: recorded only when given (then it must be the platform's).
  const plan = { ...backupPlan(config), publicOrigin: process.env.PUBLIC_ORIGIN ? config.publicOrigin : undefined };
  const manifest = await takeBackup(resolve(directory), plan).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ECONNREFUSED') throw new Error(`no database answers at ${new URL(databaseUrl).host}: is the platform running (npm start)? Otherwise set DATABASE_URL`);
    throw error;
  });
  const files = manifest.schemas.flatMap((schema) => schema.tables);
  const bytes = files.reduce((sum, table) => sum + table.bytes, 0);
  for (const schema of manifest.schemas)
    console.log(`${schema.name.padEnd(14)} ${schema.events ? `${schema.events.count} events, last position ${schema.events.lastGlobalPosition}; ` : ''}${schema.tables.length} tables, ${schema.tables.reduce((sum, table) => sum + table.rows, 0)} rows`);
  console.log(`backed up to ${resolve(directory)}: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (!manifest.publicOrigin) console.log("PUBLIC_ORIGIN is not set here: the backup does not record the platform's origin; restore it with the platform's PUBLIC_ORIGIN");
}

main().catch(exitOn);
