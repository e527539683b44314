// A temporary password (set by an admin, to be changed at the first sign-in) holds in every service, not
// only in identity's: trainee-service deployed apart, verifying tokens against identity-service's JWKS
// (IDENTITY_SERVICE_URL), refuses such a user's token (403 password_change_required) until they chose
// their own password and signed in again.
import { IdentityModule } from '@skills/identity-service';
import { adminToken, bearer, createTestDatabase, describeWithKafka, http, kafkaBrokers, startTestHost, TestDatabase, TestHost, testIdentityNumber } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { randomBytes } from 'node:crypto';

describeWithKafka('a temporary password is enforced by a service deployed apart from identity', () => {
  const suffix = randomBytes(4).toString('hex');
  const identityUrlBefore = process.env.IDENTITY_SERVICE_URL;
  let databases: TestDatabase[] = [];
  let identity: TestHost;
  let trainee: TestHost;

  beforeAll(async () => {
    databases = await Promise.all([createTestDatabase(), createTestDatabase()]);
    const common = { transport: 'kafka' as const, kafkaBrokers: kafkaBrokers() };
    identity = await startTestHost({ ...common, modules: [IdentityModule], clientId: `identity-service-temporary-${suffix}`, databaseUrl: databases[0].url });
    // trainee-service trusts identity-service's keys, as deployed; it reads the variable on its first token.
    process.env.IDENTITY_SERVICE_URL = identity.baseUrl;
    trainee = await startTestHost({ ...common, modules: [TraineeModule], clientId: `trainee-service-temporary-${suffix}`, databaseUrl: databases[1].url });
  }, 90_000);

  afterAll(async () => {
    await trainee?.close();
    await identity?.close();
    for (const database of databases) await database.drop();
    // Both hosts share this worker's environment: leave it as it was found.
    if (identityUrlBefore === undefined) delete process.env.IDENTITY_SERVICE_URL;
    else process.env.IDENTITY_SERVICE_URL = identityUrlBefore;
  }, 60_000);

  it('refuses the token of a user whose password is temporary (403 password_change_required), and serves them once they chose their own', async () => {
    const admin = bearer(await adminToken(identity.baseUrl));
    const username = `temporary.${suffix}`;
    const created = await http(identity.baseUrl, 'POST', '/api/v1/users', { username, password: 'handed-over-password', role: 'platform_admin', temporaryPassword: true }, admin);
    expect(created.status).toBe(201);
    const signIn = async (password: string) => (await http(identity.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username, password })).body.access_token as string;
    const register = (accessToken: string, serial: number) =>
      http(trainee.baseUrl, 'POST', '/api/v1/trainees', { name: '钱临时', idNumber: testIdentityNumber(serial), phone: '13800000000' }, bearer(accessToken));

    const temporary = await signIn('handed-over-password');
    expect(await register(temporary, 9311)).toMatchObject({
      status: 403,
      body: { type: 'urn:skills:forbidden', status: 403, rule: 'password_change_required', permission: 'trainees:register' },
    });
    expect((await http(trainee.baseUrl, 'GET', '/api/v1/trainees', undefined, bearer(temporary))).body).toMatchObject({ status: 403, rule: 'password_change_required' });

    const changed = await http(identity.baseUrl, 'POST', `/api/v1/users/${created.body.id}/password`, { password: 'chosen-by-myself', currentPassword: 'handed-over-password' }, bearer(temporary));
    expect(changed.status).toBe(200);
    expect((await register(await signIn('chosen-by-myself'), 9312)).status).toBe(201);
  }, 60_000);
});
