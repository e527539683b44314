// How `npm run restore` ends when the restored counts differ from the manifest: the differences, and with
// them what the erasure ledger owes when that could not be recorded, whose BACKUP_DIR the start needs.
import { differingRestore, RestoredWithErasuresUnrecorded } from './restore-backup';

describe('a restore whose counts differ from the manifest', () => {
  const differences = ['trainee.events: 9 rows, the manifest says 10'];

  it('says the differences', () => {
    expect(differingRestore(differences).message).toBe('the restored data differs from the manifest:\n  trainee.events: 9 rows, the manifest says 10');
  });

  it('says too that the erasures owed were not recorded, naming the BACKUP_DIR to start with', () => {
    const unrecorded = new RestoredWithErasuresUnrecorded('the backup is restored, but what the erasure ledger beside it owes could not be recorded (…): start the platform with BACKUP_DIR=/srv/backups so its erasures are made again', []);
    expect(differingRestore(differences, unrecorded).message.split('\n')).toEqual([
      'the restored data differs from the manifest:',
      '  trainee.events: 9 rows, the manifest says 10',
      unrecorded.message,
    ]);
  });
});
