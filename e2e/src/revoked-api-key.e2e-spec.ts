// Revoking an API key stops the access tokens already got with it at once in every process (api.md
// "Identity and access"), not only new grants: identity-service and trainee-service as two hosts over real
// Kafka, each with its own database, trainee-service verifying tokens against identity-service's JWKS
// (IDENTITY_SERVICE_URL). The key's unexpired token is refused by identity-service at the revocation's
// commit, and by trainee-service once ApiKeyRevoked arrives there, on each of its replicas; a token of
// another key of the same user keeps working.
import { IdentityModule } from '@skills/identity-service';
import { bearer, createTestDatabase, describeWithKafka, http, kafkaBrokers, signInAs, startTestHost, TestDatabase, TestHost, waitFor } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { decodeJwt } from 'jose';
import { randomBytes, randomUUID } from 'node:crypto';

describeWithKafka('a revoked API key’s token is refused by a service deployed apart from identity', () => {
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
    identity = await startTestHost({ ...common, modules: [IdentityModule], clientId: `identity-service-revoked-key-${suffix}`, databaseUrl: databases[0].url });
    // trainee-service trusts identity-service's keys, as deployed; it reads the variable on its first token.
    process.env.IDENTITY_SERVICE_URL = identity.baseUrl;
    const traineeService = { ...common, modules: [TraineeModule], clientId: `trainee-service-revoked-key-${suffix}`, databaseUrl: databases[1].url };
    trainee = await startTestHost(traineeService);
    replica = await startTestHost(traineeService);
  }, 90_000);

  afterAll(async () => {
    await trainee?.close();
    await replica?.close();
    await identity?.close();
    for (const database of databases) await database.drop();
    // The hosts share this worker's environment: leave it as it was found.
    if (identityUrlBefore === undefined) delete process.env.IDENTITY_SERVICE_URL;
    else process.env.IDENTITY_SERVICE_URL = identityUrlBefore;
  }, 60_000);

  /** A new API key of the staff user, and an access token got with it (the client-credentials grant). */
  const keyToken = async (staffToken: string, name: string) => {
    const made = await http(identity.baseUrl, 'POST', '/api/v1/api-keys', { name }, bearer(staffToken));
    expect(made.status).toBe(201);
    const grant = await http(identity.baseUrl, 'POST', '/oauth/token', { grant_type: 'client_credentials', client_id: made.body.clientId, client_secret: made.body.clientSecret });
    expect(grant.status).toBe(200);
    return { clientId: made.body.clientId as string, token: grant.body.access_token as string };
  };

  it('refuses the revoked key’s unexpired token as api_key_revoked everywhere, and still serves another key’s', async () => {
    const staff = await signInAs(identity.baseUrl, { role: 'school_staff', organisationId: randomUUID() });
    const revoked = await keyToken(staff.token, 'leaked key');
    const kept = await keyToken(staff.token, 'import tool');
    // The token names its key: that is what each service refuses it by.
    expect(decodeJwt(revoked.token).client_id).toBe(revoked.clientId);
    const read = (token: string, host: TestHost) => http(host.baseUrl, 'GET', '/api/v1/imports', undefined, bearer(token));
    for (const host of [trainee, replica]) expect((await read(revoked.token, host)).status).toBe(200);
    expect((await http(identity.baseUrl, 'GET', '/api/v1/me', undefined, bearer(revoked.token))).status).toBe(200);

    expect((await http(identity.baseUrl, 'DELETE', `/api/v1/api-keys/${revoked.clientId}`, undefined, bearer(staff.token))).status).toBe(204);

    // The same token, far from its expiry: only the revocation can refuse it.
    expect((decodeJwt(revoked.token).exp ?? 0) * 1000).toBeGreaterThan(Date.now() + 60_000);
    // identity-service knows at the commit: no wait.
    expect(await http(identity.baseUrl, 'GET', '/api/v1/me', undefined, bearer(revoked.token))).toMatchObject({ status: 401, body: { reason: 'api_key_revoked' } });
    for (const host of [trainee, replica]) {
      const refused = await waitFor(
        async () => {
          const answer = await read(revoked.token, host);
          return answer.status === 401 ? answer : undefined;
        },
        { timeoutMs: 30_000, description: 'each replica of trainee-service to learn that the key was revoked' },
      );
      expect(refused.body).toMatchObject({ status: 401, reason: 'api_key_revoked' });
    }
    for (const host of [trainee, replica]) expect((await read(kept.token, host)).status).toBe(200);
    expect((await http(identity.baseUrl, 'GET', '/api/v1/me', undefined, bearer(kept.token))).status).toBe(200);
    // The user's own sign-in is not the key: it keeps working too.
    expect((await read(staff.token, trainee)).status).toBe(200);
  }, 60_000);
});
