// Erasures outlive a restore: the all-in-one with BACKUP_DIR records each erasure and void in
// BACKUP_DIR/erasures.jsonl as its message is delivered; a backup taken before them, restored, brings those
// people back only until the platform starts on it, which erases and voids them again (the restore says how
// many first). A ledger not begun yet is begun with the erasures the log already holds; one whose write
// failed is given what it lacks from the log as soon as it can be written again.
import { businessDateOf } from '@skills/domain-kernel';
import { PLATFORM_MODULES } from '@skills/platform';
import { backupPlan, backupStatus, erasureLedgerIn, loadRuntimeConfig, readErasureLedger, takeBackup } from '@skills/service-runtime';
import { ErasureLedgerUpkeep } from '@skills/trainee-service';
import { bearer, columnOf, createTestDatabase, http, signInAs, importClient, startTestHost, testAdultIdentityNumber, testCreditCode, TestDatabase, TestHost, waitFor } from '@skills/testing';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { restoreBackup } from './restore-backup';

describe('the erasure ledger', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'skills-erasures-'));
  const backupDir = join(scratch, 'backups');
  const ledgerPath = erasureLedgerIn(backupDir);
  const backup = join(backupDir, 'before-the-erasures');
  const startOn = (databaseUrl: string) => startTestHost({ modules: PLATFORM_MODULES, transport: 'in-process', databaseUrl, settings: { BACKUP_DIR: backupDir } });
  let source: TestDatabase;
  let restoredDb: TestDatabase;
  let unreadDb: TestDatabase;
  let host: TestHost | undefined;

  beforeAll(async () => {
    source = await createTestDatabase();
    restoredDb = await createTestDatabase();
    unreadDb = await createTestDatabase();
  });

  afterAll(async () => {
    await host?.close();
    await source?.drop();
    await restoredDb?.drop();
    await unreadDb?.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('has the erasures and voids made after a backup made again when the platform starts on it restored', async () => {
    host = await startOn(source.url);
    const admin = await signInAs(host.baseUrl, { role: 'platform_admin' });
    const provider = await http(host.baseUrl, 'POST', '/api/v1/providers', { name: '擦除台账学校', creditCode: testCreditCode(Date.now() % 9_000_000), regionCode: '430200' }, bearer(admin.token));
    const staff = await signInAs(host.baseUrl, { role: 'school_staff', organisationId: provider.body.id, orgAdmin: true });
    const register = async (n: number) => {
      const answer = await http(host!.baseUrl, 'POST', '/api/v1/trainees', { name: `台账${n}`, idNumber: testAdultIdentityNumber((Date.now() % 1_000_000) * 10 + n), phone: '13800000001' }, bearer(staff.token));
      expect(answer.status).toBe(201);
      return answer.body.id as string;
    };
    const [before, erased, voided, kept] = [await register(1), await register(2), await register(3), await register(4)];
    const erase = async (id: string) => expect((await http(host!.baseUrl, 'DELETE', `/api/v1/trainees/${id}/personal-data`, undefined, bearer(admin.token))).status).toBe(204);
    await erase(before);
    // A trainees file checked before the backup and run after it: its person is registered, then erased.
    const imports = importClient(host.baseUrl, bearer(staff.token));
    const laterNumber = testAdultIdentityNumber((Date.now() % 1_000_000) * 10 + 5);
    const file = { bytes: Buffer.from(`姓名,身份证号,手机号\n导入五,${laterNumber},13800000005\n`), name: '名单.csv' };
    const job = (await imports.upload(file, { kind: 'trainees' })).body.id;
    expect(await imports.settled(job)).toMatchObject({ state: 'ready', total: 1, refused: 0 });
    await takeBackup(backup, backupPlan(loadRuntimeConfig({ DATABASE_URL: source.url, TRANSPORT: 'in-process' })));
    await erase(erased);
    expect((await http(host.baseUrl, 'POST', `/api/v1/trainees/${voided}/void`, { reason: '身份证号录错' }, bearer(staff.token))).status).toBe(200);
    // Registered by the file and erased after the backup: the restored data does not know them, there is
    // nothing to erase there, but the restored job holds their row, ready to register them again.
    expect((await imports.run(job)).status).toBe(202);
    expect(await imports.settled(job)).toMatchObject({ state: 'done', created: 1 });
    const later = (await http(host.baseUrl, 'GET', `/api/v1/trainees?q=${encodeURIComponent('导入五')}`, undefined, bearer(staff.token))).body.items[0].id as string;
    await erase(later);

    // Each one recorded once delivered, and nothing personal: ids, kinds and days.
    const today = businessDateOf(new Date());
    await waitFor(async () => (readErasureLedger(ledgerPath).length === 4 ? true : undefined), { timeoutMs: 10_000, description: 'the ledger to hear of the last erasure' });
    expect(readErasureLedger(ledgerPath)).toEqual([
      { traineeId: before, kind: 'erased', on: today },
      { traineeId: erased, kind: 'erased', on: today },
      { traineeId: voided, kind: 'voided', on: today },
      { traineeId: later, kind: 'erased', on: today, importRows: [{ jobId: job, row: 2 }] },
    ]);
    expect(statSync(ledgerPath).mode & 0o777).toBe(0o600);

    // A ledger that lacks what the log holds (a write that failed) is completed at the next start…
    const written = readFileSync(ledgerPath, 'utf8');
    await host.close();
    writeFileSync(ledgerPath, written.split('\n').filter((line) => !line.includes(voided)).join('\n'));
    host = await startOn(source.url);
    const ledgered = () => new Set(readErasureLedger(ledgerPath).map((entry) => `${entry.kind} ${entry.traineeId}`));
    const all = new Set([`erased ${before}`, `erased ${erased}`, `voided ${voided}`, `erased ${later}`]);
    expect(ledgered()).toEqual(all);
    // …and one not begun (deleted here; or BACKUP_DIR newly set) is begun from the log.
    await host.close();
    rmSync(ledgerPath);
    host = await startOn(source.url);
    expect(ledgered()).toEqual(all);
    await host.close();
    host = undefined;

    // The restore says what the ledger holds that the backup does not.
    const log: string[] = [];
    await restoreBackup({ directory: backup, databaseUrl: restoredDb.url, env: { ALLOW_DEVELOPMENT_KEY: '1' }, log: (line) => log.push(line) });
    // Owed: the erased person's and the voided one's, and the row of the job that would register the later one again.
    expect(log).toContainEqual(`erasure ledger ${ledgerPath}: 3 erasures, voids and import rows of people erased after this backup; they are made again when the platform starts with BACKUP_DIR=${backupDir}`);
    // As restored, the person erased after the backup is whole again (what the start must undo).
    expect(await eventsOf(restoredDb.url, erased)).toEqual(['TraineeRegistered']);

    // Owed in the restored data: a start without that ledger (no BACKUP_DIR here) serves nobody.
    const refusal = `this data was restored from a backup taken before erasures that the erasure ledger ${ledgerPath} names (3 to make again): start it with BACKUP_DIR=${backupDir}`;
    await expect(startTestHost({ modules: PLATFORM_MODULES, transport: 'in-process', databaseUrl: restoredDb.url })).rejects.toThrow(refusal);
    // …and so does one whose ledger is not there (not copied back).
    const ledgerLines = readFileSync(ledgerPath);
    rmSync(ledgerPath);
    await expect(startOn(restoredDb.url)).rejects.toThrow(refusal);
    writeFileSync(ledgerPath, ledgerLines, { mode: 0o600 });
    host = await startOn(restoredDb.url);
    expect(await columnOf(restoredDb.url, 'SELECT ledger AS value FROM platform.erasures_owed')).toEqual([]);
    const restoredAdmin = await signInAs(host.baseUrl, { role: 'platform_admin' });
    const read = (id: string) => http(host!.baseUrl, 'GET', `/api/v1/trainees/${id}`, undefined, bearer(restoredAdmin.token));
    expect((await read(erased)).body).toMatchObject({ personalDataErased: true, name: null, phone: null, idNumberMasked: null });
    expect((await read(voided)).status).toBe(404);
    expect((await read(before)).body).toMatchObject({ personalDataErased: true, name: null });
    expect((await read(kept)).body).toMatchObject({ personalDataErased: false, name: '台账4' });
    // The restored job's row of the person erased since is forgotten: running it registers nobody.
    const restoredStaff = await signInAs(host.baseUrl, { role: 'school_staff', organisationId: provider.body.id, orgAdmin: true });
    const restoredImports = importClient(host.baseUrl, bearer(restoredStaff.token));
    expect(await restoredImports.job(job)).toMatchObject({ state: 'ready', refused: 1 });
    expect((await restoredImports.run(job, '?skipRefused=true')).status).toBe(202);
    expect(await restoredImports.settled(job)).toMatchObject({ state: 'done', created: 0, refused: 1 });
    expect((await restoredImports.errors(job)).text).toContain('personal_data_erased');
    // Every service hears of it again: training's replica forgets the voided one and the erased one's masked name.
    const replica = () => columnOf(restoredDb.url, `SELECT trainee_id::text || ' ' || coalesce(name_masked, '-') AS value FROM training.known_trainees WHERE trainee_id = ANY('{${erased},${voided}}'::uuid[])`);
    await waitFor(async () => ((await replica()).length === 1 ? true : undefined), { timeoutMs: 10_000, description: "training's replica to hear of the void" });
    expect(await replica()).toEqual([`${erased} -`]);
    // Made again by the platform, once, and recorded as such.
    expect(await eventsOf(restoredDb.url, erased)).toEqual(['TraineeRegistered', 'PersonalDataErased by erasure-ledger']);
    expect(await eventsOf(restoredDb.url, voided)).toEqual(['TraineeRegistered', 'TraineeRegistrationVoided by erasure-ledger']);
    await host.close();
    host = await startOn(restoredDb.url);
    expect(await eventsOf(restoredDb.url, erased)).toEqual(['TraineeRegistered', 'PersonalDataErased by erasure-ledger']);
  }, 120_000);

  it('records a ledger the restore cannot read as owing an unknown number, so a start without it still serves nobody', async () => {
    await host?.close();
    host = undefined;
    // In the ledger's place, something no one reads as a file (as root, a mode would not stop the restore).
    const ledgerLines = readFileSync(ledgerPath);
    rmSync(ledgerPath);
    mkdirSync(ledgerPath);
    try {
      const log: string[] = [];
      await restoreBackup({ directory: backup, databaseUrl: unreadDb.url, env: { ALLOW_DEVELOPMENT_KEY: '1' }, log: (line) => log.push(line) });
      expect(log.filter((line) => line.includes('erasure ledger'))).toEqual([expect.stringMatching(/^WARNING: the erasure ledger .* could not be read \(EISDIR.*recorded as unknown/)]);
      expect(await columnOf(unreadDb.url, `SELECT ledger || ' ' || coalesce(owed::text, 'unknown') AS value FROM platform.erasures_owed`)).toEqual([`${ledgerPath} unknown`]);
      await expect(startTestHost({ modules: PLATFORM_MODULES, transport: 'in-process', databaseUrl: unreadDb.url })).rejects.toThrow(
        `the erasure ledger ${ledgerPath} names (the restore could not read it: how many is unknown): start it with BACKUP_DIR=${backupDir}`,
      );
    } finally {
      rmSync(ledgerPath, { recursive: true });
      writeFileSync(ledgerPath, ledgerLines, { mode: 0o600 });
    }
    // With the ledger back, the start makes what it owes and settles it.
    host = await startOn(unreadDb.url);
    expect(await columnOf(unreadDb.url, 'SELECT ledger AS value FROM platform.erasures_owed')).toEqual([]);
    expect(await columnOf(unreadDb.url, `SELECT count(*)::text AS value FROM trainee.events WHERE metadata->'actor'->>'component' = 'erasure-ledger'`)).toEqual(['2']);
  }, 120_000);

  it('writes an erasure whose write failed into the ledger once it can be written again, without waiting for a restart', async () => {
    await host?.close();
    host = undefined;
    const database = await createTestDatabase();
    const directory = join(scratch, 'behind');
    const path = erasureLedgerIn(directory);
    try {
      host = await startTestHost({ modules: PLATFORM_MODULES, transport: 'in-process', databaseUrl: database.url, settings: { BACKUP_DIR: directory } });
      const admin = await signInAs(host.baseUrl, { role: 'platform_admin' });
      const registered = async (n: number) => {
        const answer = await http(host!.baseUrl, 'POST', '/api/v1/trainees', { name: `台账补写${n}`, idNumber: testAdultIdentityNumber((Date.now() % 1_000_000) * 10 + n), phone: '13800000001' }, bearer(admin.token));
        expect(answer.status).toBe(201);
        return answer.body.id as string;
      };
      const erase = async (id: string) => expect((await http(host!.baseUrl, 'DELETE', `/api/v1/trainees/${id}/personal-data`, undefined, bearer(admin.token))).status).toBe(204);
      const ledgered = () => readErasureLedger(path).map((entry) => `${entry.kind} ${entry.traineeId}`);
      const [first, second] = [await registered(1), await registered(2)];
      await erase(first);
      await waitFor(async () => (ledgered().length === 1 ? true : undefined), { timeoutMs: 10_000, description: 'the first erasure in the ledger' });

      // The ledger cannot be written (a directory in its place: as root, a mode would not stop the write).
      renameSync(path, `${path}.kept`);
      mkdirSync(path);
      const failedBefore = backupStatus.erasureLedgerFailureAt;
      await erase(second);
      await waitFor(async () => (backupStatus.erasureLedgerFailureAt !== failedBefore ? true : undefined), { timeoutMs: 10_000, description: 'the second erasure’s write to fail' });
      expect(backupStatus.erasureLedgerFailure).toMatch(/EISDIR/);
      // Tried again while it still cannot be written: nothing is made good.
      const upkeep = host.app.get(ErasureLedgerUpkeep);
      await upkeep.catchUpIfBehind();
      expect(backupStatus.erasureLedgerFailure).toMatch(/EISDIR/);

      // Writable again: the next try writes the erasure it lacks, once, and no longer shows the failure.
      rmSync(path, { recursive: true });
      renameSync(`${path}.kept`, path);
      await upkeep.catchUpIfBehind();
      expect(ledgered()).toEqual([`erased ${first}`, `erased ${second}`]);
      expect(backupStatus).toMatchObject({ erasureLedgerFailureAt: undefined, erasureLedgerFailure: undefined });
      await upkeep.catchUpIfBehind();
      expect(ledgered()).toEqual([`erased ${first}`, `erased ${second}`]);
    } finally {
      await host?.close();
      host = undefined;
      await database.drop();
    }
  }, 120_000);
});

/** A trainee's events, in order, each with the component that made it when the platform did. */
const eventsOf = (url: string, traineeId: string) =>
  columnOf(url, `SELECT event_type || coalesce(' by ' || (metadata->'actor'->>'component'), '') AS value FROM trainee.events WHERE stream_id = 'trainee-${traineeId}' ORDER BY stream_version`);
