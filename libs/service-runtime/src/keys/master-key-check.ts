import { migrate, sqlMigration } from '@skills/postgres';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Client } from 'pg';
import { DEVELOPMENT_PERSONAL_DATA_KEY, masterKeyFromEnvironment, Sealed, unseal } from '../sealing';
import { declaredServices, ServiceDefinition } from '../service-definitions';

/**
 * The key check value: an HMAC of a fixed label under the master key, kept beside the data in the
 * all-in-one's own schema (`platform`), which travels in every backup. It tells at start whether the
 * PERSONAL_DATA_KEY given is the one the data was sealed with, before anything reads or writes sealed
 * data: a wrong key would otherwise only show as unreadable names, and any trainee registered meanwhile
 * would be sealed under a key that opens none of the others. It opens nothing itself, and guessing the
 * key from it is no easier than from any sealed value in the same database.
 */
export const KEY_CHECK_SCHEMA = 'platform';

export const MasterKeyCheckSchema = sqlMigration(
  'MasterKeyCheckSchema',
  1700000000100,
  `CREATE TABLE master_key_check (
     only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
     check_value text NOT NULL,
     recorded_at timestamptz NOT NULL DEFAULT now()
   )`,
  'DROP TABLE master_key_check',
);

export const KEY_CHECK_MIGRATIONS = [MasterKeyCheckSchema];

const CHECK_LABEL = 'skills-ladder master key check v1';

export function keyCheckValue(masterKey: Buffer): string {
  return createHmac('sha256', masterKey).update(CHECK_LABEL).digest('hex');
}

/** Why `npm start` will not run on this data with this key: one line, nothing changed. */
export class MasterKeyRefusal extends Error {
  override name = 'MasterKeyRefusal';
}

/** PERSONAL_DATA_KEY unset or the public default: fine for development data only. */
export const usesDevelopmentKey = (env: NodeJS.ProcessEnv) => !env.PERSONAL_DATA_KEY || env.PERSONAL_DATA_KEY === DEVELOPMENT_PERSONAL_DATA_KEY;

/** ALLOW_DEVELOPMENT_KEY=1: the development key is accepted on data that holds personal data (demo, tests). */
export const developmentKeyAllowed = (env: NodeJS.ProcessEnv) => env.ALLOW_DEVELOPMENT_KEY === '1';

export interface KeyCheckInput {
  /** The check value stored with the data, if any. */
  storedCheckValue?: string;
  /** Values sealed with the master key found in the data (a few, one per table); none: no personal data. */
  sealedValues: Sealed[];
}

/**
 * The decision alone (the restore asks it of a backup's files before writing anything): throws a
 * MasterKeyRefusal, or answers whether the check value must be (re)written for this key.
 */
export function judgeMasterKey(input: KeyCheckInput, env: NodeJS.ProcessEnv, refusing = 'refusing to start'): { storeCheckValue?: string } {
  const key = masterKeyFromEnvironment(env);
  const expected = keyCheckValue(key);
  const holdsPersonalData = input.sealedValues.length > 0;
  if (holdsPersonalData && usesDevelopmentKey(env) && !developmentKeyAllowed(env)) {
    const which = env.PERSONAL_DATA_KEY ? 'is the development default' : 'is not set (the development default would be used)';
    throw new MasterKeyRefusal(
      `${refusing}: this data holds personal data and PERSONAL_DATA_KEY ${which}; set it to the key the data was sealed with (ALLOW_DEVELOPMENT_KEY=1 only for development data)`,
    );
  }
  if (holdsPersonalData) {
    const matches = input.storedCheckValue !== undefined ? sameText(input.storedCheckValue, expected) : input.sealedValues.every((sealed) => opens(key, sealed));
    const evidence = input.storedCheckValue !== undefined ? 'the key check value stored with it differs' : 'it does not open the sealed keys';
    if (!matches) throw new MasterKeyRefusal(`${refusing}: PERSONAL_DATA_KEY is not the key this data was sealed with (${evidence}); use that key, nothing was changed`);
  }
  // Without personal data any key may become the one: the check value follows the key given.
  return input.storedCheckValue === expected ? {} : { storeCheckValue: expected };
}

/**
 * At the start of the all-in-one, before any module migrates or writes: refuses (MasterKeyRefusal) a
 * data directory holding personal data when the key is missing, the development default without
 * ALLOW_DEVELOPMENT_KEY=1, or not the key of its check value; then records the check value at the first
 * start (and on data sealed before check values existed, once the key has opened a sealed value).
 */
export async function checkMasterKey(databaseUrl: string, env: NodeJS.ProcessEnv = process.env, services: ServiceDefinition[] = declaredServices()): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  let decision: { storeCheckValue?: string };
  try {
    decision = judgeMasterKey({ storedCheckValue: await storedCheckValue(client), sealedValues: await sampleSealedValues(client, services) }, env);
  } finally {
    await client.end();
  }
  if (decision.storeCheckValue === undefined) return;
  await migrate(databaseUrl, KEY_CHECK_SCHEMA, KEY_CHECK_MIGRATIONS);
  const writer = new Client({ connectionString: databaseUrl });
  await writer.connect();
  try {
    await writer.query(
      `INSERT INTO ${KEY_CHECK_SCHEMA}.master_key_check (check_value) VALUES ($1)
       ON CONFLICT (only_row) DO UPDATE SET check_value = excluded.check_value, recorded_at = now()`,
      [decision.storeCheckValue],
    );
  } finally {
    await writer.end();
  }
}

async function storedCheckValue(client: Client): Promise<string | undefined> {
  if (!(await tableExists(client, `${KEY_CHECK_SCHEMA}.master_key_check`))) return undefined;
  const { rows } = await client.query<{ check_value: string }>(`SELECT check_value FROM ${KEY_CHECK_SCHEMA}.master_key_check`);
  return rows[0]?.check_value;
}

/** The first sealed value of each table that holds any (a table not created yet holds none). */
async function sampleSealedValues(client: Client, services: ServiceDefinition[]): Promise<Sealed[]> {
  const found: Sealed[] = [];
  for (const service of services) {
    for (const { table, column } of service.sealedWithMasterKey ?? []) {
      const qualified = `${service.name}.${table}`;
      if (!(await tableExists(client, qualified))) continue;
      const { rows } = await client.query<{ sealed: Sealed }>(`SELECT ${column} AS sealed FROM ${qualified} LIMIT 1`);
      if (rows[0]) found.push(rows[0].sealed);
    }
  }
  return found;
}

async function tableExists(client: Client, qualified: string): Promise<boolean> {
  const { rows } = await client.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [qualified]);
  return rows[0].found !== null;
}

function opens(key: Buffer, sealed: Sealed): boolean {
  try {
    unseal(key, sealed);
    return true;
  } catch {
    return false;
  }
}

function sameText(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
