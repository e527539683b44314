// Finding a person to certify or hire (api.md Trainees, domain.md section 9): the exact identity number
// and the exact name give the id and the masked name; anything else is a 404 that says nothing; every
// lookup is recorded without personal data, and a user's lookups are limited; a registration refused
// for a registered number, whose answer names the holder, counts as one.
import { IdentityModule } from '@skills/identity-service';
import { adminToken, bearer, createTestDatabase, http, signInAs, startTestHost, TestDatabase, TestHost, testIdentityNumber } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

describe('looking a trainee up by identity number and name', () => {
  let database: TestDatabase;
  let host: TestHost;
  let evaluator: { token: string; userId: string };
  const idNumber = testIdentityNumber(9101);

  const lookup = (body: unknown, token?: string) => http(host.baseUrl, 'POST', '/api/v1/trainees/lookup', body, token ? bearer(token) : {});

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: [IdentityModule, TraineeModule], transport: 'in-process', databaseUrl: database.url });
    // The platform admin registers the person (trainees:register).
    expect((await http(host.baseUrl, 'POST', '/api/v1/trainees', { name: '王小明', idNumber, phone: '13800000000' }, bearer(await adminToken(host.baseUrl)))).status).toBe(201);
    evaluator = await signInAs(host.baseUrl, { role: 'evaluator_staff', organisationId: randomUUID() });
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  it('answers the id and the masked name for the exact number and name', async () => {
    const found = await lookup({ idNumber, name: '王小明' }, evaluator.token);
    expect(found).toMatchObject({ status: 200, body: { id: expect.any(String), nameMasked: '王**' } });
    expect(Object.keys(found.body).sort()).toEqual(['id', 'nameMasked']);
  });

  it('answers a wrong name exactly like an unknown number', async () => {
    const wrongName = await lookup({ idNumber, name: '王大明' }, evaluator.token);
    const unknown = await lookup({ idNumber: testIdentityNumber(9102), name: '王小明' }, evaluator.token);
    expect(wrongName.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(wrongName.body).toEqual(unknown.body);
  });

  it('takes the name however it is typed, as the search finds it: case, width, spaces and the dot of a transliterated name aside', async () => {
    const admin = bearer(await adminToken(host.baseUrl));
    const people = { 'Ali Hasan': testIdentityNumber(9103), '买买提·艾力': testIdentityNumber(9104) };
    for (const [name, number] of Object.entries(people)) expect((await http(host.baseUrl, 'POST', '/api/v1/trainees', { name, idNumber: number, phone: '13800000000' }, admin)).status).toBe(201);
    const asker = await signInAs(host.baseUrl, { role: 'evaluator_staff', organisationId: randomUUID() });
    const status = async (idNumber: string, name: string) => (await lookup({ idNumber, name }, asker.token)).status;
    expect([await status(people['Ali Hasan'], 'ali hasan'), await status(people['Ali Hasan'], 'ＡＬＩ　ＨＡＳＡＮ'), await status(people['Ali Hasan'], 'Ali Hassan')]).toEqual([200, 200, 404]);
    expect([await status(people['买买提·艾力'], '买买提•艾力'), await status(people['买买提·艾力'], '买买提.艾力'), await status(people['买买提·艾力'], '买买提艾力')]).toEqual([200, 200, 404]);
  });

  it('needs a token (401) and a staff role that may look people up (403 naming trainees:lookup)', async () => {
    expect((await lookup({ idNumber, name: '王小明' })).status).toBe(401);
    const trainee = await signInAs(host.baseUrl, { role: 'trainee', traineeId: randomUUID() });
    expect(await lookup({ idNumber, name: '王小明' }, trainee.token)).toMatchObject({ status: 403, body: { permission: 'trainees:lookup' } });
  });

  it('records every lookup with who asked, and nothing of the person asked about', async () => {
    const sql = new Client({ connectionString: database.url });
    await sql.connect();
    try {
      const { rows } = await sql.query('SELECT user_id, actor, trainee_id FROM trainee.trainee_lookups WHERE user_id = $1 ORDER BY id', [evaluator.userId]);
      expect(rows.length).toBeGreaterThanOrEqual(3);
      expect(rows[0]).toMatchObject({ actor: { userId: evaluator.userId, role: 'evaluator_staff', via: 'token' }, trainee_id: expect.any(String) });
      expect(rows[1].trainee_id).toBeNull();
      const stored = JSON.stringify(rows);
      expect(stored).not.toContain(idNumber);
      expect(stored).not.toContain('王');
    } finally {
      await sql.end();
    }
  });

  it('counts a registration refused for a registered number as a lookup by number (its answer names the holder): recorded, and past the limit 429 without the id', async () => {
    const school = await signInAs(host.baseUrl, { role: 'school_staff', organisationId: randomUUID() });
    // With the holder's name, as the lookup finds them: another name would be told only that the number is registered.
    const register = () => http(host.baseUrl, 'POST', '/api/v1/trainees', { name: '王小明', idNumber, phone: '13800000001' }, bearer(school.token));
    const refused = await register();
    expect(refused).toMatchObject({ status: 409, body: { rule: 'identity_number_registered', existingId: expect.any(String) } });
    const sql = new Client({ connectionString: database.url });
    await sql.connect();
    try {
      const { rows } = await sql.query('SELECT trainee_id FROM trainee.trainee_lookups WHERE user_id = $1', [school.userId]);
      expect(rows).toEqual([{ trainee_id: refused.body.existingId }]);
    } finally {
      await sql.end();
    }
    // With the lookups proper, 60 in the hour; the next such registration is refused without the id.
    for (let n = 1; n < 60; n++) expect((await lookup({ idNumber, name: '王小明' }, school.token)).status).toBe(200);
    const limited = await register();
    expect(limited).toMatchObject({ status: 429, body: { rule: 'too_many_lookups' } });
    expect(JSON.stringify(limited.body)).not.toContain(refused.body.existingId);
    // A number nobody holds registers as ever: nothing was found by it.
    expect((await http(host.baseUrl, 'POST', '/api/v1/trainees', { name: '新学员', idNumber: testIdentityNumber(9105), phone: '13800000002' }, bearer(school.token))).status).toBe(201);
  });

  it('keeps the limit for lookups made at once: of 70 at the same time, 60 are answered and 10 refused', async () => {
    const hurried = await signInAs(host.baseUrl, { role: 'evaluator_staff', organisationId: randomUUID() });
    const statuses = await Promise.all(Array.from({ length: 70 }, () => lookup({ idNumber, name: '王小明' }, hurried.token).then((answer) => answer.status)));
    expect(statuses.filter((status) => status === 200)).toHaveLength(60);
    expect(statuses.filter((status) => status === 429)).toHaveLength(10);
  });

  it('limits one user to 60 lookups an hour (429 with Retry-After)', async () => {
    const employer = await signInAs(host.baseUrl, { role: 'employer_staff', organisationId: randomUUID() });
    for (let n = 0; n < 60; n++) expect((await lookup({ idNumber, name: '王小明' }, employer.token)).status).toBe(200);
    const limited = await lookup({ idNumber, name: '王小明' }, employer.token);
    expect(limited).toMatchObject({ status: 429, body: { rule: 'too_many_lookups' } });
    expect(limited.headers.get('retry-after')).toBe('3600');
  });
});
