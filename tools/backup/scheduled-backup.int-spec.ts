// The all-in-one's scheduled backup (BACKUP_DIR, BACKUP_EVERY, BACKUP_KEEP): a good backup appears under its
// time, older ones beyond the last N go, and /health/ready and /metrics tell when the last good one (and the
// last failure) was; a failure, even one whose half copy cannot be removed, never stops the next.
import { PLATFORM_MODULES } from '@skills/platform';
import { backupPlan, backupScheduleFrom, backupStatus, ConfigurationError, latestGoodBackup, loadRuntimeConfig, MANIFEST_FILE, scheduleBackups } from '@skills/service-runtime';
import { adminToken, bearer, createTestDatabase, http, startTestHost, TestDatabase, TestHost, waitFor } from '@skills/testing';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A plan whose one database nobody answers at: every backup of it fails. */
const unreachable = { schemas: [{ name: 'trainee', databaseUrl: 'postgres://nobody:nothing@127.0.0.1:1/none', setting: 'DATABASE_URL', readModels: [] }] };

describe('scheduled backups', () => {
  let database: TestDatabase;
  let host: TestHost;
  const directory = mkdtempSync(join(tmpdir(), 'skills-scheduled-'));
  const stops: Array<() => void> = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: PLATFORM_MODULES, transport: 'in-process', databaseUrl: database.url });
  });

  afterAll(async () => {
    stops.forEach((stop) => stop());
    await host?.close();
    await database?.drop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('reads BACKUP_DIR, BACKUP_EVERY and BACKUP_KEEP, one line per bad value', () => {
    expect(backupScheduleFrom({})).toBeUndefined();
    expect(backupScheduleFrom({ BACKUP_DIR: '/backups' })).toEqual({ directory: '/backups', everyMs: 6 * 3_600_000, keep: 7 });
    expect(backupScheduleFrom({ BACKUP_DIR: '/backups', BACKUP_EVERY: '30m', BACKUP_KEEP: '3' })).toEqual({ directory: '/backups', everyMs: 1_800_000, keep: 3 });
    expect(() => backupScheduleFrom({ BACKUP_DIR: '/backups', BACKUP_EVERY: '6 hours', BACKUP_KEEP: '0' })).toThrow(ConfigurationError);
    expect(() => backupScheduleFrom({ BACKUP_DIR: '/backups', BACKUP_EVERY: '6 hours' })).toThrow(/BACKUP_EVERY must be a number of minutes, hours or days, e.g. 30m, 6h, 1d \(got "6 hours"\)/);
  });

  it('takes a backup at once when none is due, keeps the last N, and shows it in /health/ready and /metrics', async () => {
    // Three older good backups and a copy a crash left half-way.
    for (const stamp of ['2024-01-01T00-00-00Z', '2024-01-02T00-00-00Z', '2024-01-03T00-00-00Z']) {
      mkdirSync(join(directory, stamp));
      writeFileSync(join(directory, stamp, MANIFEST_FILE), JSON.stringify({ takenAt: `${stamp.slice(0, 10)}T00:00:00.000Z` }));
    }
    mkdirSync(join(directory, '2024-01-04T00-00-00Z.partial'));
    const config = loadRuntimeConfig({ DATABASE_URL: database.url, TRANSPORT: 'in-process' });
    stops.push(scheduleBackups({ directory, everyMs: 3_600_000, keep: 2 }, () => backupPlan(config), () => undefined));
    expect(backupStatus.lastSuccessAt?.toISOString()).toBe('2024-01-03T00:00:00.000Z');

    await waitFor(async () => (backupStatus.lastSuccessAt && backupStatus.lastSuccessAt.getFullYear() > 2024 ? true : undefined), { timeoutMs: 30_000, description: 'the scheduled backup' });
    const kept = readdirSync(directory).sort();
    expect(kept).toHaveLength(2);
    expect(kept[0]).toBe('2024-01-03T00-00-00Z');
    expect(existsSync(join(directory, kept[1], MANIFEST_FILE))).toBe(true);
    expect(existsSync(join(directory, kept[1], 'trainee', 'events.tsv.gz'))).toBe(true);
    // The platform's user alone reads it: it holds what the database holds.
    expect(statSync(join(directory, kept[1])).mode & 0o077).toBe(0);
    expect(statSync(join(directory, kept[1], 'trainee', 'events.tsv.gz')).mode & 0o077).toBe(0);
    expect(statSync(join(directory, kept[1], MANIFEST_FILE)).mode & 0o077).toBe(0);
    // Identity's failed sign-ins (unkeyed hashes of usernames, often phones) and known addresses stay out.
    const manifest = JSON.parse(readFileSync(join(directory, kept[1], MANIFEST_FILE), 'utf8')) as { schemas: Array<{ name: string; tables: Array<{ name: string }> }> };
    const identityTables = manifest.schemas.find((schema) => schema.name === 'identity')?.tables.map((table) => table.name);
    expect(identityTables).toEqual(expect.arrayContaining(['events', 'api_keys']));
    expect(identityTables).not.toContain('sign_in_failures');
    expect(identityTables).not.toContain('sign_in_addresses');
    // Nor certification's wrong holder names per number and client address (addresses, kept for the day).
    const certificationTables = manifest.schemas.find((schema) => schema.name === 'certification')?.tables.map((table) => table.name);
    expect(certificationTables).toEqual(expect.arrayContaining(['events', 'verification_wrong_names']));
    expect(certificationTables).not.toContain('verification_wrong_names_by_address');

    const health = await http(host.baseUrl, 'GET', '/health/ready');
    expect(health.body.backup).toMatchObject({ directory, everySeconds: 3600, lastSuccessAt: backupStatus.lastSuccessAt?.toISOString(), lastSuccessPath: join(directory, kept[1]), lastFailureAt: null });
    const metrics = await http(host.baseUrl, 'GET', '/metrics', undefined, bearer(await adminToken(host.baseUrl)));
    expect(metrics.body).toContain(`backup_last_success_timestamp_seconds ${(backupStatus.lastSuccessAt as Date).getTime() / 1000}`);
  });

  it('waits a period longer than a timer holds (BACKUP_EVERY=30d) instead of taking backups one after another', async () => {
    const monthly = mkdtempSync(join(tmpdir(), 'skills-scheduled-monthly-'));
    try {
      const stamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
      // Private, as a backup of this build is: nothing for the start to tighten (and say).
      mkdirSync(join(monthly, stamp), { mode: 0o700 });
      writeFileSync(join(monthly, stamp, MANIFEST_FILE), JSON.stringify({ takenAt: new Date().toISOString() }), { mode: 0o600 });
      const config = loadRuntimeConfig({ DATABASE_URL: database.url, TRANSPORT: 'in-process' });
      const taken: string[] = [];
      stops.push(scheduleBackups({ directory: monthly, everyMs: 30 * 86_400_000, keep: 2 }, () => backupPlan(config), (line) => taken.push(line)));
      // The next one is due in 30 days: nothing in the next seconds (a timer of more than 2^31 - 1 ms fires at once).
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(taken).toEqual([]);
      expect(readdirSync(monthly)).toEqual([stamp]);
    } finally {
      rmSync(monthly, { recursive: true, force: true });
    }
  });

  it('passes over a backup whose manifest was cut short (a power cut): the one before it is the last good one', () => {
    const cut = mkdtempSync(join(tmpdir(), 'skills-scheduled-cut-'));
    try {
      mkdirSync(join(cut, '2024-02-01T00-00-00Z'));
      writeFileSync(join(cut, '2024-02-01T00-00-00Z', MANIFEST_FILE), JSON.stringify({ takenAt: '2024-02-01T00:00:00.000Z' }));
      mkdirSync(join(cut, '2024-02-02T00-00-00Z'));
      writeFileSync(join(cut, '2024-02-02T00-00-00Z', MANIFEST_FILE), '{"takenAt": "2024-02-0');
      expect(latestGoodBackup(cut)).toEqual({ path: join(cut, '2024-02-01T00-00-00Z'), manifest: { takenAt: '2024-02-01T00:00:00.000Z' } });
    } finally {
      rmSync(cut, { recursive: true, force: true });
    }
  });

  it('records a failure, its time and reason, and leaves no half copy', async () => {
    const failing = mkdtempSync(join(tmpdir(), 'skills-scheduled-failing-'));
    try {
      // backupStatus is the process's: an earlier failure (another test's) must not pass for this one.
      const failedBefore = backupStatus.lastFailureAt?.getTime();
      stops.push(scheduleBackups({ directory: failing, everyMs: 3_600_000, keep: 2 }, () => unreachable, () => undefined));
      await waitFor(async () => (backupStatus.lastFailureAt && backupStatus.lastFailureAt.getTime() !== failedBefore ? true : undefined), {
        timeoutMs: 30_000,
        description: 'the failed backup',
      });
      expect(backupStatus.lastFailure).toMatch(/ECONNREFUSED|connect/);
      expect(readdirSync(failing)).toEqual([]);
      const metrics = await http(host.baseUrl, 'GET', '/metrics', undefined, bearer(await adminToken(host.baseUrl)));
      expect(metrics.body).toMatch(/backup_last_failure_timestamp_seconds \d+/);
    } finally {
      rmSync(failing, { recursive: true, force: true });
    }
  });

  it('says so when a failed backup’s half copy cannot be removed, and still takes the next one', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'skills-scheduled-unremovable-'));
    const directory = join(scratch, 'backups');
    mkdirSync(directory);
    const lines: string[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      stops.push(scheduleBackups({ directory, everyMs: 1000, keep: 2 }, () => unreachable, (line) => lines.push(line)));
      // Where BACKUP_DIR was, a file (as root, no mode stops a removal): the half copy's removal fails too (ENOTDIR).
      rmSync(directory, { recursive: true });
      writeFileSync(directory, '');
      await waitFor(async () => (lines.filter((line) => line.startsWith('backup failed')).length >= 2 ? true : undefined), { timeoutMs: 30_000, description: 'the backup after a failed one' });
      expect(lines).toContainEqual(expect.stringMatching(/^backup: could not remove the half copy .*\.partial \(ENOTDIR\)$/));
      expect(unhandled).toEqual([]);
    } finally {
      stops.pop()?.();
      process.off('unhandledRejection', onUnhandled);
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('shows in /health/ready and /metrics when older backups could not be pruned, apart from the backup, which succeeded, until a prune succeeds', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'skills-scheduled-unprunable-'));
    const old = join(scratch, '2024-03-01T00-00-00Z');
    mkdirSync(old);
    writeFileSync(join(old, MANIFEST_FILE), JSON.stringify({ takenAt: '2024-03-01T00:00:00.000Z' }));
    // A file marked immutable: not even root deletes it, so the older backup outlives BACKUP_KEEP=1.
    writeFileSync(join(old, 'stuck'), '');
    execFileSync('chattr', ['+i', join(old, 'stuck')]);
    // Where the stuck file is now: a backup being pruned is renamed `<time>.pruning` first.
    const stuck = () => [join(old, 'stuck'), join(`${old}.pruning`, 'stuck')].find((path) => existsSync(path));
    const lines: string[] = [];
    const failureBefore = backupStatus.lastFailureAt;
    const config = loadRuntimeConfig({ DATABASE_URL: database.url, TRANSPORT: 'in-process' });
    try {
      // One backup (the next is an hour away), whose prune fails.
      stops.push(scheduleBackups({ directory: scratch, everyMs: 3_600_000, keep: 1 }, () => backupPlan(config), (line) => lines.push(line)));
      await waitFor(async () => backupStatus.lastPruneFailureAt, { timeoutMs: 30_000, description: 'the prune after the backup' });
      expect(backupStatus.lastSuccessAt?.getFullYear()).toBeGreaterThan(2024);
      expect(backupStatus.lastFailureAt).toBe(failureBefore);
      // The code as Node's removal reports it (EPERM, or ENOTDIR from its retry of the directory).
      expect(lines).toContainEqual(expect.stringMatching(/^backup: older backups not pruned this time \((EPERM|ENOTDIR)\)$/));
      // Nor could the start make it private (it was left readable, 0644): said, and the start went on.
      expect(lines).toContainEqual(expect.stringMatching(/^backups: 1 files or directories in .* could not be read or made private \(EPERM\), e\.g\. .*stuck$/));
      // What is left is never taken for a backup.
      expect(readdirSync(scratch).filter((name) => name.startsWith('2024'))).toEqual(['2024-03-01T00-00-00Z.pruning']);
      const health = await http(host.baseUrl, 'GET', '/health/ready');
      expect(health.body.backup).toMatchObject({ lastPruneFailureAt: backupStatus.lastPruneFailureAt?.toISOString(), lastPruneFailure: expect.stringMatching(/^(EPERM|ENOTDIR)$/) });
      const metrics = await http(host.baseUrl, 'GET', '/metrics', undefined, bearer(await adminToken(host.baseUrl)));
      expect(metrics.body).toContain(`backup_last_prune_failure_timestamp_seconds ${(backupStatus.lastPruneFailureAt as Date).getTime() / 1000}`);
      stops.pop()?.();

      // Removable again, and the schedule started anew with a period of a second: the next backup's prune
      // succeeds, takes the remnant with it, and the failure is no longer shown.
      execFileSync('chattr', ['-i', stuck() as string]);
      stops.push(scheduleBackups({ directory: scratch, everyMs: 1000, keep: 1 }, () => backupPlan(config), (line) => lines.push(line)));
      await waitFor(async () => (backupStatus.lastPruneFailureAt === undefined ? true : undefined), { timeoutMs: 30_000, description: 'a prune that succeeds' });
      expect(readdirSync(scratch).filter((name) => name.startsWith('2024'))).toEqual([]);
      expect((await http(host.baseUrl, 'GET', '/health/ready')).body.backup).toMatchObject({ lastPruneFailureAt: null, lastPruneFailure: null });
    } finally {
      stops.pop()?.();
      // Whatever failed above is the test's failure, not this (already removable, or never marked).
      const left = stuck();
      if (left) execFileSync('chattr', ['-i', left]);
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('leaves a time’s directory with no manifest yet that is newer than the newest good backup (a backup being written there)', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'skills-scheduled-writing-'));
    try {
      // A remnant of a deletion cut short before, older than any good backup, and one being written now (no manifest yet).
      mkdirSync(join(scratch, '2024-01-01T00-00-00Z'));
      const writing = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
      mkdirSync(join(scratch, writing));
      const config = loadRuntimeConfig({ DATABASE_URL: database.url, TRANSPORT: 'in-process' });
      const successBefore = backupStatus.lastSuccessAt;
      stops.push(scheduleBackups({ directory: scratch, everyMs: 3_600_000, keep: 2 }, () => backupPlan(config), () => undefined));
      await waitFor(async () => (backupStatus.lastSuccessAt !== successBefore ? true : undefined), { timeoutMs: 30_000, description: 'the backup' });
      const names = readdirSync(scratch);
      expect(names).not.toContain('2024-01-01T00-00-00Z');
      expect(names).toContain(writing);
    } finally {
      stops.pop()?.();
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
