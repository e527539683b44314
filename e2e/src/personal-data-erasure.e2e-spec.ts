// Erasure under PIPL without rewriting the log: after DELETE …/personal-data, neither any HTTP answer
// nor any row of any table in the database (events, outbox, read models, inbox, idempotency keys, users,
// the audit log…) holds the trainee's name, identity number (whole or masked) or phone; counts and the
// archive stay. The person's own account, whose username is their phone number, goes with it.
import { IdentityModule } from '@skills/identity-service';
import { ServiceRegistry } from '@skills/service-runtime';
import { adminToken, bearer, createTestDatabase, http, signInAs, startTestHost, TestDatabase, TestHost, testIdentityNumber, TestUser, waitFor } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { TrainingModule } from '@skills/training-service';
import { CertificationModule } from '@skills/certification-service';
import { PlacementModule } from '@skills/placement-service';
import { Client } from 'pg';
import { runArchiveScenario } from './archive-scenario';

describe('erasing a trainee’s personal data (all in one process)', () => {
  let database: TestDatabase;
  let host: TestHost;
  let sql: Client;
  /** The platform admin: /admin/*, and erasure. */
  let admin: Record<string, string>;
  /** Users signed in through the identity module of the host, as people do. */
  const tokenFor = async (user: TestUser) => (user.role === 'platform_admin' ? adminToken(host.baseUrl) : (await signInAs(host.baseUrl, user)).token);

  const person = { name: '欧阳娜娜', idNumber: testIdentityNumber(4242), phone: '13912345678' };
  const masked = `${person.idNumber.slice(0, 6)}********${person.idNumber.slice(14)}`;
  const secrets = [person.name, person.idNumber, masked, person.phone];
  /** Certificate verification shows the masked name (欧***) until the erasure reaches certification. */
  const maskedName = '欧***';
  /**
   * What the identity number tells, in the forms it could be stored in: the birth date and the gender,
   * looked for in every row about the trainee; the region (430202, which organisations' rows hold too)
   * in the trainee's own events. The registration message still names the region, for the distribution
   * by region (TraineeRegisteredV3 says why); the replicas drop it on erasure (checked below).
   */
  const birth = person.idNumber.slice(6, 14);
  const derived = [birth, `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`, `${birth.slice(0, 4)}/${birth.slice(4, 6)}/${birth.slice(6)}`, 'male', '"gender"', 'birth'];
  const region = person.idNumber.slice(0, 6);

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: [IdentityModule, TraineeModule, TrainingModule, CertificationModule, PlacementModule], transport: 'in-process', databaseUrl: database.url, replicaWaitMs: 5000 });
    admin = bearer(await adminToken(host.baseUrl));
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await host?.close();
    await database?.drop();
  });

  /** Every row of every table in every schema, as text, that contains one of the secrets. */
  async function rowsHoldingSecrets(also: string[] = []): Promise<string[]> {
    const { rows: tables } = await sql.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    expect(tables.map((table) => table.name)).toEqual(
      expect.arrayContaining(['events', 'outbox', 'inbox', 'trainee_archive', 'trainee_directory', 'known_trainees', 'username_claims', 'audit_entries', 'activation_codes']),
    );
    const found: string[] = [];
    for (const { schema, name } of tables) {
      const { rows } = await sql.query<{ row: string }>(`SELECT t::text AS row FROM "${schema}"."${name}" t`);
      for (const { row } of rows) if ([...secrets, ...also].some((secret) => row.includes(secret))) found.push(`${schema}.${name}: ${row.slice(0, 200)}`);
    }
    return found;
  }

  /** Rows about the trainee (their events, outbox and inbox messages, replicas) holding birth date, gender or region in clear. */
  async function rowsAboutTraineeHoldingDerived(traineeId: string): Promise<string[]> {
    const { rows: tables } = await sql.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    const found: string[] = [];
    for (const { schema, name } of tables) {
      const { rows } = await sql.query<{ row: string }>(`SELECT t::text AS row FROM "${schema}"."${name}" t WHERE t::text LIKE $1`, [`%${traineeId}%`]);
      const ownEvent = (row: string) => name === 'events' && row.includes(`trainee-${traineeId}`);
      for (const { row } of rows) if (derived.some((value) => row.toLowerCase().includes(value)) || (ownEvent(row) && row.includes(region))) found.push(`${schema}.${name}: ${row.slice(0, 300)}`);
    }
    return found;
  }

  it('shows the personal data before, and nowhere after, while everything else still works', async () => {
    const { archive: before, traineeId: otherTrainee } = await runArchiveScenario({ trainee: host.baseUrl, training: host.baseUrl }, 5000, tokenFor);
    // The scenario's school registers the person, schedules their course, enrols them, records the
    // result and reads what it is related to; the trainee erases their own data.
    const school = bearer(await tokenFor({ role: 'school_staff', organisationId: before.entries[0].providerId }));
    const registered = await http(host.baseUrl, 'POST', '/api/v1/trainees', { ...person, categories: ['rural_migrant'] }, school);
    expect(registered.status).toBe(201);
    const traineeId = registered.body.id as string;
    const course = await http(host.baseUrl, 'POST', '/api/v1/courses', {
      providerId: before.entries[0].providerId,
      title: '家政服务员',
      occupationCode: '4-10-01-01',
      kind: 'skill',
      capacity: 5,
      startDate: '2021-03-01',
      endDate: '2021-04-30',
    }, school);
    expect((await http(host.baseUrl, 'POST', `/api/v1/courses/${course.body.id}/enrollments`, { traineeId, enrolledOn: '2021-03-01' }, school)).status).toBe(201);
    expect((await http(host.baseUrl, 'POST', `/api/v1/courses/${course.body.id}/assessments`, { traineeId, passed: true, score: 90, assessedOn: '2021-04-30' }, school)).status).toBe(201);

    await waitFor(async () => (await http(host.baseUrl, 'GET', `/api/v1/trainees/${traineeId}/archive`, undefined, school)).body.entries.length === 2, { description: 'the enrolment and the result to reach the archive' });
    const shown = await http(host.baseUrl, 'GET', `/api/v1/trainees/${traineeId}`, undefined, school);
    expect(shown.body).toMatchObject({ name: person.name, idNumberMasked: masked, phone: person.phone, personalDataErased: false });

    // The person makes their own account with a code from the school, their phone number as the username.
    const code = await http(host.baseUrl, 'POST', `/api/v1/trainees/${traineeId}/activation-codes`, undefined, school);
    expect(code.status).toBe(201);
    const password = 'my-own-password-2021';
    const activated = await http(host.baseUrl, 'POST', '/api/v1/users/activate', { code: code.body.code, username: person.phone, password });
    expect(activated.status).toBe(201);
    const traineeUserId = activated.body.id as string;
    const signIn = () => http(host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username: person.phone, password });
    // A mistyped password first: the failure is counted by the username's hash, never its text (the scan below).
    expect(await http(host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username: person.phone, password: 'my-own-passwrod-2021' })).toMatchObject({ status: 401 });
    const failures = async () => Number((await sql.query<{ n: string }>("SELECT count(*) AS n FROM identity.sign_in_failures WHERE subject = 'user:' || encode(sha256(convert_to($1, 'UTF8')), 'hex')", [person.phone])).rows[0].n);
    expect(await failures()).toBe(1);
    const signedIn = await signIn();
    expect(signedIn.status).toBe(200);
    const own = bearer(signedIn.body.access_token);
    expect((await http(host.baseUrl, 'GET', `/api/v1/trainees/${traineeId}`, undefined, own)).body).toMatchObject({ name: person.name });

    // Before erasure the data exists only sealed, and the username in the claims table alone (it is the phone).
    await host.app.get(ServiceRegistry).get('trainee')!.projections.caughtUp();
    expect(await rowsHoldingSecrets()).toEqual([expect.stringMatching(/^identity\.username_claims: /)]);
    // Registration wrote birth date, gender and region nowhere in clear: events, outbox, inbox, replicas.
    expect(await rowsAboutTraineeHoldingDerived(traineeId)).toEqual([]);
    expect(shown.body).toMatchObject({ birthDate: derived[1], regionCode: '430202', gender: expect.stringMatching(/^(fe)?male$/) });
    // The reads of the full record were audited, by ids only.
    const audited = await sql.query<{ n: string }>('SELECT count(*) AS n FROM identity.audit_entries WHERE resource LIKE $1', [`%${traineeId}%`]);
    expect(Number(audited.rows[0].n)).toBeGreaterThan(0);

    // The trainee asks for the erasure with their own token.
    const erased = await http(host.baseUrl, 'DELETE', `/api/v1/trainees/${traineeId}/personal-data`, undefined, own);
    expect(erased.status).toBe(204);

    const answers = [
      await http(host.baseUrl, 'GET', `/api/v1/trainees/${traineeId}`, undefined, school),
      await http(host.baseUrl, 'GET', `/api/v1/trainees/${traineeId}/archive`, undefined, school),
      await http(host.baseUrl, 'GET', `/api/v1/courses/${course.body.id}`, undefined, school),
      await http(host.baseUrl, 'GET', '/admin/projections', undefined, admin),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      for (const secret of secrets) expect(JSON.stringify(answer.body)).not.toContain(secret);
    }
    const [trainee, archive, courseAfter] = answers.map((answer) => answer.body);
    expect(trainee).toMatchObject({ id: traineeId, name: null, idNumberMasked: null, phone: null, birthDate: null, gender: null, regionCode: null, personalDataErased: true, categories: [] });
    for (const answer of answers) for (const value of derived.slice(0, 3)) expect(JSON.stringify(answer.body)).not.toContain(value);
    expect(archive.entries.map((entry: { kind: string }) => entry.kind)).toEqual(['enrolled', 'assessed']);
    expect(courseAfter).toMatchObject({ enrolled: 1 });
    await waitFor(async () => (await rowsHoldingSecrets([maskedName])).length === 0, { description: 'the erasure to reach certification and identity' });
    expect(await rowsHoldingSecrets([maskedName])).toEqual([]);
    expect(await rowsAboutTraineeHoldingDerived(traineeId)).toEqual([]);
    // The replicas dropped the region with the masked name.
    const replicas = await sql.query(`SELECT region_code, name_masked, working_age_from FROM certification.known_trainees WHERE trainee_id = $1`, [traineeId]);
    expect(replicas.rows).toEqual([{ region_code: null, name_masked: null, working_age_from: null }]);
    // Their account went with it: the token is refused at once, the username (their phone) is gone, and
    // so are the failed sign-ins under it.
    expect(await http(host.baseUrl, 'GET', '/api/v1/me', undefined, own)).toMatchObject({ status: 401, body: { reason: 'user_disabled' } });
    expect(await failures()).toBe(0);
    expect(await signIn()).toMatchObject({ status: 401, body: { rule: 'invalid_grant' } });
    // That attempt is a failure under the hash, and no table holds the phone it was made with.
    expect(await failures()).toBe(1);
    expect(await rowsHoldingSecrets([maskedName])).toEqual([]);

    // Who erased is recorded with the event: the caller, as the token names them.
    const { rows } = await sql.query(`SELECT metadata->'actor' AS actor FROM trainee.events WHERE event_type = 'PersonalDataErased' AND stream_id = $1`, [`trainee-${traineeId}`]);
    expect(rows).toEqual([{ actor: { userId: traineeUserId, role: 'trainee', organisationId: null, via: 'token' } }]);
    // Erasing again (the platform admin, this time) changes nothing; the other trainee is untouched.
    expect((await http(host.baseUrl, 'DELETE', `/api/v1/trainees/${traineeId}/personal-data`, undefined, admin)).status).toBe(204);
    expect((await http(host.baseUrl, 'GET', `/api/v1/trainees/${otherTrainee}`, undefined, school)).body).toMatchObject({ personalDataErased: false, name: expect.stringContaining('档案学员') });
    // Not even the keyed hash of the number is kept: the person may register again, as someone new.
    const again = await http(host.baseUrl, 'POST', '/api/v1/trainees', person, school);
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(traineeId);
  });

  it('answers 404 for an unknown trainee and 400 for an id that is not a UUID', async () => {
    expect((await http(host.baseUrl, 'DELETE', '/api/v1/trainees/00000000-0000-4000-8000-000000000000/personal-data', undefined, admin)).status).toBe(404);
    expect((await http(host.baseUrl, 'DELETE', '/api/v1/trainees/not-a-uuid/personal-data', undefined, admin)).status).toBe(400);
  });
});
