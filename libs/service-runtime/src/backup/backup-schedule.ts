import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { backupStatus } from '../backup-status';
import { ConfigurationError } from '../runtime-config';
import { flushDirectory } from './flush-directory';
import { keepBackupsPrivate } from './keep-backups-private';
import { BackupManifest, MANIFEST_FILE } from './manifest';
import { BackupPlan, takeBackup } from './take-backup';

export interface BackupSchedule {
  directory: string;
  everyMs: number;
  /** How many of the latest good backups stay; older ones are deleted after each good one. */
  keep: number;
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** BACKUP_DIR, BACKUP_EVERY (`30m`, `6h`, `1d`; at least 1 minute) and BACKUP_KEEP (default 7); undefined without BACKUP_DIR. */
export function backupScheduleFrom(env: NodeJS.ProcessEnv): BackupSchedule | undefined {
  if (!env.BACKUP_DIR) return undefined;
  const problems: string[] = [];
  const every = /^(\d+)([mhd])$/.exec(env.BACKUP_EVERY ?? '6h');
  const everyMs = every ? Number(every[1]) * UNITS[every[2]] : 0;
  if (!every || everyMs < UNITS.m) problems.push(`BACKUP_EVERY must be a number of minutes, hours or days, e.g. 30m, 6h, 1d (got "${env.BACKUP_EVERY}")`);
  const keep = Number(env.BACKUP_KEEP ?? 7);
  if (!Number.isInteger(keep) || keep < 1 || keep > 1000) problems.push(`BACKUP_KEEP must be an integer from 1 to 1000 (got "${env.BACKUP_KEEP}")`);
  if (problems.length > 0) throw new ConfigurationError(problems);
  return { directory: env.BACKUP_DIR, everyMs, keep };
}

/** A good backup's directory name: its time, sortable (`2025-03-01T06-00-00Z`). A copy under way ends in `.partial`. */
const STAMP = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$/;
const stampOf = (time: Date) => time.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');

/**
 * Takes a backup every `everyMs` into its own directory under `directory`, keeps the last `keep`, and
 * records the outcome for /health/ready and /metrics. A backup is written under `<stamp>.partial` and
 * renamed when its manifest is written, so a crash never leaves something that looks like a good one.
 * The first comes one period after the last good one found there (at once when none or overdue), so a
 * restart neither skips nor doubles one. Answers a stop function.
 */
export function scheduleBackups(schedule: BackupSchedule, plan: () => BackupPlan, log: (line: string) => void): () => void {
  Object.assign(backupStatus, { directory: schedule.directory, everyMs: schedule.everyMs });
  const { tightened, failed } = keepBackupsPrivate(schedule.directory);
  if (tightened > 0) log(`backups: ${tightened} files and directories in ${schedule.directory} were readable by other users (as builds of before 5 December 2026 wrote backups); now by this user alone`);
  if (failed.length > 0) log(`backups: ${failed.length} files or directories in ${schedule.directory} could not be read or made private (${[...new Set(failed.map((each) => each.code))].join(', ')}), e.g. ${failed[0].path}`);
  const last = latestGoodBackup(schedule.directory);
  if (last) Object.assign(backupStatus, { lastSuccessAt: new Date(last.manifest.takenAt), lastSuccessPath: last.path });
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const next = (delayMs: number) => {
    if (stopped) return;
    const dueAt = Date.now() + Math.max(delayMs, 1000);
    const wait = () => {
      // A timer holds at most 2^31 - 1 ms (24.8 days; Node fires a longer one at once): a longer period waits in steps.
      timer = setTimeout(() => (Date.now() >= dueAt ? void run() : wait()), Math.min(dueAt - Date.now(), LONGEST_TIMER_MS));
      // A pending backup never keeps the process alive on its way out.
      timer.unref();
    };
    wait();
  };
  const run = async () => {
    const takenAt = new Date();
    const partial = join(schedule.directory, `${stampOf(takenAt)}.partial`);
    try {
      const manifest = await takeBackup(partial, plan(), takenAt);
      const done = partial.replace(/\.partial$/, '');
      renameSync(partial, done);
      // The name too, before an older backup is pruned for this one.
      flushDirectory(schedule.directory);
      Object.assign(backupStatus, { lastSuccessAt: takenAt, lastSuccessPath: done });
      log(`backup: ${done} (${manifest.schemas.reduce((sum, schema) => sum + (schema.events?.count ?? 0), 0)} events)`);
      pruneQuietly(schedule, log);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      Object.assign(backupStatus, { lastFailureAt: new Date(), lastFailure: reason });
      log(`backup failed: ${reason}`);
      removeHalfCopy(partial, log);
    } finally {
      // Whatever went wrong, the next one is due: run() is not awaited, and a rejection would end the process.
      next(schedule.everyMs);
    }
  };
  next(last ? new Date(last.manifest.takenAt).getTime() + schedule.everyMs - Date.now() : 0);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/**
 * Older backups pruned after a good one. A prune that fails is not the backup's failure: it is said, and
 * recorded for /health/ready and /metrics apart until a prune succeeds, since a backup kept too long still
 * opens erased people.
 */
function pruneQuietly(schedule: BackupSchedule, log: (line: string) => void): void {
  try {
    prune(schedule);
    // Pruned again: what failed before is mended (the alert on it ends).
    Object.assign(backupStatus, { lastPruneFailureAt: undefined, lastPruneFailure: undefined });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    Object.assign(backupStatus, { lastPruneFailureAt: new Date(), lastPruneFailure: reason });
    log(`backup: older backups not pruned this time (${reason})`);
  }
}

/**
 * A failed backup's copy removed. Removing it may fail too (a read-only or vanished disk): said, and left to
 * the prune after the next good backup. The path is a time and the reason an error code: nothing personal.
 */
function removeHalfCopy(partial: string, log: (line: string) => void): void {
  try {
    rmSync(partial, { recursive: true, force: true });
  } catch (error) {
    log(`backup: could not remove the half copy ${partial} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/**
 * The newest directory under `directory` that holds a manifest that reads (one a power cut left cut short is
 * passed over: the platform still starts, and the next backup is due from the one before it).
 */
export function latestGoodBackup(directory: string): { path: string; manifest: BackupManifest } | undefined {
  for (const path of goodBackups(directory).reverse()) {
    try {
      return { path, manifest: JSON.parse(readFileSync(join(path, MANIFEST_FILE), 'utf8')) as BackupManifest };
    } catch {
      // unreadable: the one before it
    }
  }
  return undefined;
}

function goodBackups(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((name) => STAMP.test(name) && existsSync(join(directory, name, MANIFEST_FILE)))
    .sort()
    .map((name) => join(directory, name));
}

/**
 * Deletes good backups beyond the last `keep`, copies left half-way by an earlier process, and what a
 * deletion cut short left. A backup to delete is first renamed `<time>.pruning`, so that one cut short (a
 * file that would not go) is never taken for a backup, and goes at a later prune. A time's directory with
 * no manifest older than the newest good backup is such a remnant from before (or a copy that never got
 * its manifest) and goes too; a newer one may be a backup still being written (`npm run backup -- DIR/<time>`
 * writes its manifest last) and is left.
 */
function prune(schedule: BackupSchedule): void {
  const good = goodBackups(schedule.directory);
  const kept = new Set(good.slice(-schedule.keep));
  const newest = good.at(-1);
  const remove = (path: string) => {
    const pruning = `${path}.pruning`;
    renameSync(path, pruning);
    rmSync(pruning, { recursive: true, force: true });
  };
  for (const name of readdirSync(schedule.directory)) {
    const path = join(schedule.directory, name);
    if (name.endsWith('.partial') || name.endsWith('.pruning')) rmSync(path, { recursive: true, force: true });
    else if (STAMP.test(name) && !kept.has(path) && (good.includes(path) || (newest !== undefined && path < newest))) remove(path);
  }
}
