import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The ledger's file, beside the backups in BACKUP_DIR: copied off-site with them, never pruned. */
const ERASURE_LEDGER_FILE = 'erasures.jsonl';

/** The ledger in a backup directory (BACKUP_DIR, or the parent of one backup). */
export const erasureLedgerIn = (backupDirectory: string): string => join(backupDirectory, ERASURE_LEDGER_FILE);

/** One erasure as the ledger keeps it: whose, how (personal data erased, or the registration voided) and on which day. No personal data. */
export interface ErasureEntry {
  traineeId: string;
  kind: 'erased' | 'voided';
  on: string;
}

/**
 * Every erasure of the all-in-one, kept outside its database. A backup holds each trainee's data key as
 * it was when taken, so restoring one taken before an erasure would bring the person back; the ledger
 * says whom to erase again (the trainee module does so at start). One line each, flushed to the disk;
 * an entry twice is harmless. Without a path (no BACKUP_DIR, or a distributed deployment, whose trainee
 * topic keeps every erasure) it records nothing.
 */
export class ErasureLedger {
  constructor(readonly path: string | undefined) {}

  record(entries: ErasureEntry[]): void {
    if (entries.length > 0) this.append(entries);
  }

  /** Whether the file exists: a ledger is begun once, with what the log already holds. */
  begun(): boolean {
    return this.path !== undefined && existsSync(this.path);
  }

  /** Makes the file, even with no entry, so the next start finds the ledger begun. */
  begin(entries: ErasureEntry[]): void {
    this.append(entries);
  }

  private append(entries: ErasureEntry[]): void {
    if (!this.path) return;
    // Readable by the platform's user alone, as the backups beside it.
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const file = openSync(this.path, 'a', 0o600);
    try {
      if (entries.length > 0) writeSync(file, entries.map((entry) => `${JSON.stringify({ traineeId: entry.traineeId, kind: entry.kind, on: entry.on })}\n`).join(''));
      fsyncSync(file);
    } finally {
      closeSync(file);
    }
  }

  read(): ErasureEntry[] {
    return this.path ? readErasureLedger(this.path) : [];
  }
}

/** The entries of a ledger file (none when absent); a line a power cut left cut short is passed over. */
export function readErasureLedger(path: string): ErasureEntry[] {
  if (!existsSync(path)) return [];
  const entries: ErasureEntry[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    try {
      const entry = JSON.parse(line) as Partial<ErasureEntry>;
      if (typeof entry.traineeId === 'string' && (entry.kind === 'erased' || entry.kind === 'voided') && typeof entry.on === 'string') entries.push({ traineeId: entry.traineeId, kind: entry.kind, on: entry.on });
    } catch {
      // an empty line, or the last one cut short
    }
  }
  return entries;
}
