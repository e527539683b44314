import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * manifest.json, written last into a backup's directory: what the backup holds and how to check it. A
 * directory without one is not a backup (a copy that stopped half-way). `formatVersion` changes only when
 * a restore of this code could not read the files rightly; a restore refuses any other version.
 */
export const BACKUP_FORMAT = 'skills-ladder-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  /** package.json's version of the platform that took it. */
  platformVersion: string;
  takenAt: string;
  /**
   * PUBLIC_ORIGIN of the platform whose data it is: the origin its status lists and credentials name, which a
   * restore must rebuild the credentials under. Absent from backups taken before it was recorded, and from
   * `npm run backup` run without PUBLIC_ORIGIN (it cannot tell the running platform's).
   */
  publicOrigin?: string;
  /** The services the platform declared when it was taken, each of whose schema is here (absent from older backups: SERVICES_OF_OLDER_BACKUPS). */
  services?: string[];
  schemas: SchemaBackup[];
}

/**
 * The services of every platform version whose backups do not name theirs: all six were there from the first
 * backup on. A restore asks an older backup for these schemas, not for services added since, which it cannot hold.
 */
export const SERVICES_OF_OLDER_BACKUPS = ['identity', 'trainee', 'training', 'certification', 'placement', 'brand'];

export interface SchemaBackup {
  name: string;
  /** The schema's migrations applied when it was taken, in order: a restore migrates to exactly these, loads, then runs its newer ones. */
  migrations: string[];
  /** Read models not copied: a restore rebuilds them from the log (their projections' tables). */
  readModels: string[];
  /** The service's event log (absent for a schema without one). */
  events?: { count: number; lastGlobalPosition: string };
  tables: TableBackup[];
  sequences: SequenceBackup[];
}

export interface TableBackup {
  name: string;
  /** Relative to the backup's directory: PostgreSQL COPY text format, gzip-compressed. */
  file: string;
  columns: string[];
  rows: number;
  /** The file's size and SHA-256, as written. */
  bytes: number;
  sha256: string;
}

export interface SequenceBackup {
  name: string;
  /** null: never used. */
  lastValue: string | null;
}

/** The version in the package.json of the working directory (`npm start`, `npm run backup` run from the root). */
export function platformVersion(cwd = process.cwd()): string {
  try {
    return (JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
