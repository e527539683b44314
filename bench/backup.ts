// Backup and restore of trainee-service's data at scale: N trainees (default 100,000) imported through the
// import path (a CSV uploaded and run, as a school would), then `takeBackup` (what `npm run backup` runs) and
// `restoreBackup` onto a fresh embedded data directory (what `npm run restore` runs), timed, with sizes.
//   npm run bench:backup [-- --trainees N]
import { TraineeModule } from '@skills/trainee-service';
import { backupPlan, loadRuntimeConfig, ServiceRegistry, takeBackup } from '@skills/service-runtime';
import { bearer, startTestHost, TestHost, testIssuer } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { differencesFromManifest, restoreBackup } from '../tools/backup/restore-backup';
import { traineeRows, traineesFile } from './import/files';
import { runImport } from './import/run-import';
import { machineInfo } from './support/machine';
import { benchPostgres, BenchPostgres, createBenchDatabase, withClient } from './support/postgres';

async function main(): Promise<void> {
  const trainees = Number(parseArgs({ options: { trainees: { type: 'string', default: '100000' } } }).values.trainees);
  const log = (line: string) => console.log(line);
  const machine = machineInfo();
  log(`# Backup and restore of ${trainees} trainees`);
  log(`machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, load ${os.loadavg().map((n) => n.toFixed(1)).join('/')} at start`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'skills-bench-backup-'));
  let server: BenchPostgres | undefined;
  let host: TestHost | undefined;
  try {
    server = await benchPostgres();
    const database = await createBenchDatabase(server.url, 'backup');
    const issuer = await testIssuer();
    host = await startTestHost({ modules: [TraineeModule], transport: 'in-process', databaseUrl: database.url });
    const school = bearer(await issuer.token({ role: 'school_staff', organisationId: randomUUID() }));
    const count = (query: string) => withClient(database.url, async (client) => Number((await client.query<{ n: string }>(query)).rows[0].n));
    await runImport({ baseUrl: host.baseUrl, headers: school, kind: 'trainees', file: traineesFile(traineeRows(trainees)), rows: trainees, readModelRows: () => count('SELECT count(*) AS n FROM trainee.trainee_directory'), log });
    for (const service of host.app.get(ServiceRegistry).services.values()) await service.projections.caughtUp(600_000);
    const databaseBytes = await count(`SELECT sum(pg_total_relation_size(format('%I.%I', schemaname, tablename)))::bigint AS n FROM pg_tables WHERE schemaname = 'trainee'`);

    const directory = path.join(scratch, 'backup');
    let started = performance.now();
    const manifest = await takeBackup(directory, backupPlan(loadRuntimeConfig({ DATABASE_URL: database.url, TRANSPORT: 'in-process' })));
    const backupSeconds = (performance.now() - started) / 1000;
    const files = manifest.schemas.flatMap((schema) => schema.tables);
    const backupBytes = files.reduce((sum, table) => sum + table.bytes, 0);
    const events = manifest.schemas.reduce((sum, schema) => sum + (schema.events?.count ?? 0), 0);
    log(`backup: ${events} events, ${files.reduce((sum, table) => sum + table.rows, 0)} rows in ${files.length} files, ${(backupBytes / 1e6).toFixed(1)} MB (the schema on disk: ${(databaseBytes / 1e6).toFixed(0)} MB with indexes and read models), ${backupSeconds.toFixed(1)} s`);
    await host.close();
    host = undefined;

    started = performance.now();
    const figures = await restoreBackup({ directory, dataDir: path.join(scratch, 'restored'), env: { ...process.env, ALLOW_DEVELOPMENT_KEY: '1' }, log });
    const restoreSeconds = (performance.now() - started) / 1000;
    const differences = differencesFromManifest(manifest, figures);
    if (differences.length > 0) throw new Error(`restored figures differ: ${differences.join('; ')}`);
    log(`restore: ${restoreSeconds.toFixed(1)} s, every count as in the manifest`);
    log('');
    log('| trainees | events | backup size | backup | restore (load + rebuild) |');
    log('|---:|---:|---:|---:|---:|');
    log(`| ${trainees.toLocaleString('en')} | ${events.toLocaleString('en')} | ${(backupBytes / 1e6).toFixed(1)} MB | ${backupSeconds.toFixed(1)} s | ${restoreSeconds.toFixed(1)} s |`);
  } finally {
    await host?.close();
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
