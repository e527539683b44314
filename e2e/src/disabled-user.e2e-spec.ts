// Disabling a user ends their sessions at once in every process (api.md "Identity and access"), not only
// in identity-service's: identity-service and trainee-service as two hosts over real Kafka, each with its
// own database, trainee-service verifying tokens against identity-service's JWKS (IDENTITY_SERVICE_URL).
// The access token a user still holds, unexpired, stops working on trainee-service once UserDisabled
// arrives there, on each of its replicas (a Kafka message reaches one of them); another user's token
// keeps working.
import { IdentityModule } from '@skills/identity-service';
import { adminToken, bearer, createTestDatabase, describeWithKafka, http, kafkaBrokers, signInAs, startTestHost, TestDatabase, TestHost, testIdentityNumber, waitFor } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { decodeJwt } from 'jose';
import { randomBytes } from 'node:crypto';

describeWithKafka('a disabled user is refused by a service deployed apart from identity', () => {
  const suffix = randomBytes(4).toString('hex');
  const identityUrlBefore = process.env.IDENTITY_SERVICE_URL;
  let databases: TestDatabase[] = [];
  let identity: TestHost;
  let trainee: TestHost;
  /** A second replica of trainee-service: the same database and consumer group. */
  let replica: TestHost;

  beforeAll(async () => {
    databases = await Promise.all([createTestDatabase(), createTestDatabase()]);
    const common = { transport: 'kafka' as const, kafkaBrokers: kafkaBrokers() };
    identity = await startTestHost({ ...common, modules: [IdentityModule], clientId: `identity-service-disabled-${suffix}`, databaseUrl: databases[0].url });
    // trainee-service trusts identity-service's keys, as deployed; it reads the variable on its first token.
    process.env.IDENTITY_SERVICE_URL = identity.baseUrl;
    const traineeService = { ...common, modules: [TraineeModule], clientId: `trainee-service-disabled-${suffix}`, databaseUrl: databases[1].url };
    trainee = await startTestHost(traineeService);
    replica = await startTestHost(traineeService);
  }, 90_000);

  afterAll(async () => {
    await trainee?.close();
    await replica?.close();
    await identity?.close();
    for (const database of databases) await database.drop();
    // Both hosts share this worker's environment: leave it as it was found.
    if (identityUrlBefore === undefined) delete process.env.IDENTITY_SERVICE_URL;
    else process.env.IDENTITY_SERVICE_URL = identityUrlBefore;
  }, 60_000);

  it('refuses the disabled user’s unexpired access token as user_disabled, and still serves another user', async () => {
    const leaving = await signInAs(identity.baseUrl, { role: 'platform_admin' });
    const staying = await signInAs(identity.baseUrl, { role: 'platform_admin' });
    const registered = await http(trainee.baseUrl, 'POST', '/api/v1/trainees', { name: '赵离职', idNumber: testIdentityNumber(9301), phone: '13800000000' }, bearer(leaving.token));
    expect(registered.status).toBe(201);
    const read = (token: string, host = trainee) => http(host.baseUrl, 'GET', `/api/v1/trainees/${registered.body.id}`, undefined, bearer(token));
    expect((await read(leaving.token)).status).toBe(200);
    expect((await read(leaving.token, replica)).status).toBe(200);

    const admin = bearer(await adminToken(identity.baseUrl));
    expect(await http(identity.baseUrl, 'POST', `/api/v1/users/${leaving.userId}/disable`, undefined, admin)).toMatchObject({ status: 200, body: { status: 'disabled' } });

    // The same token, far from its expiry: only the disabling can refuse it.
    expect((decodeJwt(leaving.token).exp ?? 0) * 1000).toBeGreaterThan(Date.now() + 60_000);
    for (const host of [trainee, replica]) {
      const refused = await waitFor(
        async () => {
          const answer = await read(leaving.token, host);
          return answer.status === 401 ? answer : undefined;
        },
        { timeoutMs: 30_000, description: 'each replica of trainee-service to learn that the user was disabled' },
      );
      expect(refused.body).toMatchObject({ status: 401, reason: 'user_disabled' });
    }
    expect((await http(trainee.baseUrl, 'POST', '/api/v1/trainees', { name: '赵离职', idNumber: testIdentityNumber(9302), phone: '13800000000' }, bearer(leaving.token))).status).toBe(401);
    expect((await read(staying.token)).status).toBe(200);
    expect((await read(staying.token, replica)).status).toBe(200);
  }, 60_000);
});
