// What a backup, a restore and a start refuse, and that they write nothing when they do: a backup that would
// leave out a service's schema; a backup file that fails its checksum (named), a manifest of another format
// version or without a service's schema, a non-empty data directory, a key that is not the data's, another
// PUBLIC_ORIGIN than the backup's; and a start whose PERSONAL_DATA_KEY is not the key the data was sealed
// with, or the development key without the flag, or whose IDENTITY_HASH_KEY is not the one its identity
// numbers were hashed with (by the check value, or by a registered identity number hashed again where there is
// none: a distributed deployment's backup), or is unset or the development default without the flag.
import { PLATFORM_MODULES } from '@skills/platform';
import {
  backupPlan,
  checkKeyOpensItsData,
  checkMasterKey,
  declaredServices,
  DEVELOPMENT_IDENTITY_HASH_KEY,
  DEVELOPMENT_PERSONAL_DATA_KEY,
  identityHashCheckValue,
  loadRuntimeConfig,
  MANIFEST_FILE,
  ServiceDefinition,
  takeBackup,
} from '@skills/service-runtime';
import { bearer, columnOf, createTestDatabase, http, signInAs, startTestHost, testAdultIdentityNumber, testCreditCode, TestDatabase } from '@skills/testing';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Client } from 'pg';
import { restoreBackup } from './restore-backup';

const KEY = 'the-key-this-data-was-sealed-with';
const HASH_KEY = 'the-key-this-data-s-identity-numbers-were-hashed-with';
/** The keys the data was made with, as its platform runs. */
const KEYS = { PERSONAL_DATA_KEY: KEY, IDENTITY_HASH_KEY: HASH_KEY };

/** Every row of every table of the platform's schemas, as one digest: "nothing changed" made checkable. */
async function fingerprint(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
    );
    const digests: string[] = [];
    for (const { name } of tables) digests.push(`${name}:${(await client.query(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS d FROM ${name} t`)).rows[0].d}`);
    return digests.join('\n');
  } finally {
    await client.end();
  }
}

/** `process.env`'s key variables set as `env` has them (absent: unset), as a platform started with those keys sees them. */
function setKeys(env: NodeJS.ProcessEnv): void {
  for (const name of ['PERSONAL_DATA_KEY', 'IDENTITY_HASH_KEY'] as const) {
    if (env[name] === undefined) delete process.env[name];
    else process.env[name] = env[name];
  }
}

/**
 * A platform's data holding one trainee registered under `keys` (the platform as `npm start` runs it: the
 * check values stored first, on the empty data), and a backup of it in `directory`.
 */
async function platformWithOneTrainee(keys: NodeJS.ProcessEnv, directory: string): Promise<TestDatabase> {
  const database = await createTestDatabase();
  await checkMasterKey(database.url, keys, []);
  setKeys(keys);
  const host = await startTestHost({ modules: PLATFORM_MODULES, transport: 'in-process', databaseUrl: database.url });
  try {
    const admin = await signInAs(host.baseUrl, { role: 'platform_admin' });
    const provider = await http(host.baseUrl, 'POST', '/api/v1/providers', { name: '备份测试学校', creditCode: testCreditCode(Date.now() % 9_000_000), regionCode: '430200' }, bearer(admin.token));
    const staff = await signInAs(host.baseUrl, { role: 'school_staff', organisationId: provider.body.id, orgAdmin: true });
    const trainee = await http(host.baseUrl, 'POST', '/api/v1/trainees', { name: '李四', idNumber: testAdultIdentityNumber(Date.now() % 7_000_000), phone: '13800000001' }, bearer(staff.token));
    expect(trainee.status).toBe(201);
  } finally {
    await host.close();
  }
  await takeBackup(directory, backupPlan(loadRuntimeConfig({ DATABASE_URL: database.url, TRANSPORT: 'in-process' })));
  return database;
}

describe('backup and key refusals', () => {
  let database: TestDatabase;
  const scratch = mkdtempSync(join(tmpdir(), 'skills-refusals-'));
  const directory = join(scratch, 'backup');
  const previousKeys = { PERSONAL_DATA_KEY: process.env.PERSONAL_DATA_KEY, IDENTITY_HASH_KEY: process.env.IDENTITY_HASH_KEY };

  beforeAll(async () => {
    // One trainee sealed under KEY, their identity number hashed under HASH_KEY; the process keeps those keys.
    database = await platformWithOneTrainee(KEYS, directory);
  });

  afterAll(async () => {
    setKeys(previousKeys);
    await database?.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** A copy of the backup under `name`, and its manifest to alter (write it back to take effect). */
  const copyOfBackup = (name: string) => {
    const copy = join(scratch, name);
    mkdirSync(copy);
    const manifest = JSON.parse(readFileSync(join(directory, MANIFEST_FILE), 'utf8'));
    for (const schema of manifest.schemas) {
      mkdirSync(join(copy, schema.name), { recursive: true });
      for (const table of schema.tables) writeFileSync(join(copy, table.file), readFileSync(join(directory, table.file)));
    }
    writeFileSync(join(copy, MANIFEST_FILE), JSON.stringify(manifest));
    return { copy, manifest };
  };

  const restoreInto = (from: string, dataDir: string, env: NodeJS.ProcessEnv = KEYS) => restoreBackup({ directory: from, dataDir, env, log: () => undefined });

  /** A data directory that is not empty: a restore that reaches it has passed every check of the backup before it. */
  const occupiedDirectory = () => {
    const occupied = mkdtempSync(join(scratch, 'occupied-'));
    writeFileSync(join(occupied, 'PG_VERSION'), '17\n');
    return occupied;
  };

  it('refuses to back up when a service’s schema is not where its URL leads (its <SERVICE>_DATABASE_URL forgotten), naming both, and writes nothing', async () => {
    // A distributed deployment's backup: every service's own URL but brand's, which falls back to DATABASE_URL, another service's database.
    const elsewhere = await createTestDatabase();
    try {
      const urls = Object.fromEntries(declaredServices().map((service) => [`${service.name.toUpperCase()}_DATABASE_URL`, database.url]));
      const forgotten = join(scratch, 'brand-forgotten');
      const { BRAND_DATABASE_URL: _brand, ...withoutBrand } = urls;
      await expect(takeBackup(forgotten, backupPlan(loadRuntimeConfig({ ...withoutBrand, DATABASE_URL: elsewhere.url, TRANSPORT: 'in-process' })))).rejects.toThrow(
        /^refusing to back up: the database DATABASE_URL names has no brand schema \(BRAND_DATABASE_URL is not set: set it to the brand service's database\)$/,
      );
      expect(existsSync(forgotten)).toBe(false);
      const mistaken = join(scratch, 'brand-mistaken');
      await expect(takeBackup(mistaken, backupPlan(loadRuntimeConfig({ ...urls, BRAND_DATABASE_URL: elsewhere.url, DATABASE_URL: elsewhere.url, TRANSPORT: 'in-process' })))).rejects.toThrow(
        /^refusing to back up: the database BRAND_DATABASE_URL names has no brand schema \(check BRAND_DATABASE_URL\)$/,
      );
      expect(existsSync(mistaken)).toBe(false);
    } finally {
      await elsewhere.drop();
    }
  });

  it('records the services and the PUBLIC_ORIGIN in the manifest', () => {
    const manifest = JSON.parse(readFileSync(join(directory, MANIFEST_FILE), 'utf8'));
    expect([...manifest.services].sort()).toEqual(['brand', 'certification', 'identity', 'placement', 'trainee', 'training']);
    expect(manifest.publicOrigin).toBe('http://localhost:3000');
  });

  it('refuses a backup without a service’s schema the platform had when it was taken, and writes nothing', async () => {
    const { copy: partial, manifest } = copyOfBackup('without-brand');
    const withoutBrand = manifest.schemas.filter((schema: { name: string }) => schema.name !== 'brand');
    writeFileSync(join(partial, MANIFEST_FILE), JSON.stringify({ ...manifest, schemas: withoutBrand }));
    const dataDir = join(scratch, 'without-brand-data');
    const refusal = /^the backup has no brand schema \(taken without BRAND_DATABASE_URL\?\): nothing was restored; restore a backup that holds every service$/;
    await expect(restoreInto(partial, dataDir)).rejects.toThrow(refusal);
    // Taken before manifests named their services: all six were the platform's.
    const { services: _services, ...older } = manifest;
    writeFileSync(join(partial, MANIFEST_FILE), JSON.stringify({ ...older, schemas: withoutBrand }));
    await expect(restoreInto(partial, dataDir)).rejects.toThrow(refusal);
    expect(existsSync(dataDir)).toBe(false);
    // Taken before a service existed: restored without it (it starts empty), so it goes on to the next check.
    writeFileSync(join(partial, MANIFEST_FILE), JSON.stringify({ ...manifest, services: manifest.services.filter((name: string) => name !== 'brand'), schemas: withoutBrand }));
    await expect(restoreInto(partial, occupiedDirectory())).rejects.toThrow(/is not empty: a restore goes onto a fresh data directory/);
  });

  it('refuses, before writing, a restore with another PUBLIC_ORIGIN than the backup was taken under, or none; restores one that does not record it as before', async () => {
    const { copy: elsewhere, manifest } = copyOfBackup('taken-elsewhere');
    writeFileSync(join(elsewhere, MANIFEST_FILE), JSON.stringify({ ...manifest, publicOrigin: 'https://skills.example.org' }));
    const dataDir = join(scratch, 'another-origin');
    await expect(restoreInto(elsewhere, dataDir)).rejects.toThrow(
      /^refusing to restore: the backup was taken under PUBLIC_ORIGIN=https:\/\/skills\.example\.org and PUBLIC_ORIGIN is not set \(http:\/\/localhost:3000\); restore, and start the platform, with PUBLIC_ORIGIN=https:\/\/skills\.example\.org$/,
    );
    await expect(restoreInto(elsewhere, dataDir, { ...KEYS, PUBLIC_ORIGIN: 'https://other.example.org' })).rejects.toThrow(
      /^refusing to restore: the backup was taken under PUBLIC_ORIGIN=https:\/\/skills\.example\.org and PUBLIC_ORIGIN is https:\/\/other\.example\.org;/,
    );
    expect(existsSync(dataDir)).toBe(false);
    // The same origin (a trailing slash is no other) goes on to the next check.
    await expect(restoreInto(elsewhere, occupiedDirectory(), { ...KEYS, PUBLIC_ORIGIN: 'https://skills.example.org/' })).rejects.toThrow(/is not empty/);
    // A manifest of an older version records none: any origin, as before.
    const { publicOrigin: _origin, ...older } = manifest;
    writeFileSync(join(elsewhere, MANIFEST_FILE), JSON.stringify(older));
    await expect(restoreInto(elsewhere, occupiedDirectory(), { ...KEYS, PUBLIC_ORIGIN: 'https://other.example.org' })).rejects.toThrow(/is not empty/);
  });

  it('refuses a corrupted file, naming it, and writes nothing', async () => {
    const { copy: corrupted } = copyOfBackup('corrupted');
    const file = join(corrupted, 'trainee', 'personal_data_keys.tsv.gz');
    const bytes = readFileSync(file);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(file, bytes);

    const dataDir = join(scratch, 'never-written');
    await expect(restoreInto(corrupted, dataDir)).rejects.toThrow(/^trainee\/personal_data_keys\.tsv\.gz does not match its checksum in the manifest .*nothing was restored$/);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('leaves nothing behind when a restore fails half-way (a file its checksum vouches for that will not load), so neither a start nor a second try finds a half-restored platform', async () => {
    const { copy: unloadable, manifest } = copyOfBackup('unloadable');
    // The trainee log's file holds a line of too few columns, with a checksum to match (as if the backup had written it).
    const events = manifest.schemas.find((schema: { name: string }) => schema.name === 'trainee').tables.find((table: { name: string }) => table.name === 'events');
    const bytes = gzipSync('not a row of the log\n');
    writeFileSync(join(unloadable, events.file), bytes);
    Object.assign(events, { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), rows: 1 });
    writeFileSync(join(unloadable, MANIFEST_FILE), JSON.stringify(manifest));

    const dataDir = join(scratch, 'half-restored');
    await expect(restoreInto(unloadable, dataDir)).rejects.toThrow();
    expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);
    // The same directory takes the good backup afterwards.
    await expect(restoreInto(directory, dataDir)).resolves.toEqual(expect.arrayContaining([expect.objectContaining({ name: 'trainee' })]));
  }, 120_000);

  it('refuses a manifest of a format version it cannot read, and a data directory that is not empty', async () => {
    const future = join(scratch, 'future');
    mkdirSync(future);
    writeFileSync(join(future, MANIFEST_FILE), JSON.stringify({ ...JSON.parse(readFileSync(join(directory, MANIFEST_FILE), 'utf8')), formatVersion: 2 }));
    await expect(restoreInto(future, join(scratch, 'unused'))).rejects.toThrow(/format version 2, this platform \(skills-ladder-backup version 1\) cannot read it/);

    const occupied = join(scratch, 'occupied');
    mkdirSync(occupied);
    writeFileSync(join(occupied, 'PG_VERSION'), '17\n');
    await expect(restoreInto(directory, occupied)).rejects.toThrow(/is not empty: a restore goes onto a fresh data directory/);
  });

  it('refuses, before writing, a restore with another key than the data’s', async () => {
    const dataDir = join(scratch, 'wrong-key');
    await expect(restoreInto(directory, dataDir, { PERSONAL_DATA_KEY: 'another-key' })).rejects.toThrow(/^refusing to restore: PERSONAL_DATA_KEY is not the key this data was sealed with/);
    expect(existsSync(dataDir)).toBe(false);
    await expect(restoreInto(directory, dataDir, { PERSONAL_DATA_KEY: KEY, IDENTITY_HASH_KEY: 'another-hash-key' })).rejects.toThrow(
      /^refusing to restore: IDENTITY_HASH_KEY is not the key this data's identity numbers were hashed with/,
    );
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses a first start on empty data with one key set and the other not, and stores no check value', async () => {
    const empty = await createTestDatabase();
    try {
      await expect(checkMasterKey(empty.url, { PERSONAL_DATA_KEY: KEY })).rejects.toThrow(/^refusing to start: PERSONAL_DATA_KEY is set and IDENTITY_HASH_KEY is not/);
      await expect(checkMasterKey(empty.url, { IDENTITY_HASH_KEY: HASH_KEY })).rejects.toThrow(/^refusing to start: IDENTITY_HASH_KEY is set and PERSONAL_DATA_KEY is not/);
      const sql = new Client({ connectionString: empty.url });
      await sql.connect();
      try {
        const table = (await sql.query("SELECT to_regclass('platform.master_key_check') AS t")).rows[0].t;
        if (table) expect((await sql.query('SELECT count(*)::int AS n FROM platform.master_key_check')).rows[0].n).toBe(0);
      } finally {
        await sql.end();
      }
      await expect(checkMasterKey(empty.url, KEYS)).resolves.toBeUndefined();
    } finally {
      await empty.drop();
    }
  });

  it('refuses to start with a wrong PERSONAL_DATA_KEY, or with the development key unless allowed, and changes nothing', async () => {
    const before = await fingerprint(database.url);
    await expect(checkMasterKey(database.url, { PERSONAL_DATA_KEY: 'another-key' })).rejects.toThrow(
      /^refusing to start: PERSONAL_DATA_KEY is not the key this data was sealed with \(the key check value stored with it differs\); use that key, nothing was changed$/,
    );
    await expect(checkMasterKey(database.url, {})).rejects.toThrow(/^refusing to start: this data holds personal data and PERSONAL_DATA_KEY is not set/);
    await expect(checkMasterKey(database.url, { PERSONAL_DATA_KEY: DEVELOPMENT_PERSONAL_DATA_KEY })).rejects.toThrow(/PERSONAL_DATA_KEY is the development default/);
    // Allowed, the development key is still not this data's key.
    await expect(checkMasterKey(database.url, { ALLOW_DEVELOPMENT_KEY: '1' })).rejects.toThrow(/is not the key this data was sealed with/);
    // The right master key with another IDENTITY_HASH_KEY than the one the identity numbers were hashed with.
    await expect(checkMasterKey(database.url, { PERSONAL_DATA_KEY: KEY, IDENTITY_HASH_KEY: 'another-hash-key' })).rejects.toThrow(
      /^refusing to start: IDENTITY_HASH_KEY is not the key this data's identity numbers were hashed with \(the key check value stored with it differs\); use that key, nothing was changed$/,
    );
    expect(await fingerprint(database.url)).toBe(before);
    await expect(checkMasterKey(database.url, KEYS)).resolves.toBeUndefined();
    expect(await fingerprint(database.url)).toBe(before);
  });

  describe('on data whose identity numbers were hashed with the development key (IDENTITY_HASH_KEY never set), PERSONAL_DATA_KEY its own', () => {
    let developmentHashed: TestDatabase;
    const developmentBackup = join(scratch, 'development-hashed');

    beforeAll(async () => {
      // Made as an older version made it (today a start with one key alone is refused: refuseOneKeyWithoutTheOther).
      developmentHashed = await platformWithOneTrainee({ PERSONAL_DATA_KEY: KEY, ALLOW_DEVELOPMENT_KEY: '1' }, developmentBackup);
      setKeys(KEYS);
    });

    afterAll(async () => {
      setKeys(KEYS);
      await developmentHashed?.drop();
    });

    /** The key unset, empty (taken as unset) and the development default, with the right master key. */
    const developmentHashKeys: [NodeJS.ProcessEnv, string][] = [
      [{ PERSONAL_DATA_KEY: KEY }, 'is not set \\(the development default would be used\\)'],
      [{ PERSONAL_DATA_KEY: KEY, IDENTITY_HASH_KEY: '' }, 'is not set \\(the development default would be used\\)'],
      [{ PERSONAL_DATA_KEY: KEY, IDENTITY_HASH_KEY: DEVELOPMENT_IDENTITY_HASH_KEY }, 'is the development default'],
    ];

    it('refuses to start, the all-in-one and trainee-service on its own, unless ALLOW_DEVELOPMENT_KEY=1, and changes nothing', async () => {
      const trainee = declaredServices().find((service) => service.name === 'trainee') as ServiceDefinition;
      const before = await fingerprint(developmentHashed.url);
      for (const [env, which] of developmentHashKeys) {
        const refusal = new RegExp(
          `^refusing to start: this data holds identity numbers' hashes and IDENTITY_HASH_KEY ${which}; set it to the key they were hashed with \\(ALLOW_DEVELOPMENT_KEY=1 only for development data\\)$`,
        );
        await expect(checkMasterKey(developmentHashed.url, env)).rejects.toThrow(refusal);
        await expect(checkKeyOpensItsData(developmentHashed.url, trainee, env)).rejects.toThrow(refusal);
      }
      expect(await fingerprint(developmentHashed.url)).toBe(before);
      // Development data (the demo, tests): allowed.
      for (const [env] of developmentHashKeys) {
        await expect(checkMasterKey(developmentHashed.url, { ...env, ALLOW_DEVELOPMENT_KEY: '1' })).resolves.toBeUndefined();
        await expect(checkKeyOpensItsData(developmentHashed.url, trainee, { ...env, ALLOW_DEVELOPMENT_KEY: '1' })).resolves.toBeUndefined();
      }
      expect(await fingerprint(developmentHashed.url)).toBe(before);
      // A key of its own is not the key they were hashed with, allowed or not.
      await expect(checkMasterKey(developmentHashed.url, { ...KEYS, ALLOW_DEVELOPMENT_KEY: '1' })).rejects.toThrow(/^refusing to start: IDENTITY_HASH_KEY is not the key this data's identity numbers were hashed with/);
      await expect(checkKeyOpensItsData(developmentHashed.url, trainee, KEYS)).rejects.toThrow(/^refusing to start: IDENTITY_HASH_KEY is not the key this data's identity numbers were hashed with/);
    });

    it('refuses, before writing, a restore unless ALLOW_DEVELOPMENT_KEY=1', async () => {
      const dataDir = join(scratch, 'development-hash-key');
      for (const [env, which] of developmentHashKeys)
        await expect(restoreInto(developmentBackup, dataDir, env)).rejects.toThrow(new RegExp(`^refusing to restore: this data holds identity numbers' hashes and IDENTITY_HASH_KEY ${which};`));
      expect(existsSync(dataDir)).toBe(false);
      // Allowed, it goes on to the next check.
      for (const [env] of developmentHashKeys) await expect(restoreInto(developmentBackup, occupiedDirectory(), { ...env, ALLOW_DEVELOPMENT_KEY: '1' })).rejects.toThrow(/is not empty/);
    });
  });

  /** A distributed deployment's backup: its services' schemas, no platform schema (so no key check values). */
  const distributedBackup = (name: string) => {
    const { copy, manifest } = copyOfBackup(name);
    writeFileSync(join(copy, MANIFEST_FILE), JSON.stringify({ ...manifest, schemas: manifest.schemas.filter((schema: { name: string }) => schema.name !== 'platform') }));
    return copy;
  };
  const anotherHashKey = { PERSONAL_DATA_KEY: KEY, IDENTITY_HASH_KEY: 'another-hash-key' };
  const hashesOtherwise = (refusing: string) =>
    new RegExp(`^${refusing}: IDENTITY_HASH_KEY is not the key this data's identity numbers were hashed with \\(a registered identity number hashes otherwise\\); use that key, nothing was changed$`);

  it('refuses, before writing, a restore of a backup without key check values (a distributed deployment’s) with another IDENTITY_HASH_KEY, judged by a registered identity number hashed again', async () => {
    const distributed = distributedBackup('distributed-another-key');
    const dataDir = join(scratch, 'distributed-another-hash-key');
    await expect(restoreInto(distributed, dataDir, anotherHashKey)).rejects.toThrow(hashesOtherwise('refusing to restore'));
    expect(existsSync(dataDir)).toBe(false);
    // Its own key goes on to the next check.
    await expect(restoreInto(distributed, occupiedDirectory())).rejects.toThrow(/is not empty/);
  });

  it('refuses to start with another IDENTITY_HASH_KEY on data without its check value (a distributed deployment’s, restored), changing nothing, and records the right key’s check value, not another’s', async () => {
    const restored = await createTestDatabase();
    try {
      await restoreBackup({ directory: distributedBackup('distributed-restored'), databaseUrl: restored.url, env: KEYS, log: () => undefined });
      const checkValue = () => columnOf(restored.url, "SELECT coalesce(to_regclass('platform.identity_hash_key_check')::text, 'none') AS value");
      expect(await checkValue()).toEqual(['none']);
      const before = await fingerprint(restored.url);
      await expect(checkMasterKey(restored.url, anotherHashKey)).rejects.toThrow(hashesOtherwise('refusing to start'));
      expect(await fingerprint(restored.url)).toBe(before);
      await expect(checkMasterKey(restored.url, KEYS)).resolves.toBeUndefined();
      expect(await columnOf(restored.url, 'SELECT check_value AS value FROM platform.identity_hash_key_check')).toEqual([identityHashCheckValue(KEYS)]);
      // Recorded, another key is refused by it as on any data that has one.
      await expect(checkMasterKey(restored.url, anotherHashKey)).rejects.toThrow(/\(the key check value stored with it differs\)/);
    } finally {
      await restored.drop();
    }
  }, 120_000);
});
