import { migrate, sqlMigration } from '@skills/postgres';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Client } from 'pg';
import { DEVELOPMENT_PERSONAL_DATA_KEY, masterKeyFromEnvironment, Sealed, unseal } from '../sealing';
import { declaredServices, ServiceData, ServiceDefinition } from '../service-definitions';
import { ErasuresOwedCountUnknown, ErasuresOwedSchema } from '../backup/erasures-owed';

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

/** The same for IDENTITY_HASH_KEY: an HMAC of a fixed label under it, beside the master key's. */
export const IdentityHashKeyCheckSchema = sqlMigration(
  'IdentityHashKeyCheckSchema',
  1700000000101,
  `CREATE TABLE identity_hash_key_check (
     only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
     check_value text NOT NULL,
     recorded_at timestamptz NOT NULL DEFAULT now()
   )`,
  'DROP TABLE identity_hash_key_check',
);

/** The `platform` schema's migrations: the key checks, and the erasures a restore found owed. */
export const KEY_CHECK_MIGRATIONS = [MasterKeyCheckSchema, IdentityHashKeyCheckSchema, ErasuresOwedSchema, ErasuresOwedCountUnknown];

/** What IDENTITY_HASH_KEY stands for when unset: public in this source, so for development data only. */
export const DEVELOPMENT_IDENTITY_HASH_KEY = 'skills-ladder-development-key';

/** The secret of the keyed hashes of identity numbers (trainee-service's claims, searches and import keys); empty is unset. */
export const identityHashKeyFrom = (env: NodeJS.ProcessEnv): string => env.IDENTITY_HASH_KEY || DEVELOPMENT_IDENTITY_HASH_KEY;

/** IDENTITY_HASH_KEY unset, empty or the public default: fine for development data only. */
export const usesDevelopmentIdentityHashKey = (env: NodeJS.ProcessEnv) => identityHashKeyFrom(env) === DEVELOPMENT_IDENTITY_HASH_KEY;

const IDENTITY_HASH_CHECK_LABEL = 'skills-ladder identity hash key check v1';

export function identityHashCheckValue(env: NodeJS.ProcessEnv): string {
  return createHmac('sha256', identityHashKeyFrom(env)).update(IDENTITY_HASH_CHECK_LABEL).digest('hex');
}

export interface IdentityHashKeyCheckInput {
  /** The check value stored with the data, if any. */
  storedCheckValue?: string;
  /** Whether a table of keyed hashes of identity numbers (hashedWithIdentityKey) holds a row. */
  holdsIdentityHashes: boolean;
  /**
   * Without a check value: whether a registered identity number, opened and hashed again under the key
   * given, is the hash stored for it (identityHashKeyMatchesOf); undefined, nothing to judge by.
   */
  registeredNumberMatches?: boolean;
}

/**
 * The decision for IDENTITY_HASH_KEY: on data that holds keyed hashes of identity numbers, the key unset
 * or the development default is refused (MasterKeyRefusal) without ALLOW_DEVELOPMENT_KEY=1: that key is
 * public, and with it a copy of the data or a backup gives back every identity number (there are some
 * 10^11 of them to try); so is another key than the data's, by the stored check value or, where there
 * is none (data of a distributed deployment restored, data older than check values), by a registered
 * identity number hashed again. Another key would fail no check of its own: the same number could be
 * registered twice, a lookup would find nobody, and the search index would be rebuilt under it without a
 * word. Data without such hashes takes the key given. Answers whether the check value must be (re)written.
 */
export function judgeIdentityHashKey(input: IdentityHashKeyCheckInput, env: NodeJS.ProcessEnv, refusing = 'refusing to start'): { storeCheckValue?: string } {
  const expected = identityHashCheckValue(env);
  if (input.holdsIdentityHashes && usesDevelopmentIdentityHashKey(env) && !developmentKeyAllowed(env)) {
    const which = env.IDENTITY_HASH_KEY ? 'is the development default' : 'is not set (the development default would be used)';
    throw new MasterKeyRefusal(
      `${refusing}: this data holds identity numbers' hashes and IDENTITY_HASH_KEY ${which}; set it to the key they were hashed with (ALLOW_DEVELOPMENT_KEY=1 only for development data)`,
    );
  }
  if (input.holdsIdentityHashes) {
    const stored = input.storedCheckValue !== undefined;
    const matches = stored ? sameText(input.storedCheckValue as string, expected) : input.registeredNumberMatches !== false;
    const evidence = stored ? 'the key check value stored with it differs' : 'a registered identity number hashes otherwise';
    if (!matches) throw new MasterKeyRefusal(`${refusing}: IDENTITY_HASH_KEY is not the key this data's identity numbers were hashed with (${evidence}); use that key, nothing was changed`);
  }
  return input.storedCheckValue === expected ? {} : { storeCheckValue: expected };
}

/**
 * One of the two keys set and the other left to its public default (without ALLOW_DEVELOPMENT_KEY=1): a
 * deployment that forgot one. Refused whatever the data holds, on the first start too: let through, it
 * would seal or hash the first real records under the public key, and every later start would be refused
 * for them (the data then holds what only the development key opens). For a process that both seals and hashes.
 */
export function refuseOneKeyWithoutTheOther(env: NodeJS.ProcessEnv, refusing = 'refusing to start'): void {
  if (developmentKeyAllowed(env) || usesDevelopmentKey(env) === usesDevelopmentIdentityHashKey(env)) return;
  const [set, unset] = usesDevelopmentKey(env) ? ['IDENTITY_HASH_KEY', 'PERSONAL_DATA_KEY'] : ['PERSONAL_DATA_KEY', 'IDENTITY_HASH_KEY'];
  throw new MasterKeyRefusal(`${refusing}: ${set} is set and ${unset} is not (or is the development default); set both (README, "Keep the keys"), nothing was changed`);
}

/**
 * Each service's identityHashKeyMatches on its data (`dataOf`), where its tables of identity hashes
 * are: false when one hashes otherwise, true when one matches, undefined when none had anything to judge by.
 * The master key must have been judged first (judgeMasterKey): the identity number is opened with it.
 */
export async function identityHashKeyMatchesOf(services: ServiceDefinition[], dataOf: (service: ServiceDefinition) => ServiceData, env: NodeJS.ProcessEnv): Promise<boolean | undefined> {
  let matches: boolean | undefined;
  for (const service of services) {
    if (!service.hashedWithIdentityKey?.length || !service.identityHashKeyMatches) continue;
    const answer = await service.identityHashKeyMatches(dataOf(service), masterKeyFromEnvironment(env), env);
    if (answer === false) return false;
    matches ??= answer;
  }
  return matches;
}

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
 * start (and on data sealed before check values existed, once the key has opened a sealed value). The same
 * for IDENTITY_HASH_KEY on data holding identity numbers' hashes (judgeIdentityHashKey): its check value,
 * where there is none yet, recorded once a registered identity number hashed again matches.
 */
export async function checkMasterKey(databaseUrl: string, env: NodeJS.ProcessEnv = process.env, services: ServiceDefinition[] = declaredServices()): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  let masterKey: { storeCheckValue?: string };
  let identityHashKey: { storeCheckValue?: string };
  try {
    // Both judged before either check value is written: a refusal changes nothing.
    masterKey = judgeMasterKey({ storedCheckValue: await storedCheckValue(client, 'master_key_check'), sealedValues: await sampleSealedValues(client, services) }, env);
    const stored = await storedCheckValue(client, 'identity_hash_key_check');
    const holds = await holdsIdentityHashes(client, services);
    // No check value (a distributed deployment's data restored here, or data older than check values):
    // judged by the data itself, or the first start would record whatever key it was given as the data's.
    const registeredNumberMatches = holds && stored === undefined ? await identityHashKeyMatchesOf(services, (service) => ({ client, schema: service.name }), env) : undefined;
    identityHashKey = judgeIdentityHashKey({ storedCheckValue: stored, holdsIdentityHashes: holds, registeredNumberMatches }, env);
    // After the judgements of the data (which say more where it holds something): empty data too.
    refuseOneKeyWithoutTheOther(env);
  } finally {
    await client.end();
  }
  if (masterKey.storeCheckValue === undefined && identityHashKey.storeCheckValue === undefined) return;
  await migrate(databaseUrl, KEY_CHECK_SCHEMA, KEY_CHECK_MIGRATIONS);
  const writer = new Client({ connectionString: databaseUrl });
  await writer.connect();
  try {
    const store = (table: string, value: string | undefined) =>
      value === undefined
        ? undefined
        : writer.query(
            `INSERT INTO ${KEY_CHECK_SCHEMA}.${table} (check_value) VALUES ($1)
             ON CONFLICT (only_row) DO UPDATE SET check_value = excluded.check_value, recorded_at = now()`,
            [value],
          );
    await store('master_key_check', masterKey.storeCheckValue);
    await store('identity_hash_key_check', identityHashKey.storeCheckValue);
  } finally {
    await writer.end();
  }
}

/**
 * At the start of a service deployed on its own, before it migrates or writes: refuses (MasterKeyRefusal)
 * a PERSONAL_DATA_KEY that does not open the personal data its own tables hold, or the development key on
 * them without ALLOW_DEVELOPMENT_KEY=1, and on its identity numbers' hashes an IDENTITY_HASH_KEY unset or
 * the development default without it, or one that hashes them otherwise (identityHashKeyMatches). Judged
 * by opening a sealed value of each of its tables, never by a stored check value, and writing nothing:
 * services may share one database, each with a key of its own (certification-service's may differ from
 * trainee-service's), and the all-in-one's single check value would stand for one of them only. A service
 * that seals and hashes nothing has nothing to check.
 */
export async function checkKeyOpensItsData(databaseUrl: string, service: ServiceDefinition, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!service.sealedWithMasterKey?.length && !service.hashedWithIdentityKey?.length) return;
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    judgeMasterKey({ sealedValues: await sampleSealedValues(client, [service]) }, env);
    // IDENTITY_HASH_KEY too, by an identity number of the data hashed again (the master key opens it now).
    const holds = await holdsIdentityHashes(client, [service]);
    const registeredNumberMatches = holds ? await identityHashKeyMatchesOf([service], () => ({ client, schema: service.name }), env) : undefined;
    judgeIdentityHashKey({ holdsIdentityHashes: holds, registeredNumberMatches }, env);
    if (service.sealedWithMasterKey?.length && service.hashedWithIdentityKey?.length) refuseOneKeyWithoutTheOther(env);
  } finally {
    await client.end();
  }
}

async function storedCheckValue(client: Client, table: 'master_key_check' | 'identity_hash_key_check'): Promise<string | undefined> {
  if (!(await tableExists(client, `${KEY_CHECK_SCHEMA}.${table}`))) return undefined;
  const { rows } = await client.query<{ check_value: string }>(`SELECT check_value FROM ${KEY_CHECK_SCHEMA}.${table}`);
  return rows[0]?.check_value;
}

/** Whether a table of keyed hashes of identity numbers (hashedWithIdentityKey) holds a row. */
async function holdsIdentityHashes(client: Client, services: ServiceDefinition[]): Promise<boolean> {
  for (const service of services) {
    for (const table of service.hashedWithIdentityKey ?? []) {
      const qualified = `${service.name}.${table}`;
      if (!(await tableExists(client, qualified))) continue;
      if ((await client.query(`SELECT 1 FROM ${qualified} LIMIT 1`)).rows.length > 0) return true;
    }
  }
  return false;
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
