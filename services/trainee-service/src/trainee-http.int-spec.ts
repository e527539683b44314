// The Trainees contract of api.md over HTTP on a real Postgres: answers, refusals and a table of bad
// inputs, each a 400 problem naming the field (never a 500, never a half-written trainee).
import { identityCheckCharacter } from '@skills/domain-kernel';
import { bearer, createTestDatabase, http, startTestHost, TestDatabase, TestHost, testIdentityNumber, testIssuer } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { TraineeModule } from './trainee.module';
import { Client } from 'pg';

describe('Trainees HTTP contract (all in one process)', () => {
  let database: TestDatabase;
  let host: TestHost;
  let sql: Client;
  /** Staff of a provider that registers (and so may read) its trainees; the platform admin erases. */
  let staff: Record<string, string>;
  const school = randomUUID();
  let admin: Record<string, string>;
  const register = (body: unknown, headers: Record<string, string> = {}) => http(host.baseUrl, 'POST', '/api/v1/trainees', body, { ...staff, ...headers });
  const read = (path: string) => http(host.baseUrl, 'GET', path, undefined, staff);
  const valid = (n: number) => ({ name: '李四', idNumber: testIdentityNumber(n), phone: '13800000000' });
  const traineeCount = async () => Number((await sql.query(`SELECT count(*) AS n FROM trainee.events WHERE event_type = 'TraineeRegistered'`)).rows[0].n);

  beforeAll(async () => {
    const issuer = await testIssuer();
    staff = bearer(await issuer.token({ role: 'school_staff', organisationId: school }));
    admin = bearer(await issuer.token({ role: 'platform_admin' }));
    database = await createTestDatabase();
    host = await startTestHost({ modules: [TraineeModule], transport: 'in-process', databaseUrl: database.url, replicaWaitMs: 1000 });
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await host?.close();
    await database?.drop();
  });

  it('registers a trainee and answers the profile with the identity number masked, and who registered them', async () => {
    const created = await register({ name: '王芳', idNumber: '11010519491231002x', phone: '13912345678', regionCode: '430200', categories: ['urban_unemployed', 'poverty_registered'] });
    expect(created).toMatchObject({ status: 201, body: { id: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    const shown = await read(`/api/v1/trainees/${created.body.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual({
      id: created.body.id,
      name: '王芳',
      idNumberMasked: '110105********002X',
      birthDate: '1949-12-31',
      gender: 'female',
      phone: '13912345678',
      regionCode: '430200',
      categories: ['poverty_registered', 'urban_unemployed'],
      registeredOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      registeredBy: school,
      personalDataErased: false,
    });
  });

  it('takes the region from the identity number when none is given', async () => {
    const created = await register(valid(1));
    expect((await read(`/api/v1/trainees/${created.body.id}`)).body).toMatchObject({ regionCode: '430202', gender: expect.any(String), categories: [] });
  });

  it('refuses a second registration of an identity number with 409 and the existing id, in any letter case', async () => {
    const n = Array.from({ length: 50 }, (_, i) => 300 + i).find((candidate) => testIdentityNumber(candidate).endsWith('X'))!;
    const first = await register({ ...valid(n), idNumber: testIdentityNumber(n) });
    expect(first.status).toBe(201);
    const again = await register({ ...valid(n), name: '另一人', idNumber: testIdentityNumber(n).toLowerCase() });
    expect(again).toMatchObject({ status: 409, body: { rule: 'identity_number_registered', existingId: first.body.id } });
    expect(again.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers 404 for an unknown trainee and 400 for an id that is not a UUID', async () => {
    expect(await read('/api/v1/trainees/00000000-0000-4000-8000-000000000000')).toMatchObject({ status: 404, body: { status: 404 } });
    expect((await read('/api/v1/trainees/12345')).status).toBe(400);
  });

  const future = testIdentityNumberBornIn(2099);
  it.each([
    ['a wrong check character', { idNumber: '110105194912310021' }, 'idNumber'],
    ['17 characters', { idNumber: '11010519491231002' }, 'idNumber'],
    ['a birth date that does not exist (1990-02-30)', { idNumber: '430202199002301232' }, 'idNumber'],
    ['a birth date in the future', { idNumber: future }, 'idNumber'],
    ['an identity number that is a number', { idNumber: 43020219900101 }, 'idNumber'],
    ['no identity number', { idNumber: undefined }, 'idNumber'],
    ['a 10-digit phone', { phone: '1380000000' }, 'phone'],
    ['a phone not starting with 1', { phone: '23800000000' }, 'phone'],
    ['no phone', { phone: undefined }, 'phone'],
    ['an empty name', { name: '' }, 'name'],
    ['a name of 51 characters', { name: '名'.repeat(51) }, 'name'],
    ['a name that is not text', { name: 42 }, 'name'],
    ['a 5-digit region code', { regionCode: '43020' }, 'regionCode'],
    ['a region code with letters', { regionCode: '43O200' }, 'regionCode'],
    ['an unknown category', { categories: ['millionaire'] }, 'categories'],
    ['categories that are not a list', { categories: 'rural_migrant' }, 'categories'],
    ['an unknown field', { nickname: '小李' }, 'nickname'],
  ])('answers 400 naming the field for %s', async (_case, change, field) => {
    const before = await traineeCount();
    const answer = await register({ ...valid(50), ...change });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    expect(await traineeCount()).toBe(before);
  });

  it('answers 400 for malformed JSON and 413 for a body over 64 kb, never 500', async () => {
    expect((await register('{"name": "张')).status).toBe(400);
    expect((await register({ ...valid(51), name: 'x'.repeat(70_000) })).status).toBe(413);
    expect((await register('[]')).status).toBe(400);
    expect((await register('null')).status).toBe(400);
  });

  it('repeats the first answer for a repeated Idempotency-Key, also for an erasure', async () => {
    const headers = { 'Idempotency-Key': 'trainee-http-register-60' };
    const [first, second] = [await register(valid(60), headers), await register(valid(60), headers)];
    expect(second).toMatchObject({ status: first.status, body: first.body });
    expect(first.status).toBe(201);
    const erase = () => http(host.baseUrl, 'DELETE', `/api/v1/trainees/${first.body.id}/personal-data`, undefined, { ...admin, 'Idempotency-Key': 'trainee-http-erase-60' });
    expect((await erase()).status).toBe(204);
    expect((await erase()).status).toBe(204);
    const { rows } = await sql.query(`SELECT count(*)::int AS n FROM trainee.events WHERE stream_id = $1`, [`trainee-${first.body.id}`]);
    expect(rows[0].n).toBe(2);
  });

  it('erases what a registration recorded before sealing kept in clear (birth date, gender, region) with the key', async () => {
    const { id } = (await register(valid(61))).body as { id: string };
    // As such a registration was recorded: those three beside the sealed fields.
    const legacy = `UPDATE trainee.events SET data = data || '{"birthDate": "1990-01-01", "gender": "male", "regionCode": "430202"}' WHERE stream_id = $1 AND event_type = 'TraineeRegistered'`;
    await sql.query(legacy, [`trainee-${id}`]);
    const clearFields = async () =>
      (await sql.query(`SELECT data ? 'birthDate' AS "birthDate", data ? 'gender' AS gender, data ? 'regionCode' AS "regionCode" FROM trainee.events WHERE stream_id = $1 AND event_type = 'TraineeRegistered'`, [`trainee-${id}`])).rows[0];
    expect(await clearFields()).toEqual({ birthDate: true, gender: true, regionCode: true });
    expect((await http(host.baseUrl, 'DELETE', `/api/v1/trainees/${id}/personal-data`, undefined, admin)).status).toBe(204);
    expect(await clearFields()).toEqual({ birthDate: false, gender: false, regionCode: false });
    expect((await read(`/api/v1/trainees/${id}`)).body).toMatchObject({ personalDataErased: true, birthDate: null, regionCode: null, registeredOn: expect.any(String) });
  });

  it("answers another service's question of a person's age only with INTERNAL_API_SECRET, and not at all once erased", async () => {
    const { id } = (await register({ name: '赵六', idNumber: testIdentityNumberBornIn(1950), phone: '13912345678' })).body as { id: string };
    const ask = (date: string, secret?: string) => http(host.baseUrl, 'GET', `/internal/v1/trainees/${id}/age-on/${date}`, undefined, secret ? { 'x-internal-secret': secret } : {});
    const previous = process.env.INTERNAL_API_SECRET;
    try {
      delete process.env.INTERNAL_API_SECRET;
      expect((await ask('1960-01-01', 'anything')).status).toBe(404); // the all-in-one sets none: the route answers nobody
      process.env.INTERNAL_API_SECRET = 'the-internal-secret';
      expect([(await ask('1960-01-01')).status, (await ask('1960-01-01', 'the-internal-secreT')).status]).toEqual([403, 403]);
      const answers = await Promise.all(['1949-12-31', '1950-01-01', '1965-12-31', '1966-01-01'].map((date) => ask(date, 'the-internal-secret')));
      expect(answers.map((answer) => [answer.status, answer.body])).toEqual([
        [200, { age: 'not_yet_born' }],
        [200, { age: 'under_working_age' }],
        [200, { age: 'under_working_age' }],
        [200, { age: 'of_working_age' }],
      ]);
      expect((await ask('1960-02-30', 'the-internal-secret')).body).toMatchObject({ status: 400, errors: [{ field: 'date', rule: 'isBusinessDate' }] });
      expect((await http(host.baseUrl, 'DELETE', `/api/v1/trainees/${id}/personal-data`, undefined, admin)).status).toBe(204);
      expect((await ask('1960-01-01', 'the-internal-secret')).status).toBe(404);
    } finally {
      if (previous === undefined) delete process.env.INTERNAL_API_SECRET;
      else process.env.INTERNAL_API_SECRET = previous;
    }
  });
});

/** A valid identity number (check character right) whose birth date lies in the given year. */
function testIdentityNumberBornIn(year: number): string {
  const first17 = `430202${year}0101123`;
  return first17 + identityCheckCharacter(first17);
}
