import { systemClock } from '@skills/domain-kernel';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('knows one ledger however its path is spelt: the restore and the start may name it through a link', () => {
    const path = join(scratch, 'real', 'erasures.jsonl');
    new ErasureLedger(path, systemClock).begin([]);
    symlinkSync(join(scratch, 'real'), join(scratch, 'linked'));
    expect(sameFile(path, join(scratch, 'linked', 'erasures.jsonl'))).toBe(true);
    expect(sameFile(path, join(scratch, 'elsewhere', 'erasures.jsonl'))).toBe(false);
    expect(sameFile(path, undefined)).toBe(false);
  });
});
