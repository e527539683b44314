import { systemClock } from '@skills/domain-kernel';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupStatus } from '../backup-status';
import { ErasureLedger, readErasureLedger } from './erasure-ledger';
import { sameFile } from './erasures-owed';

describe('the erasure ledger file', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'erasure-ledger-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('writes one line per entry, readable by the platform alone, in a directory of its own', () => {
    const path = join(scratch, 'new', 'erasures.jsonl');
    const ledger = new ErasureLedger(path, systemClock);
    expect(ledger.begun()).toBe(false);
    ledger.begin([]);
    expect(ledger.begun()).toBe(true);
    ledger.record([{ traineeId: 'a', kind: 'erased', on: '2026-12-05' }, { traineeId: 'b', kind: 'voided', on: '2026-12-06' }]);
    expect(readFileSync(path, 'utf8')).toBe('{"traineeId":"a","kind":"erased","on":"2026-12-05"}\n{"traineeId":"b","kind":"voided","on":"2026-12-06"}\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(scratch, 'new')).mode & 0o777).toBe(0o700);
  });

  it('ends a last line a power cut left unfinished before writing, so the entry written again stands on its own', () => {
    const path = join(scratch, 'torn.jsonl');
    writeFileSync(path, '{"traineeId":"a","kind":"erased","on":"2026-12-05"}\n{"traineeId":"b","ki');
    // The outbox delivers b's message again, as its delivery was never acknowledged.
    new ErasureLedger(path, systemClock).record([{ traineeId: 'b', kind: 'erased', on: '2026-12-05' }]);
    expect(readErasureLedger(path).map((entry) => entry.traineeId)).toEqual(['a', 'b']);
  });

  it('holds nothing up when it cannot be written: the failure is shown, not thrown', () => {
    const notADirectory = join(scratch, 'a-file');
    writeFileSync(notADirectory, '');
    expect(() => new ErasureLedger(join(notADirectory, 'erasures.jsonl'), systemClock).record([{ traineeId: 'c', kind: 'erased', on: '2026-12-05' }])).not.toThrow();
    expect(backupStatus.erasureLedgerFailure).toMatch(/ENOTDIR|EEXIST/);
    expect(backupStatus.erasureLedgerFailureAt).toBeInstanceOf(Date);
  });

  it('is behind after a failed write until a catch-up from the log begun after it has written what it lacks', async () => {
    const path = join(scratch, 'behind', 'erasures.jsonl');
    const ledger = new ErasureLedger(path, systemClock);
    const [a, b] = [{ traineeId: 'a', kind: 'erased', on: '2026-12-05' }, { traineeId: 'b', kind: 'voided', on: '2026-12-06' }] as const;
    ledger.begin([]);
    expect(ledger.behind).toBe(false);
    // A directory in the file's place: the write fails (as root, a mode would not stop it).
    rmSync(path);
    mkdirSync(path);
    expect(ledger.record([a])).toBe(false);
    expect(ledger.behind).toBe(true);
    expect(await ledger.catchUpWith(async () => [a])).toBe(false);
    rmSync(path, { recursive: true });
    // Another write fails while the log is read: that one is not made good by this catch-up.
    expect(
      await ledger.catchUpWith(async () => {
        mkdirSync(path);
        ledger.record([b]);
        rmSync(path, { recursive: true });
        return [a, b];
      }),
    ).toBe(true);
    expect(ledger.behind).toBe(true);
    expect(backupStatus.erasureLedgerFailure).toMatch(/EISDIR/);
    expect(await ledger.catchUpWith(async () => [a, b])).toBe(true);
    expect(ledger.behind).toBe(false);
    expect(backupStatus.erasureLedgerFailure).toBeUndefined();
    expect(readErasureLedger(path).map((entry) => entry.traineeId)).toEqual(['a', 'b']);
  });

  it('knows one ledger however its path is spelt: the restore and the start may name it through a link', () => {
    const path = join(scratch, 'real', 'erasures.jsonl');
    new ErasureLedger(path, systemClock).begin([]);
    symlinkSync(join(scratch, 'real'), join(scratch, 'linked'));
    expect(sameFile(path, join(scratch, 'linked', 'erasures.jsonl'))).toBe(true);
    expect(sameFile(path, join(scratch, 'elsewhere', 'erasures.jsonl'))).toBe(false);
    expect(sameFile(path, undefined)).toBe(false);
  });
});
