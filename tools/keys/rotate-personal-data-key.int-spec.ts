// `npm run rotate-personal-data-key`: every value sealed with the master key (trainees' data keys, import jobs'
// data keys, evaluators' signing keys) re-wrapped from key A to key B, and the key check value replaced, so the
// data opens with B and not with A, and a start with A is refused; a current key that is not the data's, or
// data a running host is connected to, changes nothing. On a DATABASE_URL, on the all-in-one's embedded data
// directory, and on one service's own database (--service).
import { PLATFORM_MODULES } from '@skills/platform';
import { migrate, startEmbeddedPostgres } from '@skills/postgres';
import {
  checkKeyOpensItsData,
  checkMasterKey,
  declaredServices,
  MasterKeyRefusal,
  masterKeyFromEnvironment,
  rotateMasterKey,
  seal,
  Sealed,
  ServiceDefinition,
  serviceMigrations,
  unseal,
} from '@skills/service-runtime';
import { bearer, createTestDatabase, http, rowsOf, signInAs, startTestHost, testAdultIdentityNumber, testCreditCode, TestDatabase } from '@skills/testing';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { columnsSealedWithMasterKey } from './master-key-columns';

const ROOT = join(__dirname, '..', '..');
const HASH_KEY = 'the-key-identity-numbers-were-hashed-with';
const A = 'key-a-the-data-was-sealed-with';
const B = 'key-b-the-data-is-rotated-to';
const keyOf = (secret: string) => masterKeyFromEnvironment({ PERSONAL_DATA_KEY: secret });
const platformKeys = (secret: string) => ({ PERSONAL_DATA_KEY: secret, IDENTITY_HASH_KEY: HASH_KEY });

/** The CLI as `npm run rotate-personal-data-key -- …` starts it: its exit code and what it wrote. */
function runCli(env: NodeJS.ProcessEnv, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['-r', join(ROOT, 'tools/register.js'), join(ROOT, 'tools/keys/rotate-personal-data-key.ts'), ...args], { cwd: ROOT, env, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The environment of a CLI run: the test's, with these variables set or (undefined) removed. */
function cliEnv(settings: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...settings };
  for (const [name, value] of Object.entries(settings)) if (value === undefined) delete env[name];
  return env;
}

/** Every row of every table of the data, as one digest: "nothing changed" made checkable. */
async function fingerprint(url: string): Promise<string> {
  const tables = await rowsOf<{ name: string }>(url, `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`);
  const digests: string[] = [];
  for (const { name } of tables) digests.push(`${name}:${(await rowsOf<{ d: string }>(url, `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS d FROM ${name} t`))[0].d}`);
  return digests.join('\n');
}

/** Every sealed value of the columns a rotation re-wraps, in a fixed order. */
async function sealedValues(url: string, services: ServiceDefinition[]): Promise<Array<{ where: string; sealed: Sealed }>> {
  const found: Array<{ where: string; sealed: Sealed }> = [];
  for (const { schema, table, column } of columnsSealedWithMasterKey(services)) {
    const rows = await rowsOf<{ sealed: Sealed }>(url, `SELECT ${column} AS sealed FROM ${schema}.${table} ORDER BY ${column}::text`);
    found.push(...rows.map((row) => ({ where: `${schema}.${table}`, sealed: row.sealed })));
  }
  return found;
}

const opens = (secret: string, sealed: Sealed) => {
  try {
    return unseal<unknown>(keyOf(secret), sealed);
  } catch {
    return undefined;
  }
};

/** An import job and an evaluator's signing key, each sealed under `secret` as the services seal them. */
async function sealMoreUnder(url: string, secret: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO trainee.import_jobs (job_id, organisation_id, kind, started_by, state, total, batches, wrapped_key)
       VALUES ($1, $2, 'trainees', '{}', 'done', 0, 0, $3)`,
      [randomUUID(), randomUUID(), JSON.stringify(seal(keyOf(secret), 'an import job data key'))],
    );
    await sealSigningKey(client, secret);
  } finally {
    await client.end();
  }
}

async function sealSigningKey(client: Client, secret: string): Promise<void> {
  await client.query('INSERT INTO certification.evaluator_signing_keys (evaluator_id, key_number, public_key_multibase, sealed_secret) VALUES ($1, 1, $2, $3)', [
    randomUUID(),
    'z6Mk-public',
    JSON.stringify(seal(keyOf(secret), 'zsecret-multibase')),
  ]);
}

const service = (name: string) => declaredServices().find((candidate) => candidate.name === name) as ServiceDefinition;

describe('rotating the master key (npm run rotate-personal-data-key)', () => {
  const previousKeys = { PERSONAL_DATA_KEY: process.env.PERSONAL_DATA_KEY, IDENTITY_HASH_KEY: process.env.IDENTITY_HASH_KEY };
  const setKeys = (keys: NodeJS.ProcessEnv) => {
    for (const name of ['PERSONAL_DATA_KEY', 'IDENTITY_HASH_KEY'] as const) {
      if (keys[name] === undefined) delete process.env[name];
      else process.env[name] = keys[name];
    }
  };
  afterAll(() => setKeys(previousKeys));

  describe("the all-in-one's data", () => {
    let database: TestDatabase;
    let traineeId: string;
    let providerId: string;
    let refusedWhileRunning: unknown;

    beforeAll(async () => {
      // The platform as `npm start` runs it under A: check values first, one trainee registered, then more sealed under A.
      database = await createTestDatabase();
      await checkMasterKey(database.url, platformKeys(A), []);
      setKeys(platformKeys(A));
      const host = await startTestHost({ modules: PLATFORM_MODULES, transport: 'in-process', databaseUrl: database.url });
      try {
        const admin = await signInAs(host.baseUrl, { role: 'platform_admin' });
        const provider = await http(host.baseUrl, 'POST', '/api/v1/providers', { name: '轮换测试学校', creditCode: testCreditCode(Date.now() % 9_000_000), regionCode: '430200' }, bearer(admin.token));
        providerId = provider.body.id;
        const staff = await signInAs(host.baseUrl, { role: 'school_staff', organisationId: providerId, orgAdmin: true });
        const trainee = await http(host.baseUrl, 'POST', '/api/v1/trainees', { name: '王五', idNumber: testAdultIdentityNumber(Date.now() % 7_000_000), phone: '13800000002' }, bearer(staff.token));
        expect(trainee.status).toBe(201);
        traineeId = trainee.body.id;
        // A host still running holds A and would seal under it after the rotation.
        refusedWhileRunning = await rotateMasterKey(database.url, { columns: columnsSealedWithMasterKey(declaredServices()), keyCheck: 'replace', currentKey: keyOf(A), newKey: keyOf(B) }).catch((error) => error);
      } finally {
        await host.close();
      }
      await sealMoreUnder(database.url, A);
    });

    afterAll(async () => {
      await database?.drop();
    });

    it('is refused while a host of the data is connected to it', () => {
      expect(refusedWhileRunning).toBeInstanceOf(MasterKeyRefusal);
      expect((refusedWhileRunning as Error).message).toMatch(/^refusing to rotate: .*skills-\w+.* connected to this database; stop the platform/);
    });

    it('is refused while any other session is connected to it (a host\'s LISTEN connection has no name)', async () => {
      const session = new Client({ connectionString: database.url });
      await session.connect();
      try {
        const refusal = await rotateMasterKey(database.url, { columns: columnsSealedWithMasterKey(declaredServices()), keyCheck: 'replace', currentKey: keyOf(A), newKey: keyOf(B) }).catch((error: Error) => error.message);
        expect(refusal).toMatch(/^refusing to rotate: a session of \w+ connected to this database/);
      } finally {
        await session.end();
      }
    });

    it('refuses a current key that is not the data\'s, and a new key unset, the current one or the development default, changing nothing', async () => {
      const before = await fingerprint(database.url);
      const refusals = await Promise.all([
        runCli(cliEnv({ DATABASE_URL: database.url, PERSONAL_DATA_KEY: 'not-the-key', NEW_PERSONAL_DATA_KEY: B })),
        runCli(cliEnv({ DATABASE_URL: database.url, PERSONAL_DATA_KEY: A, NEW_PERSONAL_DATA_KEY: undefined })),
        runCli(cliEnv({ DATABASE_URL: database.url, PERSONAL_DATA_KEY: A, NEW_PERSONAL_DATA_KEY: A })),
        runCli(cliEnv({ DATABASE_URL: database.url, PERSONAL_DATA_KEY: A, NEW_PERSONAL_DATA_KEY: 'skills-ladder-development-personal-data-key' })),
      ]);
      expect(refusals.map((answer) => [answer.code, answer.stderr.trim()])).toEqual([
        [1, expect.stringMatching(/^refusing to rotate: PERSONAL_DATA_KEY is not the key this data was sealed with \(the key check value stored with it differs\)/)],
        [1, expect.stringMatching(/^refusing to rotate: NEW_PERSONAL_DATA_KEY is not set/)],
        [1, expect.stringMatching(/^refusing to rotate: NEW_PERSONAL_DATA_KEY is the current key/)],
        [1, expect.stringMatching(/^refusing to rotate: NEW_PERSONAL_DATA_KEY is the development default/)],
      ]);
      expect(await fingerprint(database.url)).toBe(before);
    });

    it('re-wraps every value sealed with A under B and replaces the check value: the data opens with B, a start with A is refused', async () => {
      const before = await sealedValues(database.url, declaredServices());
      expect(new Set(before.map((value) => value.where))).toEqual(new Set(['trainee.personal_data_keys', 'trainee.import_jobs', 'certification.evaluator_signing_keys']));
      const plain = before.map((value) => ({ where: value.where, plain: opens(A, value.sealed) }));
      expect(plain.every((value) => value.plain !== undefined)).toBe(true);

      const answer = await runCli(cliEnv({ DATABASE_URL: database.url, PERSONAL_DATA_KEY: A, NEW_PERSONAL_DATA_KEY: B }));
      expect(answer).toMatchObject({ code: 0, stderr: '' });
      expect(answer.stdout).toMatch(/trainee\.personal_data_keys\s+1 re-wrapped/);

      const after = await sealedValues(database.url, declaredServices());
      expect(after.map((value) => opens(A, value.sealed))).toEqual(after.map(() => undefined));
      expect(after.map((value) => ({ where: value.where, plain: opens(B, value.sealed) })).sort(byJson)).toEqual([...plain].sort(byJson));

      await expect(checkMasterKey(database.url, platformKeys(A))).rejects.toThrow(/^refusing to start: PERSONAL_DATA_KEY is not the key this data was sealed with \(the key check value stored with it differs\)/);
      await expect(checkMasterKey(database.url, platformKeys(B))).resolves.toBeUndefined();

      // The platform started with B reads the trainee sealed under A before the rotation.
      setKeys(platformKeys(B));
      const host = await startTestHost({ modules: PLATFORM_MODULES, transport: 'in-process', databaseUrl: database.url });
      try {
        const staff = await signInAs(host.baseUrl, { role: 'school_staff', organisationId: providerId, orgAdmin: true });
        const read = await http(host.baseUrl, 'GET', `/api/v1/trainees/${traineeId}`, undefined, bearer(staff.token));
        expect(read).toMatchObject({ status: 200, body: { name: '王五' } });
      } finally {
        await host.close();
      }
    });
  });

  describe('one service deployed on its own (--service)', () => {
    let database: TestDatabase;
    const certification = () => service('certification');

    beforeAll(async () => {
      database = await createTestDatabase();
      await migrate(database.url, 'certification', serviceMigrations(certification()));
      const client = new Client({ connectionString: database.url });
      await client.connect();
      await sealSigningKey(client, A).finally(() => client.end());
    });

    afterAll(async () => {
      await database?.drop();
    });

    it("is refused while the service is connected, not while another service sharing the database is", async () => {
      const rotation = { columns: columnsSealedWithMasterKey([certification()]), keyCheck: 'refuse' as const, currentKey: keyOf(A), newKey: keyOf(B) };
      const before = await fingerprint(database.url);
      const attempt = async (application: string) => {
        const session = new Client({ connectionString: database.url, application_name: application });
        await session.connect();
        try {
          return await rotateMasterKey(database.url, { ...rotation, currentKey: keyOf('not-the-key') }).catch((error: Error) => error.message);
        } finally {
          await session.end();
        }
      };
      expect(await attempt('skills-certification')).toMatch(/^refusing to rotate: skills-certification connected to this database/);
      // Not refused for the trainee-service's session: refused then for the key, which does not open the data.
      expect(await attempt('skills-trainee')).toMatch(/^refusing to rotate: PERSONAL_DATA_KEY does not open certification\.evaluator_signing_keys/);
      expect(await fingerprint(database.url)).toBe(before);
    });

    it('refuses a key that does not open its sealed values, changing nothing; rotates with the right one, then its start takes B and refuses A', async () => {
      const before = await fingerprint(database.url);
      const wrong = await runCli(cliEnv({ DATABASE_URL: undefined, CERTIFICATION_DATABASE_URL: database.url, PERSONAL_DATA_KEY: 'not-the-key', NEW_PERSONAL_DATA_KEY: B }), ['--service', 'certification']);
      expect([wrong.code, wrong.stderr.trim()]).toEqual([1, expect.stringMatching(/^refusing to rotate: PERSONAL_DATA_KEY does not open certification\.evaluator_signing_keys\.sealed_secret/)]);
      expect(await fingerprint(database.url)).toBe(before);

      const answer = await runCli(cliEnv({ DATABASE_URL: undefined, CERTIFICATION_DATABASE_URL: database.url, PERSONAL_DATA_KEY: A, NEW_PERSONAL_DATA_KEY: B }), ['--service', 'certification']);
      expect(answer).toMatchObject({ code: 0, stderr: '' });
      const [rotated] = await sealedValues(database.url, [certification()]);
      expect([opens(A, rotated.sealed), opens(B, rotated.sealed)]).toEqual([undefined, 'zsecret-multibase']);
      await expect(checkKeyOpensItsData(database.url, certification(), { PERSONAL_DATA_KEY: A })).rejects.toThrow(/^refusing to start: PERSONAL_DATA_KEY is not the key this data was sealed with/);
      await expect(checkKeyOpensItsData(database.url, certification(), { PERSONAL_DATA_KEY: B })).resolves.toBeUndefined();
    });

    it("refuses the all-in-one's data, whose check value stands for every service's values", async () => {
      const allInOne = await createTestDatabase();
      try {
        await checkMasterKey(allInOne.url, platformKeys(A), []);
        await migrate(allInOne.url, 'certification', serviceMigrations(certification()));
        const before = await fingerprint(allInOne.url);
        const answer = await runCli(cliEnv({ DATABASE_URL: allInOne.url, PERSONAL_DATA_KEY: A, NEW_PERSONAL_DATA_KEY: B }), ['--service', 'certification']);
        expect([answer.code, answer.stderr.trim()]).toEqual([1, expect.stringMatching(/^refusing to rotate: this database holds the all-in-one platform's key check value/)]);
        expect(await fingerprint(allInOne.url)).toBe(before);
      } finally {
        await allInOne.drop();
      }
    });
  });

  describe("the all-in-one's embedded data directory", () => {
    const scratch = mkdtempSync(join(tmpdir(), 'skills-rotate-'));
    const dataDir = join(scratch, 'postgres');
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    /** The embedded server on the data directory, as `npm start` would run it, for `work`. */
    async function onTheData<T>(work: (url: string) => Promise<T>): Promise<T> {
      const postgres = await startEmbeddedPostgres({ dataDir, persistent: true, fast: true });
      try {
        return await work(postgres.url);
      } finally {
        await postgres.stop();
      }
    }

    it('refuses a data directory that holds no platform data, making none', async () => {
      const answer = await runCli(cliEnv({ DATABASE_URL: undefined, PLATFORM_DATA_DIR: join(scratch, 'absent'), PERSONAL_DATA_KEY: A, NEW_PERSONAL_DATA_KEY: B }));
      expect([answer.code, answer.stderr.trim()]).toEqual([1, expect.stringMatching(/^no platform data in .*absent: name the data directory with PLATFORM_DATA_DIR/)]);
    });

    it('rotates the data `npm start` finds in PLATFORM_DATA_DIR', async () => {
      await onTheData(async (url) => {
        await checkMasterKey(url, platformKeys(A), []);
        await migrate(url, 'certification', serviceMigrations(service('certification')));
        const client = new Client({ connectionString: url });
        await client.connect();
        await sealSigningKey(client, A).finally(() => client.end());
      });
      const answer = await runCli(cliEnv({ DATABASE_URL: undefined, PLATFORM_DATA_DIR: dataDir, PERSONAL_DATA_KEY: A, NEW_PERSONAL_DATA_KEY: B }));
      expect(answer).toMatchObject({ code: 0, stderr: '' });
      expect(answer.stdout).toContain(`${dataDir}: every value sealed with the master key is now sealed with NEW_PERSONAL_DATA_KEY`);
      await onTheData(async (url) => {
        const [rotated] = await sealedValues(url, [service('certification')]);
        expect(opens(B, rotated.sealed)).toBe('zsecret-multibase');
        await expect(checkMasterKey(url, platformKeys(A))).rejects.toThrow(/^refusing to start: PERSONAL_DATA_KEY is not the key this data was sealed with/);
        await expect(checkMasterKey(url, platformKeys(B))).resolves.toBeUndefined();
      });
    });
  });

  it('re-wraps every column a service declares sealed with the master key, and the import jobs’ data keys', () => {
    const columns = columnsSealedWithMasterKey(declaredServices()).map(({ schema, table, column }) => `${schema}.${table}.${column}`);
    const declared = declaredServices().flatMap((definition) => (definition.sealedWithMasterKey ?? []).map(({ table, column }) => `${definition.name}.${table}.${column}`));
    expect(columns).toEqual(expect.arrayContaining([...declared, 'trainee.import_jobs.wrapped_key']));
    expect(new Set(columns).size).toBe(columns.length);
  });
});

const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));
