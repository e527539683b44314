import { sqlMigration, Sql } from '@skills/postgres';
import { statSync } from 'node:fs';

/**
 * Erasures a restore found owed: the erasure ledger beside the backup named people erased after it.
 * Kept in the restored data itself, so the platform's first start cannot pass them by: it refuses to
 * serve until started with that ledger (its BACKUP_DIR), whose erasures it then makes again and settles
 * this. In the all-in-one's own schema (`platform`).
 */
export const ErasuresOwedSchema = sqlMigration(
  'ErasuresOwedSchema',
  1700000000102,
  `CREATE TABLE erasures_owed (
     ledger text PRIMARY KEY,
     owed int NOT NULL,
     recorded_at timestamptz NOT NULL DEFAULT now()
   )`,
  'DROP TABLE erasures_owed',
);

/** A ledger the restore could not read still owes: how many is unknown (null) until the start reads it. */
export const ErasuresOwedCountUnknown = sqlMigration(
  'ErasuresOwedCountUnknown',
  1700000000103,
  'ALTER TABLE erasures_owed ALTER COLUMN owed DROP NOT NULL',
  // Still owed, as a count older code shows: it refuses to start while any row is there.
  'UPDATE erasures_owed SET owed = 0 WHERE owed IS NULL; ALTER TABLE erasures_owed ALTER COLUMN owed SET NOT NULL',
);

export interface ErasuresOwed {
  ledger: string;
  /** null: the restore could not read the ledger, so it owes an unknown number. */
  owed: number | null;
}

/** What a restore left owed (none where the table is not: a service's own database, or data never restored). */
export async function erasuresOwed(sql: Sql): Promise<ErasuresOwed[]> {
  const { rows: table } = await sql.query<{ found: boolean }>("SELECT to_regclass('platform.erasures_owed') IS NOT NULL AS found");
  if (!table[0].found) return [];
  return (await sql.query<ErasuresOwed>('SELECT ledger, owed FROM platform.erasures_owed ORDER BY ledger')).rows;
}

export async function recordErasuresOwed(sql: Sql, owed: ErasuresOwed): Promise<void> {
  await sql.query('INSERT INTO platform.erasures_owed (ledger, owed) VALUES ($1, $2) ON CONFLICT (ledger) DO UPDATE SET owed = excluded.owed, recorded_at = now()', [owed.ledger, owed.owed]);
}

/** Made again: nothing owed any more. */
export async function settleErasuresOwed(sql: Sql): Promise<void> {
  if ((await erasuresOwed(sql)).length > 0) await sql.query('DELETE FROM platform.erasures_owed');
}

/** Whether two paths name one file, spelt alike or not (through a symbolic link, or a bind mount). */
export function sameFile(a: string, b: string | undefined): boolean {
  if (b === undefined) return false;
  if (a === b) return true;
  try {
    const [first, second] = [statSync(a), statSync(b)];
    return first.dev === second.dev && first.ino === second.ino;
  } catch {
    return false;
  }
}
