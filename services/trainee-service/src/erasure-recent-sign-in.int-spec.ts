// An erasure cannot be undone: a session left open on a shared or stolen phone, or a token outliving the
// password change that ended its session, must not erase long after its sign-in. The tokens are real ones
// (the test issuer's, checked as identity-service's are) whose auth_time is more or less than ten minutes ago.
import { bearer, columnOf, createTestDatabase, http, startTestHost, TestDatabase, TestHost, TestIssuer, testIdentityNumber, testIssuer } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { TraineeModule } from './trainee.module';

const MINUTE_MS = 60_000;

describe('erasing personal data needs a sign-in of the last ten minutes', () => {
  let database: TestDatabase;
  let host: TestHost;
  let issuer: TestIssuer;
  let n = 7600;
  const school = randomUUID();
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * MINUTE_MS);

  const register = async () => {
    const staff = bearer(await issuer.token({ role: 'school_staff', organisationId: school }));
    const created = await http(host.baseUrl, 'POST', '/api/v1/trainees', { name: '赵六', idNumber: testIdentityNumber(n++), phone: '13800000000' }, staff);
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const erase = (traineeId: string, token: string) => http(host.baseUrl, 'DELETE', `/api/v1/trainees/${traineeId}/personal-data`, undefined, bearer(token));
  const erasures = (traineeId: string) => columnOf(database.url, `SELECT event_type AS value FROM trainee.events WHERE stream_id = 'trainee-${traineeId}' AND event_type = 'PersonalDataErased'`);
  const profileOf = async (traineeId: string) => (await http(host.baseUrl, 'GET', `/api/v1/trainees/${traineeId}`, undefined, bearer(await issuer.token({ role: 'platform_admin' })))).body;

  beforeAll(async () => {
    issuer = await testIssuer();
    database = await createTestDatabase();
    host = await startTestHost({ modules: [TraineeModule], transport: 'in-process', databaseUrl: database.url, replicaWaitMs: 1000 });
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  it('refuses the trainee and a platform admin alike 403 recent_sign_in_required with a sign-in eleven minutes old, erasing nothing', async () => {
    const traineeId = await register();
    const staleTrainee = await issuer.token({ role: 'trainee', traineeId, userId: randomUUID(), signedInAt: minutesAgo(11) });
    const staleAdmin = await issuer.token({ role: 'platform_admin', userId: randomUUID(), signedInAt: minutesAgo(11) });
    for (const token of [staleTrainee, staleAdmin]) {
      expect(await erase(traineeId, token)).toMatchObject({ status: 403, body: { rule: 'recent_sign_in_required', permission: 'trainees:erase-personal-data' } });
    }
    expect(await erasures(traineeId)).toEqual([]);
    expect(await profileOf(traineeId)).toMatchObject({ name: '赵六', phone: '13800000000', personalDataErased: false });
  });

  it('refuses a token got with an API key, whose auth_time is its own request and no sign-in', async () => {
    const traineeId = await register();
    const keyToken = await issuer.token({ role: 'platform_admin', userId: randomUUID(), via: 'apiKey' });
    expect(await erase(traineeId, keyToken)).toMatchObject({ status: 403, body: { rule: 'recent_sign_in_required' } });
    expect(await erasures(traineeId)).toEqual([]);
  });

  it('erases with a sign-in of the last ten minutes, the trainee’s own or a platform admin’s', async () => {
    const own = await register();
    expect((await erase(own, await issuer.token({ role: 'trainee', traineeId: own, userId: randomUUID(), signedInAt: minutesAgo(9) }))).status).toBe(204);
    expect(await erasures(own)).toEqual(['PersonalDataErased']);
    const byAdmin = await register();
    expect((await erase(byAdmin, await issuer.token({ role: 'platform_admin', userId: randomUUID(), signedInAt: minutesAgo(1) }))).status).toBe(204);
    expect(await profileOf(byAdmin)).toMatchObject({ name: null, personalDataErased: true });
  });
});
