import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { DEVELOPMENT_PERSONAL_DATA_KEY, masterKeyFromEnvironment, seal, Sealed, unseal } from '../sealing';
import { KEY_CHECK_SCHEMA, keyCheckValue, MasterKeyRefusal } from './master-key-check';

/** A column of values sealed directly with the master key, in a service's schema. */
export interface ColumnSealedWithMasterKey {
  schema: string;
  table: string;
  column: string;
}

export interface MasterKeyRotation {
  /** Every column sealed with the master key in this database; a table not created yet holds nothing to re-wrap. */
  columns: ColumnSealedWithMasterKey[];
  /**
   * The all-in-one's data (`replace`): its key check value (platform.master_key_check) must be the current
   * key's and becomes the new key's. One service's database (`refuse`): there is none to judge by (each
   * service judges by opening its sealed values), and one found means the database is the all-in-one's,
   * whose other services' values would stay under the old key while the check value said otherwise.
   */
  keyCheck: 'replace' | 'refuse';
  currentKey: Buffer;
  newKey: Buffer;
}

/** What a rotation re-wrapped, per column. */
export interface RotatedColumn extends ColumnSealedWithMasterKey {
  rows: number;
}

/** NEW_PERSONAL_DATA_KEY: the key a rotation re-wraps under. */
export const NEW_KEY_SETTING = 'NEW_PERSONAL_DATA_KEY';

const REFUSING = 'refusing to rotate';

/**
 * The two keys of a rotation from the environment: the current one as every start takes it
 * (PERSONAL_DATA_KEY, the development default when unset: data sealed with it is rotated off it), and the
 * new one, which must be set, a key of its own (the development default is public) and not the current one.
 */
export function rotationKeysFrom(env: NodeJS.ProcessEnv): { currentKey: Buffer; newKey: Buffer } {
  const given = env[NEW_KEY_SETTING];
  if (!given) throw new MasterKeyRefusal(`${REFUSING}: ${NEW_KEY_SETTING} is not set; set it to the new key (and PERSONAL_DATA_KEY to the current one), nothing was changed`);
  if (given === DEVELOPMENT_PERSONAL_DATA_KEY) throw new MasterKeyRefusal(`${REFUSING}: ${NEW_KEY_SETTING} is the development default, which is public; choose a key of your own, nothing was changed`);
  const currentKey = masterKeyFromEnvironment(env);
  const newKey = createHash('sha256').update(given).digest();
  if (newKey.equals(currentKey)) throw new MasterKeyRefusal(`${REFUSING}: ${NEW_KEY_SETTING} is the current key (PERSONAL_DATA_KEY); a rotation needs a new one, nothing was changed`);
  return { currentKey, newKey };
}

/** Rows read and re-wrapped at a time: a table of a million keys is never held in memory whole. */
const BATCH = 5000;

/**
 * Re-wraps every value sealed with the current master key under the new one, and replaces the key check
 * value, in one transaction: afterwards the data opens with the new key only, and copies of the old wrapped
 * values (dead rows, the write-ahead log, disk snapshots, backups) open nothing once the old key is
 * destroyed, an erased trainee's data key among them. Refuses (MasterKeyRefusal, nothing changed) a current
 * key that is not the data's, by the check value or by a sealed value it does not open, and data a running
 * host of it is connected to: it would go on sealing under the old key it holds.
 */
export async function rotateMasterKey(databaseUrl: string, rotation: MasterKeyRotation): Promise<RotatedColumn[]> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'skills-rotate-master-key' });
  await client.connect();
  try {
    await client.query('BEGIN');
    await refuseRunningHosts(client, rotation);
    const checkValueStored = await refuseAnotherCurrentKey(client, rotation);
    const rotated: RotatedColumn[] = [];
    for (const column of rotation.columns) {
      if (!(await tableExists(client, `${column.schema}.${column.table}`))) continue;
      rotated.push({ ...column, rows: await rewrap(client, column, rotation) });
    }
    if (checkValueStored) await client.query(`UPDATE ${KEY_CHECK_SCHEMA}.master_key_check SET check_value = $1, recorded_at = now()`, [keyCheckValue(rotation.newKey)]);
    await client.query('COMMIT');
    return rotated;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * The all-in-one's database is its alone: any other session in it is refused (a host's LISTEN connection
 * carries no name, and its pools may have closed their idle ones). A service's database may be shared with
 * other services running on: there, the service's own sessions, which its pools name after its schema
 * (`skills-<schema>`, database.ts).
 */
async function refuseRunningHosts(client: Client, rotation: MasterKeyRotation): Promise<void> {
  const schemas = [...new Set(rotation.columns.map((column) => column.schema))];
  const { rows } = await client.query<{ application: string }>(
    `SELECT DISTINCT coalesce(nullif(application_name, ''), 'a session of ' || usename) AS application FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
        AND ($2 OR EXISTS (SELECT 1 FROM unnest($1::text[]) AS schema WHERE application_name = 'skills-' || schema OR application_name LIKE 'skills-' || schema || '-%'))`,
    [schemas, rotation.keyCheck === 'replace'],
  );
  if (rows.length > 0)
    throw new MasterKeyRefusal(
      `${REFUSING}: ${rows.map((row) => row.application).sort().join(', ')} connected to this database; stop the platform (every service of this data) and close other sessions first, nothing was changed`,
    );
}

/** Whether there is a check value to replace; refuses when it is not the current key's, or where none belongs. */
async function refuseAnotherCurrentKey(client: Client, rotation: MasterKeyRotation): Promise<boolean> {
  if (!(await tableExists(client, `${KEY_CHECK_SCHEMA}.master_key_check`))) return false;
  const { rows } = await client.query<{ check_value: string }>(`SELECT check_value FROM ${KEY_CHECK_SCHEMA}.master_key_check FOR UPDATE`);
  if (rows.length === 0) return false;
  if (rotation.keyCheck === 'refuse')
    throw new MasterKeyRefusal(`${REFUSING}: this database holds the all-in-one platform's key check value (${KEY_CHECK_SCHEMA}.master_key_check); rotate the whole platform's data (without --service), nothing was changed`);
  if (rows[0].check_value !== keyCheckValue(rotation.currentKey))
    throw new MasterKeyRefusal(`${REFUSING}: PERSONAL_DATA_KEY is not the key this data was sealed with (the key check value stored with it differs); give the current key, nothing was changed`);
  return true;
}

/**
 * One column's values opened with the current key and sealed with the new one, row by row through a
 * temporary table, then written back in one statement. Rows are told by their ctid: the table is locked
 * against writers until the commit, so no row moves meanwhile, and a sealed column needs no key of its own.
 */
async function rewrap(client: Client, column: ColumnSealedWithMasterKey, rotation: MasterKeyRotation): Promise<number> {
  const qualified = `${column.schema}.${column.table}`;
  await client.query(`LOCK TABLE ${qualified} IN EXCLUSIVE MODE`);
  await client.query('CREATE TEMPORARY TABLE rewrapped (row_id tid PRIMARY KEY, sealed jsonb NOT NULL) ON COMMIT DROP');
  await client.query(`DECLARE sealed_values NO SCROLL CURSOR FOR SELECT ctid AS row_id, ${column.column} AS sealed FROM ${qualified} WHERE ${column.column} IS NOT NULL`);
  let rows = 0;
  for (;;) {
    const batch = await client.query<{ row_id: string; sealed: Sealed }>(`FETCH ${BATCH} FROM sealed_values`);
    if (batch.rows.length === 0) break;
    const resealed = batch.rows.map((row) => JSON.stringify(seal(rotation.newKey, openWithCurrentKey(row.sealed, column, rotation.currentKey))));
    await client.query('INSERT INTO rewrapped SELECT * FROM unnest($1::tid[], $2::jsonb[])', [batch.rows.map((row) => row.row_id), resealed]);
    rows += batch.rows.length;
  }
  await client.query('CLOSE sealed_values');
  await client.query(`UPDATE ${qualified} AS target SET ${column.column} = rewrapped.sealed FROM rewrapped WHERE target.ctid = rewrapped.row_id`);
  await client.query('DROP TABLE rewrapped');
  return rows;
}

function openWithCurrentKey(sealed: Sealed, column: ColumnSealedWithMasterKey, currentKey: Buffer): unknown {
  try {
    return unseal(currentKey, sealed);
  } catch {
    throw new MasterKeyRefusal(`${REFUSING}: PERSONAL_DATA_KEY does not open ${column.schema}.${column.table}.${column.column}: it is not the key this data was sealed with; give the current key, nothing was changed`);
  }
}

async function tableExists(client: Client, qualified: string): Promise<boolean> {
  const { rows } = await client.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [qualified]);
  return rows[0].found !== null;
}
