import { closeSync, fsyncSync, openSync } from 'node:fs';

/** A directory's entries (a file made or renamed in it) flushed to the disk, as a file's bytes are by fsync. */
export function flushDirectory(path: string): void {
  const directory = openSync(path, 'r');
  try {
    fsyncSync(directory);
  } finally {
    closeSync(directory);
  }
}
