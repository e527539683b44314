// A user of an outside OpenID Connect provider is named by its token's subject, which need not be a UUID
// (`auth0|…`, a number): their lookups, and registrations refused for a registered number (counted as
// lookups), are answered and recorded like anyone's.
import { bearer, createTestDatabase, http, startTestHost, TestDatabase, TestHost, testIdentityNumber, testIssuer } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { TraineeModule } from '../../trainee.module';

describe('lookups by a user whose id is no UUID', () => {
  let database: TestDatabase;
  let host: TestHost;
  let issuer: Awaited<ReturnType<typeof testIssuer>>;
  const idNumber = testIdentityNumber(9201);

  beforeAll(async () => {
    issuer = await testIssuer();
    database = await createTestDatabase();
    host = await startTestHost({ modules: [TraineeModule], transport: 'in-process', databaseUrl: database.url });
    const admin = bearer(await issuer.token({ role: 'platform_admin' }));
    expect((await http(host.baseUrl, 'POST', '/api/v1/trainees', { name: '外部用户', idNumber, phone: '13800000000' }, admin)).status).toBe(201);
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  it('answers their lookup and their registration of a registered number as for anyone', async () => {
    const outsider = bearer(await issuer.token({ role: 'school_staff', organisationId: randomUUID(), userId: 'auth0|5f0c2d8e91' }));
    expect(await http(host.baseUrl, 'POST', '/api/v1/trainees/lookup', { idNumber, name: '外部用户' }, outsider)).toMatchObject({ status: 200, body: { id: expect.any(String) } });
    expect(await http(host.baseUrl, 'POST', '/api/v1/trainees', { name: '外部用户', idNumber, phone: '13800000001' }, outsider)).toMatchObject({ status: 409, body: { rule: 'identity_number_registered' } });
  });
});
