// npm run restore -- DIR: a backup (npm run backup) onto a fresh data directory, PLATFORM_DATA_DIR or
// .data/postgres as `npm start` uses it (or into the empty database DATABASE_URL names). Refuses a backup
// whose files fail their checksums or whose format it cannot read, a key that is not the data's, and a
// PUBLIC_ORIGIN other than the one the backup was taken under, before writing anything; then loads it,
// rebuilds every read model from the log, and prints the counts beside the manifest's. Start the platform on
// it afterwards with the same PERSONAL_DATA_KEY, IDENTITY_HASH_KEY and PUBLIC_ORIGIN.
import { platformDataDir, PLATFORM_MODULES } from '@skills/platform';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { directoryArgument, exitOn } from './directory-argument';
import { readManifest } from './read-backup';
import { differencesFromManifest, differingRestore, restoreBackup, RestoredWithErasuresUnrecorded } from './restore-backup';

async function main() {
  const directory = directoryArgument(process.argv.slice(2), 'usage: npm run restore -- DIR (a backup made by npm run backup)');
  // Importing the platform's modules declares its services: their migrations, read models and sealed tables.
  if (PLATFORM_MODULES.length === 0) throw new Error('the platform declares no services');
  const started = performance.now();
  const target = process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { dataDir: resolve(platformDataDir()) };
  let unrecorded: RestoredWithErasuresUnrecorded | undefined;
  // Restored, its erasures unrecorded: the counts and the access warning still said, then exit 1.
  const figures = await restoreBackup({ directory: resolve(directory), ...target, env: process.env, log: (line) => console.log(line) }).catch((error: unknown) => {
    if (!(error instanceof RestoredWithErasuresUnrecorded)) throw error;
    unrecorded = error;
    return error.figures;
  });
  const manifest = readManifest(resolve(directory));
  for (const schema of figures) {
    const expected = manifest.schemas.find((candidate) => candidate.name === schema.name);
    const rows = Object.values(schema.rows).reduce((sum, n) => sum + n, 0);
    const readModels = Object.entries(schema.readModelRows).map(([table, n]) => `${table} ${n}`).join(', ');
    console.log(
      `${schema.name.padEnd(14)} ${schema.events ? `${schema.events.count} events, last position ${schema.events.lastGlobalPosition} (manifest: ${expected?.events?.count}, ${expected?.events?.lastGlobalPosition}); ` : ''}${rows} rows in ${Object.keys(schema.rows).length} tables${readModels ? `; rebuilt ${readModels}` : ''}`,
    );
  }
  const differences = differencesFromManifest(manifest, figures);
  // Said with the erasures owed, when those could not be recorded: they name the BACKUP_DIR to start with.
  if (differences.length > 0) throw differingRestore(differences, unrecorded);
  console.log(`restored ${resolve(directory)} into ${target.databaseUrl ? 'DATABASE_URL' : target.dataDir} in ${((performance.now() - started) / 1000).toFixed(1)} s: every count as in the manifest`);
  // Access decisions too are as they were then: what was revoked, disabled or changed since is undone.
  console.log(
    `access as it was at ${manifest.takenAt}: users disabled, API keys revoked, passwords changed and sessions ended since then are active again; disable, revoke and reset them again`,
  );
  if (unrecorded) throw unrecorded;
}

main().catch(exitOn);
