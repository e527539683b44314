// trainee-service's answer to another service's question of a person's age (TraineeAges over HTTP), on a
// real Postgres: a caller whose INTERNAL_API_SECRET is not trainee-service's is refused 403, not answered
// the 404 that means "nothing is known of this trainee"; the caller then answers 503
// trainee_registry_unavailable instead of judging the age rules on nothing (a certificate dated before its
// holder's birth accepted, placement's age check skipped).
import { identityCheckCharacter } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { AGE_UNKNOWN_RULE, NOT_REGISTERED, NOT_REGISTERED_RULE, TraineeAges, TraineeRegistryUnavailable } from '@skills/service-runtime';
import { bearer, createTestDatabase, http, startTestHost, TestDatabase, TestHost, testIdentityNumber, testIssuer } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { WorkingAgeAfterErasure } from '../../personal-data/working-age/working-age-after-erasure';
import { TraineeModule } from '../../trainee.module';

const SECRET = 'the-internal-secret';

describe("trainees: another service's question of a person's age, with a secret that is not trainee-service's", () => {
  let database: TestDatabase;
  let host: TestHost;
  let trainee: string;
  let staff: Record<string, string>;
  const before = { url: process.env.TRAINEE_SERVICE_URL, secret: process.env.INTERNAL_API_SECRET };
  const ask = (id: string, date: string, secret?: string) => http(host.baseUrl, 'GET', `/internal/v1/trainees/${id}/age-on/${date}`, undefined, secret ? { 'x-internal-secret': secret } : {});

  beforeAll(async () => {
    staff = bearer(await (await testIssuer()).token({ role: 'school_staff', organisationId: randomUUID() }));
    database = await createTestDatabase();
    host = await startTestHost({ modules: [TraineeModule], transport: 'in-process', databaseUrl: database.url });
    // Born in November 1982 (1970 + 4700 days): not yet born on 1 January 1980.
    const registered = await http(host.baseUrl, 'POST', '/api/v1/trainees', { name: '钱七', idNumber: testIdentityNumber(4700), phone: '13800000000' }, staff);
    expect(registered.status).toBe(201);
    trainee = registered.body.id;
  });

  afterEach(() => {
    for (const [name, value] of [['TRAINEE_SERVICE_URL', before.url], ['INTERNAL_API_SECRET', before.secret]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  it('refuses a missing or wrong secret 403 naming the rule; 404 only for a trainee of whom nothing is known', async () => {
    delete process.env.INTERNAL_API_SECRET;
    expect((await ask(trainee, '1980-01-01', 'anything')).status).toBe(404); // the all-in-one sets none: the route answers nobody
    process.env.INTERNAL_API_SECRET = SECRET;
    for (const secret of [undefined, 'the-internal-secreT']) {
      const refused = await ask(trainee, '1980-01-01', secret);
      expect(refused).toMatchObject({ status: 403, body: { status: 403, rule: 'internal_secret_mismatch' } });
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(await ask(trainee, '1980-01-01', SECRET)).toMatchObject({ status: 200, body: { age: 'not_yet_born' } });
    expect(await ask(randomUUID(), '1980-01-01', SECRET)).toMatchObject({ status: 404, body: { rule: NOT_REGISTERED_RULE } });
  });

  it('tells a registration voided a moment ago (no registration: the asking service refuses it as unknown) from an erased one (nothing known of the age)', async () => {
    process.env.INTERNAL_API_SECRET = SECRET;
    process.env.TRAINEE_SERVICE_URL = host.baseUrl;
    const register = async (n: number) => (await http(host.baseUrl, 'POST', '/api/v1/trainees', { name: '孙八', idNumber: testIdentityNumber(n), phone: '13800000000' }, staff)).body.id as string;
    const [voided, erased] = [await register(4701), await register(4702)];
    expect((await http(host.baseUrl, 'POST', `/api/v1/trainees/${voided}/void`, { reason: '身份证号录入错误' }, staff)).status).toBe(200);
    const admin = bearer(await (await testIssuer()).token({ role: 'platform_admin' }));
    expect((await http(host.baseUrl, 'DELETE', `/api/v1/trainees/${erased}/personal-data`, undefined, admin)).status).toBe(204);
    expect(await ask(voided, '2020-01-01', SECRET)).toMatchObject({ status: 404, body: { rule: NOT_REGISTERED_RULE } });
    expect(await ask(erased, '2020-01-01', SECRET)).toMatchObject({ status: 404, body: { rule: AGE_UNKNOWN_RULE } });
    const apart = new TraineeAges();
    expect(await apart.ageOn(voided, '2020-01-01')).toBe(NOT_REGISTERED);
    expect(await apart.ageOn(erased, '2020-01-01')).toBeUndefined();
  });

  it('answers an erased minor under working age until their 16th birthday, kept past the erasure only until it comes (an adult’s erasure keeps nothing)', async () => {
    process.env.INTERNAL_API_SECRET = SECRET;
    const admin = bearer(await (await testIssuer()).token({ role: 'platform_admin' }));
    // 15 years old, born on the 1st of this month: 16 on the 1st of this month next year.
    const today = new Date();
    const [bornIn, month] = [today.getUTCFullYear() - 15, String(today.getUTCMonth() + 1).padStart(2, '0')];
    const sixteenth = `${bornIn + 16}-${month}-01`;
    const dayBefore = new Date(Date.parse(sixteenth) - 86400_000).toISOString().slice(0, 10);
    const minorNumber = `430202${bornIn}${month}01124`;
    const minor = (await http(host.baseUrl, 'POST', '/api/v1/trainees', { name: '周九', idNumber: minorNumber + identityCheckCharacter(minorNumber), phone: '13800000000' }, staff)).body.id as string;
    const adult = (await http(host.baseUrl, 'POST', '/api/v1/trainees', { name: '吴十', idNumber: testIdentityNumber(4703), phone: '13800000000' }, staff)).body.id as string;
    for (const erased of [minor, adult]) expect((await http(host.baseUrl, 'DELETE', `/api/v1/trainees/${erased}/personal-data`, undefined, admin)).status).toBe(204);

    expect(await ask(minor, dayBefore, SECRET)).toMatchObject({ status: 200, body: { age: 'under_working_age' } });
    expect(await ask(minor, sixteenth, SECRET)).toMatchObject({ status: 404, body: { rule: AGE_UNKNOWN_RULE } });
    expect(await ask(adult, '2020-01-01', SECRET)).toMatchObject({ status: 404, body: { rule: AGE_UNKNOWN_RULE } });
    const kept = async () => (await host.app.get(Database).query('SELECT trainee_id FROM working_age_after_erasure WHERE trainee_id = ANY($1)', [[minor, adult]])).rows;
    expect(await kept()).toEqual([{ trainee_id: minor }]);

    // Once the day has come, nothing is kept.
    await host.app.get(Database).query("UPDATE working_age_after_erasure SET working_age_from = '2020-03-01' WHERE trainee_id = $1", [minor]);
    expect(await ask(minor, '2019-06-01', SECRET)).toMatchObject({ status: 404, body: { rule: AGE_UNKNOWN_RULE } });
    expect(await host.app.get(WorkingAgeAfterErasure).purgePassed()).toBeGreaterThanOrEqual(1);
    expect(await kept()).toEqual([]);
  });

  it('makes a service deployed apart answer 503 trainee_registry_unavailable, not "nothing known", when the secrets differ', async () => {
    // certification-service or placement-service, deployed apart: no answerer in its process.
    const apart = new TraineeAges();
    process.env.TRAINEE_SERVICE_URL = host.baseUrl;
    process.env.INTERNAL_API_SECRET = SECRET;
    expect(await apart.ageOn(trainee, '1980-01-01')).toBe('not_yet_born');
    expect(await apart.ageOn(randomUUID(), '1980-01-01')).toBe(NOT_REGISTERED);

    // The caller reads its secret as it sends the question; trainee-service reads its own as it answers, and
    // here that is another one: the two deployments disagree.
    const asked = apart.ageOn(trainee, '1980-01-01');
    process.env.INTERNAL_API_SECRET = 'a-rotated-secret';
    await expect(asked).rejects.toBeInstanceOf(TraineeRegistryUnavailable);
    await expect(asked).rejects.toMatchObject({ status: 503, response: { rule: 'trainee_registry_unavailable' } });
  });
});
