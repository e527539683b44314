// trainee-service's answer to "is this the trainee's name" (TraineeNames, for public certificate
// verification by number and name), on a real Postgres: in process and over HTTP with INTERNAL_API_SECRET;
// names compared as people type them (samePersonName: case, width, spaces and dots aside); a correction counts at once; nothing matches after erasure.
import { TraineeNames, TraineeRegistryUnavailable } from '@skills/service-runtime';
import { bearer, createTestDatabase, http, startTestHost, TestDatabase, TestHost, testIdentityNumber, testIssuer } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { TraineeModule } from '../../trainee.module';

const SECRET = 'the-internal-secret';

describe("trainees: another service's question whether a name is the trainee's", () => {
  let database: TestDatabase;
  let host: TestHost;
  let staff: Record<string, string>;
  let admin: Record<string, string>;
  let nextPerson = 4100;
  const register = async (name: string) => {
    const answer = await http(host.baseUrl, 'POST', '/api/v1/trainees', { name, idNumber: testIdentityNumber(nextPerson++), phone: '13800000000' }, staff);
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };
  const ask = (id: string, name: string, secret?: string) => http(host.baseUrl, 'POST', `/internal/v1/trainees/${id}/name-match`, { name }, secret ? { 'x-internal-secret': secret } : {});

  beforeAll(async () => {
    const issuer = await testIssuer();
    staff = bearer(await issuer.token({ role: 'school_staff', organisationId: randomUUID() }));
    admin = bearer(await issuer.token({ role: 'platform_admin' }));
    database = await createTestDatabase();
    host = await startTestHost({ modules: [TraineeModule], transport: 'in-process', databaseUrl: database.url });
  });

  afterAll(async () => {
    delete process.env.INTERNAL_API_SECRET;
    delete process.env.TRAINEE_SERVICE_URL;
    await host?.close();
    await database?.drop();
  });

  it('answers in process: the name as registered, however spaced, cased, dotted or in full-width forms; no other name; no unknown trainee', async () => {
    const names = host.app.get(TraineeNames);
    const id = await register('王建国');
    expect(await names.matches(id, '王建国')).toBe(true);
    expect(await names.matches(id, ' 王 建国 ')).toBe(true);
    expect(await names.matches(id, '王建军')).toBe(false);
    expect(await names.matches(id, '王建')).toBe(false);
    expect(await names.matches(randomUUID(), '王建国')).toBe(false);
    const latin = await register('Ali Hasan');
    expect(await names.matches(latin, 'Ａｌｉ　Ｈａｓａｎ')).toBe(true);
    // As the search finds them: a name the search lists is one verification accepts.
    expect(await names.matches(latin, 'ali hasan')).toBe(true);
    expect(await names.matches(latin, 'Ali Hassan')).toBe(false);
    const dotted = await register('买买提·艾力');
    expect([await names.matches(dotted, '买买提•艾力'), await names.matches(dotted, '买买提.艾力')]).toEqual([true, true]);
    expect(await names.matches(dotted, '买买提艾力')).toBe(false);
  });

  it('follows a correction at once, and matches nothing once the personal data is erased', async () => {
    const names = host.app.get(TraineeNames);
    const id = await register('李四');
    expect((await http(host.baseUrl, 'PATCH', `/api/v1/trainees/${id}`, { name: '李思' }, staff)).status).toBe(200);
    expect([await names.matches(id, '李四'), await names.matches(id, '李思')]).toEqual([false, true]);
    expect((await http(host.baseUrl, 'DELETE', `/api/v1/trainees/${id}/personal-data`, undefined, admin)).status).toBe(204);
    expect(await names.matches(id, '李思')).toBe(false);
  });

  it('answers over HTTP only with INTERNAL_API_SECRET, and a service deployed apart asks it there', async () => {
    const id = await register('赵六');
    delete process.env.INTERNAL_API_SECRET;
    expect((await ask(id, '赵六', 'anything')).status).toBe(404); // the all-in-one sets none: the route answers nobody
    process.env.INTERNAL_API_SECRET = SECRET;
    expect([(await ask(id, '赵六')).status, (await ask(id, '赵六', 'the-internal-secreT')).status]).toEqual([404, 404]);
    expect(await ask(id, '赵六', SECRET)).toMatchObject({ status: 200, body: { matches: true } });
    expect(await ask(id, '赵七', SECRET)).toMatchObject({ status: 200, body: { matches: false } });
    expect(await ask(id, 42 as unknown as string, SECRET)).toMatchObject({ status: 400, body: { errors: expect.arrayContaining([expect.objectContaining({ field: 'name', rule: 'isString' })]) } });

    // A TraineeNames with no answerer in its process: certification-service deployed apart.
    const apart = new TraineeNames();
    process.env.TRAINEE_SERVICE_URL = host.baseUrl;
    expect([await apart.matches(id, '赵六'), await apart.matches(id, '赵七')]).toEqual([true, false]);
    // Unreachable, or not configured: no answer, which is not a "no".
    process.env.TRAINEE_SERVICE_URL = 'http://127.0.0.1:9';
    await expect(apart.matches(id, '赵六')).rejects.toBeInstanceOf(TraineeRegistryUnavailable);
    delete process.env.TRAINEE_SERVICE_URL;
    await expect(apart.matches(id, '赵六')).rejects.toBeInstanceOf(TraineeRegistryUnavailable);
  });
});
