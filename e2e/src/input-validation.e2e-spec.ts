// Every kind of input a client can get wrong, on the six services in one host (issue 13): characters a
// database cannot store, blank text, nesting, content types, numbers by value and by column, nested
// objects, business dates and the facts they relate to, path ids. Each is answered 4xx naming the field
// and the rule, and writes nothing: no service's event store holds one event more afterwards.
import { adminToken, bearer, createTestDatabase, http, signInAs, startTestHost, TestDatabase, TestHost, testCreditCode, testIdentityNumber } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ALL_SERVICES } from './declared-routes';

const WELDER = '6-18-02-04';
const POLICY = { windowStart: '2020-11-01', windowEnd: '2021-09-30', minTrained: 0, minPassRate: 0, minEmploymentRate: 0, requiresEthicsTraining: false };

interface Fixtures {
  admin: string;
  bureau: string;
  provider: { id: string; creditCode: string };
  employer: { id: string; creditCode: string };
  evaluatorId: string;
  school: string;
  employerStaff: string;
  evaluatorStaff: string;
  bureauOfficer: string;
  trainee: string;
  course: string;
  placement: string;
  certificate: string;
}

describe('input validation: every input answered as the contract says, nothing written', () => {
  let database: TestDatabase;
  let host: TestHost;
  let events: Client;
  let f: Fixtures;
  let serial = 0;

  const call = (token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => http(host.baseUrl, method, path, body, { ...bearer(token), ...headers });
  const made = async (token: string, path: string, body: unknown) => {
    const answer = await call(token, 'POST', path, body);
    if (answer.status !== 201) throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  /** Events of every service's store recorded under this correlation id (the pipeline puts it into each event's metadata). */
  const eventsOf = async (correlationId: string) => {
    const { rows } = await events.query<{ table_schema: string }>("SELECT table_schema FROM information_schema.tables WHERE table_name = 'events'");
    // One query for every store: a pg client runs one query at a time.
    const counts = rows.map(({ table_schema }) => `SELECT count(*) FROM "${table_schema}".events WHERE metadata->>'correlationId' = $1`);
    return counts.length === 0 ? 0 : Number((await events.query(`SELECT sum(count) AS count FROM (${counts.join(' UNION ALL ')}) per_store`, [correlationId])).rows[0].count);
  };
  /** The request is answered `status` with `{field, rule}` among its errors (or as its rule), and no event is written for it. */
  const refused = async (request: (headers: Record<string, string>) => Promise<{ status: number; body: unknown; headers: Headers }>, status: number, expected: { field?: string; rule: string }) => {
    const correlationId = `refused-${randomUUID()}`;
    const answer = await request({ 'x-correlation-id': correlationId });
    expect({ status: answer.status, body: answer.body }).toMatchObject({ status, body: expected.field ? { errors: expect.arrayContaining([expect.objectContaining(expected)]) } : { rule: expected.rule } });
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await eventsOf(correlationId)).toBe(0);
  };
  const organisation = (name: string) => ({ name, creditCode: testCreditCode(800 + serial++), regionCode: '430200' });
  const placementBody = (overrides: object = {}) => ({ employerId: f.employer.id, title: '铆焊工', occupationCode: WELDER, openings: 5, wageMin: 6000, wageMax: 9000, regionCode: '430200', ...overrides });
  const courseBody = (overrides: object = {}) => ({ providerId: f.provider.id, title: '焊工（中级）', occupationCode: WELDER, kind: 'skill', capacity: 30, startDate: '2021-03-01', endDate: '2021-06-30', ...overrides });
  const brandBody = (overrides: object = {}) => ({
    bureauId: f.bureau,
    name: '株洲新希望铆焊工',
    tier: 'city',
    industryCode: 'C37',
    occupationCodes: [WELDER],
    buildingUnits: [f.provider.creditCode, f.employer.creditCode],
    policy: POLICY,
    ...overrides,
  });
  const newTrainee = async (name = '王新') => (await made(f.school, '/api/v1/trainees', { name, idNumber: testIdentityNumber(600 + serial++), phone: '13800000001' })).id as string;

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: ALL_SERVICES, transport: 'in-process', databaseUrl: database.url });
    events = new Client({ connectionString: database.url });
    await events.connect();
    const admin = await adminToken(host.baseUrl);
    const bureau = (await made(admin, '/api/v1/bureaus', { name: '株洲市人力资源和社会保障局', regionCode: '430200' })).id as string;
    const register = async (path: string, name: string, extra: object) => {
      const body = { ...organisation(name), ...extra };
      return { id: (await made(admin, path, body)).id as string, creditCode: body.creditCode };
    };
    const provider = await register('/api/v1/providers', '株洲新希望焊接培训学校', {});
    const employer = await register('/api/v1/employers', '株洲中车时代电气', { industryCode: 'C37' });
    const evaluator = await register('/api/v1/evaluators', '湖南省焊接协会', { kind: 'social_organisation' });
    const staff = async (role: 'school_staff' | 'employer_staff' | 'evaluator_staff', organisationId: string) => (await signInAs(host.baseUrl, { role, organisationId })).token;
    f = { admin, bureau, provider, employer, evaluatorId: evaluator.id } as Fixtures;
    f.bureauOfficer = (await signInAs(host.baseUrl, { role: 'bureau_officer', organisationId: bureau })).token;
    f.school = await staff('school_staff', provider.id);
    f.employerStaff = await staff('employer_staff', employer.id);
    f.evaluatorStaff = await staff('evaluator_staff', evaluator.id);
    f.trainee = await newTrainee();
    f.course = (await made(f.school, '/api/v1/courses', courseBody())).id;
    await made(f.school, `/api/v1/courses/${f.course}/enrollments`, { traineeId: f.trainee, enrolledOn: '2021-03-02' });
    f.placement = (await made(f.employerStaff, '/api/v1/placements', placementBody())).id;
    f.certificate = (
      await made(f.evaluatorStaff, '/api/v1/certifications', { traineeId: f.trainee, occupationCode: WELDER, level: 'junior', route: 'assessment', evaluatorId: f.evaluatorId, certifiedOn: '2021-07-01' })
    ).certificateNumber;
  }, 120_000);

  afterAll(async () => {
    await events?.end();
    await host?.close();
    await database?.drop();
  });

  describe('characters', () => {
    it('refuses NUL in an organisation name', () =>
      refused((h) => call(f.admin, 'POST', '/api/v1/providers', organisation('株洲\u0000学校'), h), 400, { field: 'name', rule: 'invalid_characters' }));
    it('refuses a lone surrogate in a course title', () =>
      refused((h) => call(f.school, 'POST', '/api/v1/courses', courseBody({ title: '焊工\ud800培训' }), h), 400, { field: 'title', rule: 'invalid_characters' }));
    it('refuses NUL in a revocation reason', () =>
      refused((h) => call(f.evaluatorStaff, 'POST', `/api/v1/certificates/${f.certificate}/revocation`, { reason: '\u0000' }, h), 400, { field: 'reason', rule: 'invalid_characters' }));
    it('refuses NUL in a query', () => refused((h) => call(f.admin, 'GET', '/api/v1/organisations?q=%00', undefined, h), 400, { field: 'q', rule: 'invalid_characters' }));
    it('refuses NUL in a path parameter, naming it', () => refused((h) => call(f.school, 'DELETE', '/api/v1/api-keys/%00', undefined, h), 400, { field: 'clientId', rule: 'invalid_characters' }));
    it('refuses a name or a reason of only whitespace where it is corrected or given', async () => {
      await refused((h) => call(f.school, 'PATCH', `/api/v1/trainees/${f.trainee}`, { name: '  \u200b ' }, h), 400, { field: 'name', rule: 'blank' });
      await refused((h) => call(f.school, 'POST', `/api/v1/trainees/${f.trainee}/void`, { reason: ' ' }, h), 400, { field: 'reason', rule: 'blank' });
      await refused((h) => call(f.school, 'POST', '/api/v1/api-keys', { name: '\t' }, h), 400, { field: 'name', rule: 'blank' });
    });
    it('refuses a name of only whitespace and zero-width characters', () =>
      refused((h) => call(f.admin, 'POST', '/api/v1/bureaus', { name: ' \u200b\u2060\ufeff\t', regionCode: '430300' }, h), 400, { field: 'name', rule: 'blank' }));
    it('refuses an empty title', () => refused((h) => call(f.employerStaff, 'POST', '/api/v1/placements', placementBody({ title: '' }), h), 400, { field: 'title', rule: 'blank' }));
    it('keeps a name with a middle dot, and trims text', async () => {
      expect((await call(f.school, 'POST', '/api/v1/trainees', { name: '买买提·艾力', idNumber: testIdentityNumber(650), phone: '13800000002' })).status).toBe(201);
      const course = (await made(f.school, '/api/v1/courses', courseBody({ title: '  焊工（高级）\n' }))).id;
      expect((await call(f.school, 'GET', `/api/v1/courses/${course}`)).body).toMatchObject({ title: '焊工（高级）' });
    });
  });

  describe('JSON and content types', () => {
    it('refuses a body nested deeper than 32 levels, however deep', async () => {
      await refused((h) => call(f.admin, 'POST', '/api/v1/bureaus', `${'['.repeat(5000)}${']'.repeat(5000)}`, h), 400, { field: 'body', rule: 'max_depth' });
      await refused((h) => call(f.admin, 'POST', '/api/v1/bureaus', `{"name":${'{"a":'.repeat(40)}1${'}'.repeat(40)},"regionCode":"430300"}`, h), 400, { field: 'body', rule: 'max_depth' });
    });
    it('counts the events an accepted command wrote under its correlation id (what a refusal must leave at 0)', async () => {
      const correlationId = `accepted-${randomUUID()}`;
      const answer = await call(f.admin, 'POST', '/api/v1/bureaus', { name: '衡阳市人力资源和社会保障局', regionCode: '430400' }, { 'x-correlation-id': correlationId });
      expect(answer.status).toBe(201);
      expect(await eventsOf(correlationId)).toBeGreaterThan(0);
    });
    it('refuses malformed JSON', () => refused((h) => call(f.admin, 'POST', '/api/v1/bureaus', '{"name": "株洲",', h), 400, { field: 'body', rule: 'invalid_json' }));
    it('says where JSON is malformed, never what the body holds there (a name or a number beside the fault)', async () => {
      const bodies = [
        '{"name":"王建国","idNumber":"430202199001011233","phone":"13812345678","name2":王建国}',
        '{"idNumber":"430202199001011233" "name":"王建国"}',
        '王建国 430202199001011233',
        '{"name":"王建国","phone":"13812345678"',
      ];
      for (const body of bodies) {
        const answer = await call(f.school, 'POST', '/api/v1/trainees', body);
        expect(answer).toMatchObject({ status: 400, body: { errors: [{ field: 'body', rule: 'invalid_json' }] } });
        const text = JSON.stringify(answer.body);
        for (const personal of ['王建国', '430202', '1233', '13812345678', '5678']) expect(text).not.toContain(personal);
        expect(text).toContain('not valid JSON');
      }
    });
    it('refuses a null body, or one that is no object, naming the body', async () => {
      await refused((h) => call(f.admin, 'POST', '/api/v1/bureaus', 'null', h), 400, { field: 'body', rule: 'must_be_object' });
      await refused((h) => call(f.admin, 'POST', '/api/v1/bureaus', '[]', h), 400, { field: 'body', rule: 'must_be_object' });
      await refused((h) => call(f.admin, 'POST', '/api/v1/bureaus', '"株洲"', h), 400, { field: 'body', rule: 'must_be_object' });
    });
    it('answers 415 to a body that is not JSON', async () => {
      for (const [type, body] of [
        ['text/plain', '{"name":"湘潭市人力资源和社会保障局","regionCode":"430300"}'],
        ['application/x-www-form-urlencoded', 'name=%E6%B9%98%E6%BD%AD&regionCode=430300'],
      ]) {
        const correlationId = `refused-${randomUUID()}`;
        const answer = await call(f.admin, 'POST', '/api/v1/bureaus', body, { 'content-type': type, 'x-correlation-id': correlationId });
        expect({ type, status: answer.status }).toEqual({ type, status: 415 });
        expect(await eventsOf(correlationId)).toBe(0);
      }
    });
    it('still takes the token request as a form (RFC 6749)', async () => {
      const answer = await http(host.baseUrl, 'POST', '/oauth/token', 'grant_type=password&username=admin&password=test-admin-Passw0rd%21', { 'content-type': 'application/x-www-form-urlencoded' });
      expect(answer.status).toBe(200);
    });
  });

  describe('numbers, by value and by column', () => {
    it.each([
      ['wageMax', { wageMax: 1_000_001 }],
      ['wageMin', { wageMin: 1_000_001, wageMax: 1_000_001 }],
      ['openings', { openings: 10_001 }],
      ['wageMin', { wageMin: 6000.5 }],
    ])('refuses a placement with %s out of its range', (field, overrides) =>
      refused((h) => call(f.employerStaff, 'POST', '/api/v1/placements', placementBody(overrides), h), 400, { field, rule: expect.any(String) as unknown as string }),
    );
    it('refuses a monthly wage above 1,000,000', () =>
      refused((h) => call(f.employerStaff, 'POST', `/api/v1/placements/${f.placement}/hires`, { traineeId: f.trainee, startDate: '2021-08-01', monthlyWage: 1_000_001 }, h), 400, { field: 'monthlyWage', rule: 'max' }));
    it('refuses a course of more than 10,000 seats', () => refused((h) => call(f.school, 'POST', '/api/v1/courses', courseBody({ capacity: 10_001 }), h), 400, { field: 'capacity', rule: 'max' }));
    it.each(['1e-7', '100.01', '86.555', '-0.5', '1e3'])('refuses the score %s', (score) =>
      refused(
        (h) => call(f.school, 'POST', `/api/v1/courses/${f.course}/assessments`, `{"traineeId":"${f.trainee}","passed":true,"score":${score},"assessedOn":"2021-06-20"}`, h),
        400,
        { field: 'score', rule: 'isDecimal' },
      ),
    );
    it.each([
      ['85.0', 85],
      ['8.655e1', 86.55],
      ['1E2', 100],
    ])('takes the score %s by its value', async (score, value) => {
      const answer = await call(f.school, 'POST', `/api/v1/courses/${f.course}/assessments`, `{"traineeId":"${f.trainee}","passed":true,"score":${score},"assessedOn":"2021-06-20"}`);
      expect(answer.status).toBe(201);
      const { rows } = await events.query("SELECT data->'score' AS score FROM training.events WHERE event_type = 'AssessmentRecorded' AND data->>'assessmentId' = $1", [answer.body.assessmentId]);
      expect(rows.map((row) => Number(row.score))).toEqual([value]);
    });
    it.each([
      ['policy.minTrained', { minTrained: 1e308 }],
      ['policy.minTrained', { minTrained: 1_000_001 }],
      ['policy.minEmployed', { minEmployed: 1.5 }],
      ['policy.minPassRate', { minPassRate: 1.01 }],
      ['policy.minEmploymentRate', { minEmploymentRate: -0.1 }],
    ])('refuses a brand policy with %s out of its range', (field, overrides) =>
      refused((h) => call(f.bureauOfficer, 'POST', '/api/v1/brands', brandBody({ policy: { ...POLICY, ...overrides } }), h), 400, { field, rule: expect.any(String) as unknown as string }),
    );
  });

  describe('codes, by what they name', () => {
    it.each([
      ['an employer', 'industry C99 (manufacturing ends at 43)', () => call(f.admin, 'POST', '/api/v1/employers', { ...organisation('株洲某厂'), industryCode: 'C99' }), 'industryCode', 'isIndustryCode'],
      ['a brand', 'industry A00', () => call(f.bureauOfficer, 'POST', '/api/v1/brands', brandBody({ industryCode: 'A00' })), 'industryCode', 'isIndustryCode'],
      ['a brand', 'occupation 0-18-02-04 (no major group 0)', () => call(f.bureauOfficer, 'POST', '/api/v1/brands', brandBody({ occupationCodes: [WELDER, '0-18-02-04'] })), 'occupationCodes', 'isOccupationCode'],
      ['a placement', 'industry T98', () => call(f.employerStaff, 'POST', '/api/v1/placements', placementBody({ industryCode: 'T98' })), 'industryCode', 'isIndustryCode'],
      ['a course', 'occupation 9-18-02-04', () => call(f.school, 'POST', '/api/v1/courses', courseBody({ occupationCode: '9-18-02-04' })), 'occupationCode', 'isOccupationCode'],
      [
        'a certification',
        'occupation 0-00-00-00',
        () => call(f.evaluatorStaff, 'POST', '/api/v1/certifications', { traineeId: f.trainee, occupationCode: '0-00-00-00', level: 'junior', route: 'assessment', evaluatorId: f.evaluatorId, certifiedOn: '2021-07-01' }),
        'occupationCode',
        'isOccupationCode',
      ],
    ])('refuses %s with %s, saying why', async (_what, _code, send, field, rule) => {
      const answer = await send();
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: expect.stringMatching(new RegExp(`^${field}`)), rule, message: expect.stringMatching(/section|major group/) })]));
    });
  });

  describe('nested objects', () => {
    it('refuses a brand without a policy', () => refused((h) => call(f.bureauOfficer, 'POST', '/api/v1/brands', { ...brandBody(), policy: undefined }, h), 400, { field: 'policy', rule: 'isObject' }));
    it('refuses a policy that is an array', () => refused((h) => call(f.bureauOfficer, 'POST', '/api/v1/brands', brandBody({ policy: [POLICY] }), h), 400, { field: 'policy', rule: 'isObject' }));
    it('refuses a policy that is null', () => refused((h) => call(f.bureauOfficer, 'POST', '/api/v1/brands', brandBody({ policy: null }), h), 400, { field: 'policy', rule: 'isObject' }));
    it("names a policy's own field", () =>
      refused((h) => call(f.bureauOfficer, 'POST', '/api/v1/brands', brandBody({ policy: { ...POLICY, windowStart: '1900-01-01' } }), h), 400, { field: 'policy.windowStart', rule: 'isBusinessDate' }));
  });

  describe('business dates', () => {
    it('refuses an enrolment dated before 1950', async () =>
      refused((h) => call(f.school, 'POST', `/api/v1/courses/${f.course}/enrollments`, { traineeId: f.trainee, enrolledOn: '1900-01-01' }, h), 400, { field: 'enrolledOn', rule: 'isBusinessDate' }));
    it('refuses a certification dated 9999-12-31', () =>
      refused(
        (h) => call(f.evaluatorStaff, 'POST', '/api/v1/certifications', { traineeId: f.trainee, occupationCode: WELDER, level: 'senior', route: 'assessment', evaluatorId: f.evaluatorId, certifiedOn: '9999-12-31' }, h),
        400,
        { field: 'certifiedOn', rule: 'isBusinessDate' },
      ));
    it('refuses a result dated after today (China Standard Time)', () =>
      refused((h) => call(f.school, 'POST', `/api/v1/courses/${f.course}/assessments`, { traineeId: f.trainee, passed: true, score: 80, assessedOn: '2099-01-01' }, h), 400, { field: 'assessedOn', rule: 'date_in_future' }));
    it('refuses a result before the enrolment', async () => {
      const trainee = await newTrainee();
      const course = (await made(f.school, '/api/v1/courses', courseBody({ startDate: '2021-03-01', endDate: '2021-12-31' }))).id;
      await made(f.school, `/api/v1/courses/${course}/enrollments`, { traineeId: trainee, enrolledOn: '2021-05-01' });
      await refused((h) => call(f.school, 'POST', `/api/v1/courses/${course}/assessments`, { traineeId: trainee, passed: true, score: 80, assessedOn: '2021-04-30' }, h), 409, { rule: 'assessed_before_enrolment' });
    });
    it("refuses a certification before the holder's birth, which trainee-service alone knows", async () => {
      const trainee = await newTrainee(); // born in 1971 (testIdentityNumber)
      const certify = (certifiedOn: string) => ({ traineeId: trainee, occupationCode: WELDER, level: 'junior', route: 'assessment', evaluatorId: f.evaluatorId, certifiedOn });
      await refused((h) => call(f.evaluatorStaff, 'POST', '/api/v1/certifications', certify('1960-06-01'), h), 409, { rule: 'certified_before_birth' });
      expect((await call(f.evaluatorStaff, 'POST', '/api/v1/certifications', certify('2021-06-01'))).status).toBe(201);
    });
    it('refuses a hire dated when the person, registered as an adult, was under 16, which trainee-service alone can tell', async () => {
      const trainee = await newTrainee(); // born in 1971 (testIdentityNumber)
      await refused((h) => call(f.employerStaff, 'POST', `/api/v1/placements/${f.placement}/hires`, { traineeId: trainee, startDate: '1980-09-01', monthlyWage: 3000 }, h), 409, { rule: 'under_minimum_age' });
      expect((await call(f.employerStaff, 'POST', `/api/v1/placements/${f.placement}/hires`, { traineeId: trainee, startDate: '1990-09-01', monthlyWage: 3000 })).status).toBe(201);
    });
    it("refuses a revocation before the certificate's date", () =>
      refused((h) => call(f.evaluatorStaff, 'POST', `/api/v1/certificates/${f.certificate}/revocation`, { reason: '材料造假', revokedOn: '2021-06-30' }, h), 409, { rule: 'revoked_before_certification' }));
    it('refuses an employment that ends before it starts', async () => {
      const trainee = await newTrainee();
      const { employmentId } = await made(f.employerStaff, `/api/v1/placements/${f.placement}/hires`, { traineeId: trainee, startDate: '2021-08-01', monthlyWage: 8000 });
      await refused((h) => call(f.employerStaff, 'POST', `/api/v1/employments/${employmentId}/end`, { endDate: '2021-07-31', reason: '合同期满' }, h), 409, { rule: 'ended_before_start' });
    });
  });

  describe('path ids', () => {
    it('refuses an id that is no UUID, naming the parameter', async () => {
      await refused((h) => call(f.school, 'GET', '/api/v1/courses/not-a-uuid', undefined, h), 400, { field: 'id', rule: 'isUUID' });
      await refused((h) => call(f.school, 'POST', `/api/v1/courses/${f.course}/enrollments`.replace(f.course, '12345'), { traineeId: f.trainee }, h), 400, { field: 'id', rule: 'isUUID' });
    });
    it("refuses a cursor beyond a list's range as a cursor, not as the database's error", async () => {
      expect(await call(f.admin, 'GET', '/api/v1/placements?cursor=9999999999999999999')).toMatchObject({ status: 400, body: { errors: [{ field: 'cursor', rule: 'matches' }] } });
      const pastInt = Buffer.from(JSON.stringify(['2021-03-02', 2_147_483_648])).toString('base64url');
      expect(await call(f.school, 'GET', `/api/v1/courses/${f.course}/enrollments?cursor=${pastInt}`)).toMatchObject({ status: 200, body: { items: [] } });
      const nul = Buffer.from(JSON.stringify(['\u0000', f.provider.id])).toString('base64url');
      expect(await call(f.admin, 'GET', `/api/v1/organisations?cursor=${nul}`)).toMatchObject({ status: 400, body: { errors: [{ field: 'cursor' }] } });
    });
    it('finds a resource by its id in upper case', async () => {
      const answer = await call(f.school, 'GET', `/api/v1/courses/${f.course.toUpperCase()}`);
      expect({ status: answer.status, id: answer.body.id }).toEqual({ status: 200, id: f.course });
      expect((await call(f.admin, 'GET', `/api/v1/trainees/${f.trainee.toUpperCase()}`)).status).toBe(200);
    });
  });
});
