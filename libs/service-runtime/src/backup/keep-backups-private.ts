import { chmodSync, existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** What a backup's directories and files are: readable by the platform's own user alone. */
export const PRIVATE_DIRECTORY = 0o700;
export const PRIVATE_FILE = 0o600;

/** How many entries were opened wider and are now private, and those that could not be made so (an immutable file, another owner's). */
export interface PrivateBackups {
  tightened: number;
  failed: { path: string; code: string }[];
}

/**
 * Makes `directory` and everything under it readable by its owner alone. Backups taken by builds before the private modes were readable by every local
 * user, and they hold identity's signing keys and second-factor secrets, which an upgrade keeps using:
 * BACKUP_DIR is tightened at each start. Symbolic links are left as they are, never followed.
 */
export function keepBackupsPrivate(directory: string): PrivateBackups {
  const outcome: PrivateBackups = { tightened: 0, failed: [] };
  if (!existsSync(directory)) return outcome;
  // Whatever cannot be read or changed (a disk's root-owned lost+found, an entry gone meanwhile) is said, never stops the start.
  const visit = (path: string) => {
    try {
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) return;
      if ((stat.mode & 0o077) !== 0) {
        chmodSync(path, stat.isDirectory() ? PRIVATE_DIRECTORY : PRIVATE_FILE);
        outcome.tightened += 1;
      }
      if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    } catch (error) {
      outcome.failed.push({ path, code: (error as NodeJS.ErrnoException).code ?? String(error) });
    }
  };
  visit(directory);
  return outcome;
}
