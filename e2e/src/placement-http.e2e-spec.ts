// The Placements contract of api.md over HTTP on a real Postgres, in one process with the services
// it learns from: employers, placements and the board, hires with level checks (exact openings under
// concurrency), ends of employment, and the archive entries they make.
import { CertificationModule } from '@skills/certification-service';
import { businessDateOf } from '@skills/domain-kernel';
import { PlacementModule } from '@skills/placement-service';
import { CatchUp, ServiceRegistry } from '@skills/service-runtime';
import { bearer, createTestDatabase, http, startTestHost, TestDatabase, TestHost, testCreditCode, testIdentityNumber, testIssuer, TestIssuer, waitFor } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { Client } from 'pg';

const WELDER = '6-18-02-04';

describe('Placements HTTP contract (all in one process)', () => {
  let database: TestDatabase;
  let host: TestHost;
  let sql: Client;
  let employerId: string;
  let issuer: TestIssuer;
  /** Organisation registrations and trainee registration. */
  let admin: string;
  let nextPerson = 10_000;
  let nextCode = 800;
  /** A request carrying `token` (none: the public board). */
  const call = (token: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    http(host.baseUrl, method, path, body, { ...(token ? bearer(token) : {}), ...headers });
  /** One staff user per employer, who posts, closes, hires and ends there (placements:*, employments:end). */
  const staffOf = new Map<string, Promise<string>>();
  const employerStaff = (organisationId = employerId) => {
    const token = staffOf.get(organisationId) ?? issuer.token({ role: 'employer_staff', organisationId });
    staffOf.set(organisationId, token);
    return token;
  };
  const creditCode = () => testCreditCode(nextCode++);
  const trainee = async () => {
    const answer = await call(admin, 'POST', '/api/v1/trainees', { name: '工人', idNumber: testIdentityNumber(nextPerson++), phone: '13800000000' });
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };
  const placement = async (change: Record<string, unknown> = {}) => {
    const body = { employerId, title: '铆焊工', occupationCode: WELDER, openings: 5, wageMin: 7000, wageMax: 9000, regionCode: '430202', ...change };
    const answer = await call(await employerStaff(body.employerId as string), 'POST', '/api/v1/placements', body);
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };
  const hire = async (placementId: string, traineeId: string, change: Record<string, unknown> = {}, headers = {}, employer = employerId) =>
    call(await employerStaff(employer), 'POST', `/api/v1/placements/${placementId}/hires`, { traineeId, startDate: '2021-07-01', monthlyWage: 8000, ...change }, headers);
  const board = async (query = '') => {
    await host.app.get(ServiceRegistry).get('placement')!.projections.caughtUp();
    return (await call(undefined, 'GET', `/api/v1/placements${query}`)).body;
  };

  beforeAll(async () => {
    issuer = await testIssuer();
    admin = await issuer.token({ role: 'platform_admin' });
    database = await createTestDatabase();
    host = await startTestHost({ modules: [TraineeModule, CertificationModule, PlacementModule], transport: 'in-process', databaseUrl: database.url, replicaWaitMs: 5000 });
    const employer = await call(admin, 'POST', '/api/v1/employers', { name: '株洲九方装备', creditCode: creditCode(), industryCode: 'C37', regionCode: '430200' });
    expect(employer.status).toBe(201);
    employerId = employer.body.id;
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await host?.close();
    await database?.drop();
  });

  it('registers employers once per credit code', async () => {
    const code = creditCode();
    expect((await call(admin, 'POST', '/api/v1/employers', { name: 'a', creditCode: code, industryCode: 'O80', regionCode: '430200' })).status).toBe(201);
    expect(await call(admin, 'POST', '/api/v1/employers', { name: 'b', creditCode: code, industryCode: 'O80', regionCode: '430200' })).toMatchObject({ status: 409, body: { rule: 'credit_code_registered' } });
  });

  it('accepts exactly 5 of 20 concurrent hires into a placement with 5 openings', async () => {
    const id = await placement();
    const workers = await Promise.all(Array.from({ length: 20 }, () => trainee()));
    const answers = await Promise.all(workers.map((worker) => hire(id, worker)));
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(5);
    for (const answer of answers.filter((answer) => answer.status !== 201)) expect(answer.body).toMatchObject({ status: 409, rule: 'no_openings_left' });
    const listed = (await board(`?occupationCode=${WELDER}`)).items.find((item: { id: string }) => item.id === id);
    // Filled, not closed by its employer: no day it was closed. Closed after, it says the day too.
    expect(listed).toMatchObject({ openings: 5, openingsLeft: 0, status: 'closed', closedOn: null, industryCode: 'C37' });
    const today = businessDateOf(new Date());
    expect(await call(await employerStaff(), 'POST', `/api/v1/placements/${id}/close`)).toMatchObject({ status: 200, body: { status: 'closed', closedOn: today } });
    expect((await board(`?occupationCode=${WELDER}`)).items.find((item: { id: string }) => item.id === id)).toMatchObject({ openingsLeft: 0, status: 'closed', closedOn: today });
  });

  it('checks the minimum level against certification, following a revocation', async () => {
    const id = await placement({ minLevel: 'intermediate', industryCode: 'C34' });
    const worker = await trainee();
    expect(await hire(id, worker)).toMatchObject({ status: 409, body: { rule: 'level_too_low', minLevel: 'intermediate', traineeLevel: null } });
    const evaluator = await call(admin, 'POST', '/api/v1/evaluators', { name: '协会', creditCode: creditCode(), kind: 'social_organisation', regionCode: '430200' });
    // The evaluator's staff certifies, and revokes what it issued.
    const evaluatorStaff = await issuer.token({ role: 'evaluator_staff', organisationId: evaluator.body.id });
    const certify = (level: string, certifiedOn: string) =>
      call(evaluatorStaff, 'POST', '/api/v1/certifications', { traineeId: worker, occupationCode: WELDER, level, route: 'assessment', evaluatorId: evaluator.body.id, certifiedOn });
    // Certification events reach placement through the bus (asynchronously, as on Kafka): wait for them.
    const placementSees = (level: string) =>
      waitFor(async () => (await sql.query('SELECT level FROM placement.trainee_certificates WHERE trainee_id = $1 AND revoked_on IS NULL ORDER BY rank DESC LIMIT 1', [worker])).rows[0]?.level === level, {
        description: `placement to see ${level}`,
      });
    await certify('junior', '2020-01-01');
    const intermediate = await certify('intermediate', '2021-01-01');
    await placementSees('intermediate');
    // Revoked as of 2021-06-01: a hire starting 2021-07-01 is judged on junior.
    await call(evaluatorStaff, 'POST', `/api/v1/certificates/${intermediate.body.certificateNumber}/revocation`, { reason: '材料造假', revokedOn: '2021-06-01' });
    await placementSees('junior');
    expect(await hire(id, worker)).toMatchObject({ status: 409, body: { rule: 'level_too_low', traineeLevel: 'junior' } });
    await certify('intermediate', '2021-06-15');
    await placementSees('intermediate');
    expect(await hire(id, worker)).toMatchObject({ status: 201, body: { employmentId: expect.any(String) } });
  });

  it('refuses a second active employment at one employer, and allows it after the first ended', async () => {
    const [first, second] = [await placement(), await placement()];
    const worker = await trainee();
    const employment = await hire(first, worker);
    const staff = await employerStaff();
    expect(await hire(second, worker)).toMatchObject({ status: 409, body: { rule: 'already_employed_by_employer' } });
    expect(await call(staff, 'POST', `/api/v1/employments/${employment.body.employmentId}/end`, { endDate: '2021-06-30', reason: 'x' })).toMatchObject({ status: 409, body: { rule: 'ended_before_start' } });
    expect(await call(staff, 'POST', `/api/v1/employments/${employment.body.employmentId}/end`, { endDate: '2022-06-30', reason: '合同期满' })).toMatchObject({ status: 200, body: { endDate: '2022-06-30' } });
    expect(await call(staff, 'POST', `/api/v1/employments/${employment.body.employmentId}/end`, { endDate: '2022-07-30', reason: 'again' })).toMatchObject({ status: 409, body: { rule: 'employment_already_ended' } });
    expect((await hire(second, worker, { startDate: '2022-08-01' })).status).toBe(201);
    // Another employer may employ the same person at the same time.
    const other = await call(admin, 'POST', '/api/v1/employers', { name: '另一家', creditCode: creditCode(), industryCode: 'C37', regionCode: '430200' });
    expect((await hire(await placement({ employerId: other.body.id }), worker, {}, {}, other.body.id)).status).toBe(201);
    const archive = await waitFor(async () => {
      // Read by the employer that hired them (a related organisation).
      const answer = await call(staff, 'GET', `/api/v1/trainees/${worker}/archive`);
      return answer.body.entries.length === 4 ? answer.body.entries : undefined;
    }, { description: 'the archive to list three hires and an end' });
    expect(archive.map((entry: { at: string; kind: string }) => [entry.at, entry.kind])).toEqual([
      ['2021-07-01', 'hired'],
      ['2021-07-01', 'hired'],
      ['2022-06-30', 'employment_ended'],
      ['2022-08-01', 'hired'],
    ]);
  });

  it('with consistent=true, lists a hire answered a moment ago that the employment list has not applied yet', async () => {
    const id = await placement();
    const worker = await trainee();
    const staff = await employerStaff();
    const listed = (answer: { body: { items: Array<{ traineeId: string }> } }) => answer.body.items.map((item) => item.traineeId);
    let waiting: ReturnType<typeof call> | undefined;
    let answered = false;
    const reads = jest.spyOn(CatchUp.prototype, 'forRead');
    // The employment list's projection cannot write while this lock is held: the read model is behind for certain.
    await sql.query('BEGIN');
    try {
      await sql.query('LOCK TABLE placement.employment_list IN EXCLUSIVE MODE');
      expect((await hire(id, worker)).status).toBe(201);
      const plain = await call(staff, 'GET', '/api/v1/employments?limit=100');
      expect(listed(plain)).not.toContain(worker);
      expect(plain.headers.get('pending-facts')).toMatch(/^[1-9]\d*$/);
      waiting = call(staff, 'GET', '/api/v1/employments?limit=100&consistent=true');
      const answer = () => (answered = true);
      void waiting.then(answer, answer);
      // The lock goes only once the service has taken the consistent read up (it waits in CatchUp.forRead
      // for the read model), and has not answered it.
      await waitFor(() => answered || reads.mock.calls.some(([consistent]) => consistent) || undefined, { intervalMs: 10, description: 'the service to take up the consistent read' });
      expect(answered).toBe(false);
    } finally {
      reads.mockRestore();
      await sql.query('COMMIT');
    }
    const consistent = await waiting!;
    expect(consistent.status).toBe(200);
    expect(listed(consistent)).toContain(worker);
    expect(consistent.headers.get('pending-facts')).toBe('0');
  });

  it('closes a placement: no further hires, and the board shows it closed', async () => {
    const id = await placement();
    const staff = await employerStaff();
    expect(await call(staff, 'POST', `/api/v1/placements/${id}/close`)).toMatchObject({ status: 200, body: { status: 'closed', closedOn: businessDateOf(new Date()) } });
    // Closed today: a hire starting today is refused (one that started before today is judged with the placement open).
    expect(await hire(id, await trainee(), { startDate: businessDateOf(new Date()) })).toMatchObject({ status: 409, body: { rule: 'placement_closed' } });
    expect((await call(staff, 'POST', `/api/v1/placements/${id}/close`)).body).toMatchObject({ rule: 'placement_already_closed' });
    expect((await board('?status=closed')).items.find((item: { id: string }) => item.id === id)).toMatchObject({ openingsLeft: 5, closedOn: businessDateOf(new Date()) });
    expect((await board('?status=open')).items.map((item: { id: string }) => item.id)).not.toContain(id);
  });

  it('filters the board by occupation, region and level, and pages through it with a cursor', async () => {
    const occupation = '6-18-02-07';
    const ids = [];
    for (const [regionCode, minLevel] of [['430202', undefined], ['430203', 'senior'], ['430102', 'junior'], ['430202', 'technician']] as const) {
      ids.push(await placement({ occupationCode: occupation, regionCode, ...(minLevel ? { minLevel } : {}) }));
    }
    const all = await board(`?occupationCode=${occupation}`);
    expect(all.items.map((item: { id: string }) => item.id)).toEqual([...ids].reverse());
    expect(all.nextCursor).toBeNull();
    expect((await board(`?occupationCode=${occupation}&regionCode=430200`)).items).toHaveLength(3);
    expect((await board(`?occupationCode=${occupation}&regionCode=430202`)).items).toHaveLength(2);
    expect((await board(`?occupationCode=${occupation}&minLevel=senior`)).items.map((item: { id: string }) => item.id)).toEqual([ids[2], ids[1], ids[0]]);
    const first = await board(`?occupationCode=${occupation}&limit=3`);
    expect(first.items).toHaveLength(3);
    const second = await board(`?occupationCode=${occupation}&limit=3&cursor=${first.nextCursor}`);
    expect(second).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
  });

  it.each([
    ['employers', 'an industry code of the wrong shape', { industryCode: 'c37' }, 'industryCode'],
    ['employers', 'a bad credit code', { creditCode: '91430200MA4L00001Q' }, 'creditCode'],
    ['placements', 'no openings', { openings: 0 }, 'openings'],
    ['placements', 'a wage that is not a whole number of yuan', { wageMin: 7000.5 }, 'wageMin'],
    ['placements', 'a negative wage', { wageMax: -1 }, 'wageMax'],
    ['placements', 'an unknown minimum level', { minLevel: 'master' }, 'minLevel'],
    ['placements', 'an occupation code of the wrong shape', { occupationCode: '6180204' }, 'occupationCode'],
    ['hires', 'a start date that does not exist', { startDate: '2021-13-01' }, 'startDate'],
    ['hires', 'a wage of zero', { monthlyWage: 0 }, 'monthlyWage'],
    ['hires', 'a trainee id that is not a UUID', { traineeId: 'x' }, 'traineeId'],
    ['ends', 'an end date in the future', { endDate: '2999-01-01' }, 'endDate'],
    ['ends', 'no reason', { reason: undefined }, 'reason'],
  ])('%s: answers 400 naming the field for %s', async (resource, _case, change, field) => {
    // An end date is judged against the employment (after the 404 for an unknown one): end a real one.
    const employmentId = resource === 'ends' ? (await hire(await placement(), await trainee())).body.employmentId : undefined;
    const valid: Record<string, [string, Record<string, unknown>]> = {
      employers: ['/api/v1/employers', { name: 'x', creditCode: creditCode(), industryCode: 'C37', regionCode: '430200' }],
      placements: ['/api/v1/placements', { employerId, title: 't', occupationCode: WELDER, openings: 1, wageMin: 1, wageMax: 2, regionCode: '430200' }],
      hires: ['/api/v1/placements/00000000-0000-4000-8000-000000000000/hires', { traineeId: '00000000-0000-4000-8000-000000000000', startDate: '2021-07-01', monthlyWage: 8000 }],
      ends: [`/api/v1/employments/${employmentId}/end`, { endDate: '2021-07-01', reason: 'r' }],
    };
    const [path, body] = valid[resource];
    // Employers are registered by the platform admin; the rest is the employer's own staff.
    const answer = await call(resource === 'employers' ? admin : await employerStaff(), 'POST', path, { ...body, ...change });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('answers 409 for an inverted wage range and 404 for unknown ids', async () => {
    const staff = await employerStaff();
    expect((await call(staff, 'POST', '/api/v1/placements', { employerId, title: 't', occupationCode: WELDER, openings: 1, wageMin: 9000, wageMax: 7000, regionCode: '430200' })).body).toMatchObject({ status: 409, rule: 'wage_range_inverted' });
    // Staff of the employer it names, which does not exist.
    expect((await call(await employerStaff('00000000-0000-4000-8000-000000000000'), 'POST', '/api/v1/placements', { employerId: '00000000-0000-4000-8000-000000000000', title: 't', occupationCode: WELDER, openings: 1, wageMin: 1, wageMax: 2, regionCode: '430200' })).status).toBe(404);
    expect((await hire('00000000-0000-4000-8000-000000000000', await trainee())).status).toBe(404);
    expect((await hire(await placement(), '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await call(staff, 'POST', '/api/v1/employments/00000000-0000-4000-8000-000000000000/end', { endDate: '2021-07-01', reason: 'r' })).status).toBe(404);
  });

  it('repeats the first answer of a hire for a repeated Idempotency-Key', async () => {
    const id = await placement({ openings: 3 });
    const worker = await trainee();
    const answers = await Promise.all(Array.from({ length: 5 }, () => hire(id, worker, {}, { 'Idempotency-Key': `hire-${worker}` })));
    expect(new Set(answers.map((answer) => `${answer.status} ${answer.body.employmentId}`)).size).toBe(1);
    expect((await board(`?occupationCode=${WELDER}`)).items.find((item: { id: string }) => item.id === id).openingsLeft).toBe(2);
  });
});
