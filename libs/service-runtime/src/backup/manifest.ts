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
  schemas: SchemaBackup[];
}

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
