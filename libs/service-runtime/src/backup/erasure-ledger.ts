import { Logger } from '@nestjs/common';
import { Clock, isUuid } from '@skills/domain-kernel';
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { backupStatus } from '../backup-status';
import { flushDirectory } from './flush-directory';

/** The ledger's file, beside the backups in BACKUP_DIR: copied off-site with them, never pruned. */
const ERASURE_LEDGER_FILE = 'erasures.jsonl';

/** The ledger in a backup directory (BACKUP_DIR, or the parent of one backup), as an absolute path: the restore and the start compare them. */
export const erasureLedgerIn = (backupDirectory: string): string => join(resolve(backupDirectory), ERASURE_LEDGER_FILE);

/** Where an import job held a row of the person: the job and the row's number in its file. */
export interface ImportRowPlace {
  jobId: string;
  row: number;
}

/**
 * One erasure as the ledger keeps it: whose, how (personal data erased, or the registration voided), on
 * which day, and where import jobs held the person's rows (a restore brings back the cells of a row
 * not yet applied, which would register them again). No personal data.
 */
export interface ErasureEntry {
  traineeId: string;
  kind: 'erased' | 'voided';
  on: string;
  importRows?: ImportRowPlace[];
}

/**
 * Every erasure of the all-in-one, kept outside its database. A backup holds each trainee's data key as
 * it was when taken, so restoring one taken before an erasure would bring the person back; the ledger
 * says whom to erase again (the trainee module does so at start). One line each, flushed to the disk;
 * an entry twice is harmless. Without a path (no BACKUP_DIR) it records nothing: a distributed
 * deployment needs none, its trainee topic keeps every erasure. A ledger that cannot be written (its
 * disk full) holds nothing up: the failure is logged and shown in /health/ready, and what it lacks is
 * written from the log once it can be (the trainee module tries every minute while it is `behind`, and
 * at every start).
 */
export class ErasureLedger {
  private readonly logger = new Logger('erasure-ledger');
  /** Writes that failed, and how many of them a catch-up from the log has made good: counted, so one failing during a catch-up is not passed over. */
  private failures = 0;
  private failuresMadeGood = 0;

  constructor(
    readonly path: string | undefined,
    private readonly clock: Clock,
  ) {}

  record(entries: ErasureEntry[]): boolean {
    return entries.length === 0 || this.writing(() => this.append(entries));
  }

  /** Whether a write failed that no catch-up from the log has made good yet. */
  get behind(): boolean {
    return this.failures > this.failuresMadeGood;
  }

  /**
   * Brings the ledger up to the log (`readLog`: every erasure and void it holds): begun with them if it is
   * not there, otherwise given those it lacks. True when the ledger holds them all; a failed write or read
   * leaves it `behind`. The failures counted before the log was read are the ones it makes good.
   * `inLedger`: its entries, where the caller has just read them.
   */
  async catchUpWith(readLog: () => Promise<ErasureEntry[]>, inLedger?: ErasureEntry[]): Promise<boolean> {
    const failuresBefore = this.failures;
    const inLog = await readLog();
    if (!this.begun()) {
      if (!this.begin(inLog)) return false;
    } else {
      let held: ErasureEntry[];
      try {
        held = inLedger ?? this.read();
      } catch (error) {
        this.failed(error);
        return false;
      }
      const ledgered = new Set(held.map(ledgerKeyOf));
      if (!this.record(inLog.filter((entry) => !ledgered.has(ledgerKeyOf(entry))))) return false;
    }
    if (failuresBefore > this.failuresMadeGood) {
      this.failuresMadeGood = failuresBefore;
      // Shown until made good, as a failed prune is; one that failed meanwhile stays shown.
      if (!this.behind) Object.assign(backupStatus, { erasureLedgerFailureAt: undefined, erasureLedgerFailure: undefined });
      this.logger.log('the erasure ledger holds again every erasure and void of the log (the writes that had failed are made good)');
    }
    return true;
  }

  /** Whether the file exists: a ledger is begun once, with what the log already holds. */
  begun(): boolean {
    return this.path !== undefined && existsSync(this.path);
  }

  /** Makes the file, even with no entry, so the next start finds the ledger begun; its name is flushed to the disk too. */
  begin(entries: ErasureEntry[]): boolean {
    const path = this.path;
    if (!path) return true;
    return this.writing(() => {
      this.append(entries);
      flushDirectory(dirname(path));
    });
  }

  private writing(write: () => void): boolean {
    try {
      write();
      return true;
    } catch (error) {
      this.failed(error);
      return false;
    }
  }

  private failed(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.failures++;
    Object.assign(backupStatus, { erasureLedgerFailureAt: this.clock.now(), erasureLedgerFailure: reason });
    this.logger.error(`could not write the erasure ledger (what it lacks is written from the log once it can be): ${reason}`);
  }

  private append(entries: ErasureEntry[]): void {
    if (!this.path) return;
    // Readable by the platform's user alone, as the backups beside it.
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const file = openSync(this.path, 'a+', 0o600);
    try {
      // A last line a power cut left unfinished is ended first, so the entry written again now stands on a line of its own.
      const lines = `${endsUnfinished(file) ? '\n' : ''}${entries.map((entry) => `${JSON.stringify(lineOf(entry))}\n`).join('')}`;
      writeSync(file, lines);
      fsyncSync(file);
    } finally {
      closeSync(file);
    }
  }

  read(): ErasureEntry[] {
    return this.path ? readErasureLedger(this.path) : [];
  }
}

/** One erasure or void of one trainee: the ledger holds each once, whatever its day or rows. */
export const ledgerKeyOf = (entry: ErasureEntry): string => `${entry.kind} ${entry.traineeId}`;

const lineOf = ({ traineeId, kind, on, importRows }: ErasureEntry): ErasureEntry => ({ traineeId, kind, on, ...(importRows?.length ? { importRows } : {}) });

/** Whether the file's last line is unfinished: its last byte is no newline (an empty file has none). */
function endsUnfinished(file: number): boolean {
  const { size } = fstatSync(file);
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  readSync(file, last, 0, 1, size - 1);
  return last[0] !== 0x0a;
}

/** The entries of a ledger file (none when absent); a line a power cut left unfinished is passed over (its erasure is written again on a line of its own). */
export function readErasureLedger(path: string): ErasureEntry[] {
  if (!existsSync(path)) return [];
  const entries: ErasureEntry[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    try {
      const entry = JSON.parse(line) as Partial<ErasureEntry>;
      if (typeof entry.traineeId !== 'string' || (entry.kind !== 'erased' && entry.kind !== 'voided') || typeof entry.on !== 'string') continue;
      const importRows = Array.isArray(entry.importRows) ? entry.importRows.filter((place) => isUuid(place?.jobId) && Number.isInteger(place.row)) : [];
      entries.push(lineOf({ traineeId: entry.traineeId, kind: entry.kind, on: entry.on, importRows }));
    } catch {
      // an empty line, or the last one cut short
    }
  }
  return entries;
}
