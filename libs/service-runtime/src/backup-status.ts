/**
 * What the scheduled backup of the all-in-one (BACKUP_DIR, BACKUP_EVERY) last did, for /health/ready and
 * /metrics. Process-wide like the metrics registry: the scheduler lives in the host's main, not in a
 * module, and one process runs at most one schedule.
 */
export interface BackupStatus {
  /** Where the backups go, and how often; unset when no backup is scheduled. */
  directory?: string;
  everyMs?: number;
  lastSuccessAt?: Date;
  /** The directory of the last good backup. */
  lastSuccessPath?: string;
  lastFailureAt?: Date;
  /** Why it failed (a path or a database error, never data). */
  lastFailure?: string;
  /**
   * When older backups could not be deleted after a good one, and why (an error code). Not the backup's failure,
   * but one to act on: a backup kept past BACKUP_KEEP still opens the people erased since it was taken.
   */
  lastPruneFailureAt?: Date;
  lastPruneFailure?: string;
  /** When an erasure could not be written into the erasure ledger beside the backups, and why (cleared once what it lacks is written from the log). */
  erasureLedgerFailureAt?: Date;
  erasureLedgerFailure?: string;
}

export const backupStatus: BackupStatus = {};

/** What /health/ready shows of it: nothing when no backup is scheduled. */
export function backupHealth(): Record<string, unknown> | undefined {
  if (!backupStatus.directory) return undefined;
  return {
    directory: backupStatus.directory,
    everySeconds: Math.round((backupStatus.everyMs ?? 0) / 1000),
    lastSuccessAt: backupStatus.lastSuccessAt?.toISOString() ?? null,
    lastSuccessPath: backupStatus.lastSuccessPath ?? null,
    lastFailureAt: backupStatus.lastFailureAt?.toISOString() ?? null,
    lastFailure: backupStatus.lastFailure ?? null,
    lastPruneFailureAt: backupStatus.lastPruneFailureAt?.toISOString() ?? null,
    lastPruneFailure: backupStatus.lastPruneFailure ?? null,
    erasureLedgerFailureAt: backupStatus.erasureLedgerFailureAt?.toISOString() ?? null,
    erasureLedgerFailure: backupStatus.erasureLedgerFailure ?? null,
  };
}
