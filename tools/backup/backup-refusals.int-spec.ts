// What a backup, a restore and a start refuse, and that they write nothing when they do: a backup that would
// leave out a service's schema; a backup file that fails its checksum (named), a manifest of another format
// version or without a service's schema, a non-empty data directory, a key that is not the data's, another
// PUBLIC_ORIGIN than the backup's; and a start whose PERSONAL_DATA_KEY is not the key the data was sealed
// with, or the development key without the flag, or whose IDENTITY_HASH_KEY is not the one its identity
// numbers were hashed with.
import { PLATFORM_MODULES } from '@skills/platform';
import { backupPlan, checkMasterKey, declaredServices, DEVELOPMENT_PERSONAL_DATA_KEY, loadRuntimeConfig, MANIFEST_FILE, takeBackup } from '@skills/service-runtime';
import { bearer, createTestDatabase, http, signInAs, startTestHost, testAdultIdentityNumber, testCreditCode, TestDatabase } from '@skills/testing';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Client } from 'pg';
import { restoreBackup } from './restore-backup';

const KEY = 'the-key-this-data-was-sealed-with';

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

describe('backup and key refusals', () => {
  let database: TestDatabase;
  let directory: string;
  const scratch = mkdtempSync(join(tmpdir(), 'skills-refusals-'));
  const previousKey = process.env.PERSONAL_DATA_KEY;

  beforeAll(async () => {
    // One trainee sealed under KEY (the platform as `npm start` runs it: the check value stored first).
    process.env.PERSONAL_DATA_KEY = KEY;
    database = await createTestDatabase();
    await checkMasterKey(database.url, { PERSONAL_DATA_KEY: KEY }, []);
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
    directory = join(scratch, 'backup');
    await takeBackup(directory, backupPlan(loadRuntimeConfig({ DATABASE_URL: database.url, TRANSPORT: 'in-process' })));
  });

  afterAll(async () => {
    if (previousKey === undefined) delete process.env.PERSONAL_DATA_KEY;
    else process.env.PERSONAL_DATA_KEY = previousKey;
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

  const restoreInto = (from: string, dataDir: string, env: NodeJS.ProcessEnv = { PERSONAL_DATA_KEY: KEY }) => restoreBackup({ directory: from, dataDir, env, log: () => undefined });

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
    await expect(restoreInto(elsewhere, dataDir, { PERSONAL_DATA_KEY: KEY, PUBLIC_ORIGIN: 'https://other.example.org' })).rejects.toThrow(
      /^refusing to restore: the backup was taken under PUBLIC_ORIGIN=https:\/\/skills\.example\.org and PUBLIC_ORIGIN is https:\/\/other\.example\.org;/,
    );
    expect(existsSync(dataDir)).toBe(false);
    // The same origin (a trailing slash is no other) goes on to the next check.
    await expect(restoreInto(elsewhere, occupiedDirectory(), { PERSONAL_DATA_KEY: KEY, PUBLIC_ORIGIN: 'https://skills.example.org/' })).rejects.toThrow(/is not empty/);
    // A manifest of an older version records none: any origin, as before.
    const { publicOrigin: _origin, ...older } = manifest;
    writeFileSync(join(elsewhere, MANIFEST_FILE), JSON.stringify(older));
    await expect(restoreInto(elsewhere, occupiedDirectory(), { PERSONAL_DATA_KEY: KEY, PUBLIC_ORIGIN: 'https://other.example.org' })).rejects.toThrow(/is not empty/);
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
    await expect(checkMasterKey(database.url, { PERSONAL_DATA_KEY: KEY })).resolves.toBeUndefined();
    expect(await fingerprint(database.url)).toBe(before);
  });
});
