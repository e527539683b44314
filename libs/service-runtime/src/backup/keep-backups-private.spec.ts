// keepBackupsPrivate on a real directory: a backup an earlier build left readable by everyone (0755/0644)
// becomes its owner's alone, what is private already is not counted, and a link is never followed.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keepBackupsPrivate } from './keep-backups-private';

describe('keepBackupsPrivate', () => {
  let root: string;
  const modeOf = (path: string) => statSync(path).mode & 0o777;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'backups-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('tightens an earlier build’s backup to the owner alone, counting what it tightened', () => {
    const old = join(root, '2026-12-01T06-00-00Z');
    mkdirSync(join(old, 'identity'), { recursive: true });
    writeFileSync(join(old, 'identity', 'signing_keys.tsv.gz'), 'secret');
    writeFileSync(join(old, 'manifest.json'), '{}');
    for (const path of [root, old, join(old, 'identity')]) chmodSync(path, 0o755);
    for (const path of [join(old, 'identity', 'signing_keys.tsv.gz'), join(old, 'manifest.json')]) chmodSync(path, 0o644);
    // Outside the backups, reached by a link: left alone.
    const outside = mkdtempSync(join(tmpdir(), 'outside-'));
    writeFileSync(join(outside, 'other'), 'x');
    chmodSync(join(outside, 'other'), 0o644);
    symlinkSync(outside, join(root, 'link'));

    expect(keepBackupsPrivate(root)).toEqual({ tightened: 5, failed: [] });
    expect([root, old, join(old, 'identity')].map(modeOf)).toEqual([0o700, 0o700, 0o700]);
    expect([join(old, 'identity', 'signing_keys.tsv.gz'), join(old, 'manifest.json')].map(modeOf)).toEqual([0o600, 0o600]);
    expect(modeOf(join(outside, 'other'))).toBe(0o644);
    // Once private, nothing more to do.
    expect(keepBackupsPrivate(root)).toEqual({ tightened: 0, failed: [] });
    rmSync(outside, { recursive: true, force: true });
  });

  it('does nothing where there is no directory yet', () => {
    expect(keepBackupsPrivate(join(root, 'not-yet'))).toEqual({ tightened: 0, failed: [] });
  });
});
