// A registration refused because the identity number is registered names the holder (existingId) only to
// whoever could find or read them anyway: a caller sending the holder's name (as the lookup matches it), or
// one related to them. Anyone else, knowing a number alone, learns it is registered under another name,
// never whose: with the id they could enrol or hire the person and so read them in full (domain.md section 9).
import { bearer, createTestDatabase, http, startTestHost, TestDatabase, TestHost, testIdentityNumber, testIssuer } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { TraineeModule } from '../../trainee.module';

describe('the holder of a registered identity number, named only to who may find them', () => {
  let database: TestDatabase;
  let host: TestHost;
  let sql: Client;
  let issuer: Awaited<ReturnType<typeof testIssuer>>;
  const idNumber = testIdentityNumber(9311);
  const registrar = randomUUID();
  let holder: string;

  const staffOf = async (organisationId: string, role: 'school_staff' | 'employer_staff' = 'school_staff') => {
    const userId = randomUUID();
    return { userId, headers: bearer(await issuer.token({ role, organisationId, userId })) };
  };
  const register = (name: string, headers: Record<string, string>) => http(host.baseUrl, 'POST', '/api/v1/trainees', { name, idNumber, phone: '13800000009' }, headers);

  beforeAll(async () => {
    issuer = await testIssuer();
    database = await createTestDatabase();
    host = await startTestHost({ modules: [TraineeModule], transport: 'in-process', databaseUrl: database.url });
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    const created = await register('王小明', (await staffOf(registrar)).headers);
    expect(created.status).toBe(201);
    holder = created.body.id;
  });

  afterAll(async () => {
    await sql?.end();
    await host?.close();
    await database?.drop();
  });

  it('answers a stranger who sends another name 409 without the id, saying it is registered under another name, counted as a lookup that found nobody', async () => {
    const stranger = await staffOf(randomUUID());
    const refused = await register('随便写', stranger.headers);
    expect(refused).toMatchObject({ status: 409, body: { rule: 'identity_number_registered' } });
    expect(refused.body).not.toHaveProperty('existingId');
    expect(refused.body.detail).toContain('under another name');
    expect(JSON.stringify(refused.body)).not.toContain(holder);
    expect(JSON.stringify(refused.body)).not.toContain(registrar);
    expect(JSON.stringify(refused.body)).not.toContain('王');
    expect((await sql.query('SELECT trainee_id FROM trainee.trainee_lookups WHERE user_id = $1', [stranger.userId])).rows).toEqual([{ trainee_id: null }]);
    // Nor does it make them related: the holder is still not theirs to read.
    expect((await http(host.baseUrl, 'GET', `/api/v1/trainees/${holder}`, undefined, stranger.headers)).status).toBe(404);
  });

  it('names the holder to a stranger who sends their name, as the lookup would (case, width and spaces aside)', async () => {
    const stranger = await staffOf(randomUUID(), 'employer_staff');
    expect(await register('王 小明', stranger.headers)).toMatchObject({ status: 409, body: { rule: 'identity_number_registered', existingId: holder } });
    expect((await sql.query('SELECT trainee_id FROM trainee.trainee_lookups WHERE user_id = $1', [stranger.userId])).rows).toEqual([{ trainee_id: holder }]);
  });

  it('names the holder to a related organisation and to the platform admin, whatever name they send', async () => {
    expect(await register('另一人', (await staffOf(registrar)).headers)).toMatchObject({ status: 409, body: { existingId: holder } });
    // An employer that hired them, related by TraineeHired (recorded here as its consumer records it).
    const employer = randomUUID();
    await sql.query('INSERT INTO trainee.trainee_relations (trainee_id, organisation_id) VALUES ($1, $2)', [holder, employer]);
    expect(await register('另一人', (await staffOf(employer, 'employer_staff')).headers)).toMatchObject({ status: 409, body: { existingId: holder } });
    expect(await register('另一人', bearer(await issuer.token({ role: 'platform_admin' })))).toMatchObject({ status: 409, body: { existingId: holder } });
  });
});
