// What a school's web console reads, over HTTP on training-service alone and a real Postgres: a
// provider's courses (GET /api/v1/courses) and a course's roster (GET /api/v1/courses/{id}/enrollments),
// who may read them (domain.md section 9: the provider's staff and a bureau officer of its region, no
// platform admin), their pages, ?consistent=true after a change, and their refusals of bad input. Today is
// 2021-04-15 (a fixed clock).
import { fixedClock } from '@skills/domain-kernel';
import { CatchUp, ServiceRegistry } from '@skills/service-runtime';
import { bearer, createTestDatabase, http, publishFacts, startTestHost, TestDatabase, TestHost, testCreditCode, TestIssuer, testIssuer, traineeRegisteredFact, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client, PoolClient } from 'pg';
import { courseSummaries } from './courses/course-summaries.projection';
import { TrainingModule } from './training.module';

const clock = fixedClock('2021-04-15T02:00:00.000Z');
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

type Headers = Record<string, string>;
interface Page<Item> {
  items: Item[];
  nextCursor: string | null;
}

describe("training: a school's console reads its courses and their rosters", () => {
  let database: TestDatabase;
  let host: TestHost;
  let issuer: TestIssuer;
  let sql: Client;
  let admin: Headers;
  let serial = 0;

  const call = (method: string, path: string, headers: Headers, body?: unknown) => http(host.baseUrl, method, path, body, headers);
  /** A school of Zhuzhou's Lusong district (430202), and its staff. */
  const school = async () => {
    const answer = await call('POST', '/api/v1/providers', admin, { name: `株洲第${serial}职业技能培训学校`, creditCode: testCreditCode(6100 + serial++), regionCode: '430202' });
    expect(answer.status).toBe(201);
    const providerId = answer.body.id as string;
    return { providerId, staff: bearer(await issuer.token({ role: 'school_staff', organisationId: providerId })) };
  };
  const officerOf = async (regionCode: string) => bearer(await issuer.token({ role: 'bureau_officer', organisationId: randomUUID(), regionCode }));
  const schedule = async (providerId: string, staff: Headers, change: Record<string, unknown> = {}) => {
    const body = { providerId, title: '焊工（中级）', occupationCode: '6-18-02-04', kind: 'skill', capacity: 4, startDate: '2021-03-01', endDate: '2021-05-31', ...change };
    const answer = await call('POST', '/api/v1/courses', staff, body);
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };
  const trainee = async () => {
    const traineeId = randomUUID();
    await publishFacts(host, [traineeRegisteredFact(traineeId)]);
    return traineeId;
  };
  const succeeds = async (method: string, path: string, headers: Headers, body?: unknown) => {
    const answer = await call(method, path, headers, body);
    expect({ method, path, status: answer.status }).toEqual({ method, path, status: method === 'DELETE' ? 204 : 201 });
    return answer.body;
  };
  /** Reads after every event so far reached the read models. */
  const read = async (path: string, headers: Headers) => {
    const training = host.app.get(ServiceRegistry).get('training');
    await training?.projections.caughtUp();
    return call('GET', path, headers);
  };
  /** Every page of a list, following nextCursor. */
  const everyPage = async <Item>(path: string, headers: Headers) => {
    const pages: Page<Item>[] = [];
    let cursor: string | null = null;
    do {
      const answer = await read(`${path}${path.includes('?') ? '&' : '?'}limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers);
      expect(answer.status).toBe(200);
      pages.push(answer.body);
      cursor = answer.body.nextCursor;
    } while (cursor !== null && pages.length < 20);
    return pages;
  };
  const ids = (page: Page<{ id: string }>) => page.items.map((item) => item.id);
  /**
   * Runs `during` while the projection into `table` cannot write (it waits behind this lock), so a read
   * model is behind the log for certain; the lock goes when `during` ends.
   */
  const projectionHeldBack = async (table: string, during: () => Promise<void>) => {
    await sql.query('BEGIN');
    try {
      await sql.query(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);
      await during();
    } finally {
      await sql.query('COMMIT');
    }
  };
  /** A request started now, and whether it has been answered yet. */
  const started = (path: string, headers: Headers) => {
    const request = { settled: false, answer: call('GET', path, headers) };
    const settle = () => (request.settled = true);
    request.answer.then(settle, settle);
    return request;
  };
  /**
   * A consistent read started now, once the service has taken it up: it is in CatchUp.forRead, waiting
   * for the read models (or it has been answered already, which the test then finds).
   */
  const consistentReadInFlight = async (path: string, headers: Headers) => {
    const reads = jest.spyOn(CatchUp.prototype, 'forRead');
    try {
      const request = started(path, headers);
      await waitFor(() => request.settled || reads.mock.calls.some(([consistent]) => consistent) || undefined, { intervalMs: 10, description: `the service to take up ${path}` });
      return request;
    } finally {
      reads.mockRestore();
    }
  };
  /** The freshness headers of an answer that holds everything accepted before the request. */
  const complete = (answer: { headers: { get(name: string): string | null } }) => ({ completeUpTo: answer.headers.get('complete-up-to'), pendingFacts: answer.headers.get('pending-facts') });

  beforeAll(async () => {
    issuer = await testIssuer();
    admin = bearer(await issuer.token({ role: 'platform_admin' }));
    database = await createTestDatabase();
    host = await startTestHost({ modules: [TrainingModule], transport: 'in-process', databaseUrl: database.url, replicaWaitMs: 1000, clock });
    sql = new Client({ connectionString: database.url, options: '-c search_path=training' });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await host?.close();
    await database?.drop();
  });

  describe('GET /api/v1/courses', () => {
    let ours: { providerId: string; staff: Headers };
    let theirs: { providerId: string; staff: Headers };
    let running: string;
    let upcoming: string;
    let ended: string;
    let othersCourse: string;

    beforeAll(async () => {
      [ours, theirs] = [await school(), await school()];
      running = await schedule(ours.providerId, ours.staff, { targetLevel: 'intermediate' });
      upcoming = await schedule(ours.providerId, ours.staff, { title: '电工（初级）', occupationCode: '6-31-01-03', startDate: '2021-05-01', endDate: '2021-06-30' });
      ended = await schedule(ours.providerId, ours.staff, { startDate: '2021-01-04', endDate: '2021-02-26' });
      othersCourse = await schedule(theirs.providerId, theirs.staff);
      await succeeds('POST', `/api/v1/courses/${running}/enrollments`, ours.staff, { traineeId: await trainee(), enrolledOn: '2021-03-02' });
    });

    it("lists a school's own courses by default, latest start first, each as GET /api/v1/courses/{id} shows it and with its status today", async () => {
      const answer = await read('/api/v1/courses', ours.staff);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        items: [
          {
            id: upcoming,
            providerId: ours.providerId,
            title: '电工（初级）',
            occupationCode: '6-31-01-03',
            kind: 'skill',
            capacity: 4,
            enrolled: 0,
            assessed: 0,
            passed: 0,
            startDate: '2021-05-01',
            endDate: '2021-06-30',
            status: 'upcoming',
          },
          expect.objectContaining({ id: running, targetLevel: 'intermediate', enrolled: 1, status: 'running' }),
          expect.objectContaining({ id: ended, status: 'ended' }),
        ],
        nextCursor: null,
      });
      const { occupationEdition: _edition, sponsorEmployerId: _sponsor, ...single } = (await call('GET', `/api/v1/courses/${running}`, ours.staff)).body;
      expect(answer.body.items[1]).toEqual({ ...single, status: 'running' });
      expect(await read(`/api/v1/courses?providerId=${ours.providerId}`, ours.staff)).toMatchObject({ status: 200, body: { items: answer.body.items } });
    });

    it('filters by status (judged today, or on asOf) and by occupation', async () => {
      expect(ids((await read('/api/v1/courses?status=running', ours.staff)).body)).toEqual([running]);
      expect(ids((await read('/api/v1/courses?status=ended', ours.staff)).body)).toEqual([ended]);
      expect(ids((await read('/api/v1/courses?status=running&asOf=2021-06-15', ours.staff)).body)).toEqual([upcoming]);
      expect(ids((await read('/api/v1/courses?status=upcoming&asOf=2021-01-01', ours.staff)).body)).toEqual([upcoming, running, ended]);
      expect(ids((await read('/api/v1/courses?occupationCode=6-18-02-04', ours.staff)).body)).toEqual([running, ended]);
    });

    it("refuses a school naming another provider: 403 naming courses:read", async () => {
      expect(await read(`/api/v1/courses?providerId=${theirs.providerId}`, ours.staff)).toMatchObject({ status: 403, body: { permission: 'courses:read', rule: 'permission_denied' } });
      expect(ids((await read('/api/v1/courses', theirs.staff)).body)).toEqual([othersCourse]);
    });

    it("lets a bureau officer read a provider of its region (named), and refuses one outside it", async () => {
      const zhuzhou = await officerOf('430200');
      expect(ids((await read(`/api/v1/courses?providerId=${ours.providerId}`, zhuzhou)).body)).toEqual([upcoming, running, ended]);
      expect(ids((await read(`/api/v1/courses?providerId=${ours.providerId}`, await officerOf('430000'))).body)).toEqual([upcoming, running, ended]);
      expect(await read(`/api/v1/courses?providerId=${ours.providerId}`, await officerOf('430100'))).toMatchObject({ status: 403, body: { permission: 'courses:read' } });
      expect(await read('/api/v1/courses', zhuzhou)).toMatchObject({ status: 400, body: { errors: [{ field: 'providerId', rule: 'required' }] } });
      expect(await read(`/api/v1/courses?providerId=${UNKNOWN_ID}`, zhuzhou)).toMatchObject({ status: 404, body: { entity: 'provider', id: UNKNOWN_ID } });
    });

    it('refuses a platform admin, named provider or not: 403 naming courses:read (domain.md section 9 names no such reader)', async () => {
      expect(await read(`/api/v1/courses?providerId=${theirs.providerId}`, admin)).toMatchObject({ status: 403, body: { permission: 'courses:read', rule: 'permission_denied' } });
      expect(await read('/api/v1/courses', admin)).toMatchObject({ status: 403, body: { permission: 'courses:read' } });
    });

    it('with consistent=true, shows a course scheduled a moment ago that the read model has not applied yet', async () => {
      const { providerId, staff } = await school();
      let course = '';
      let waiting: ReturnType<typeof started> | undefined;
      await projectionHeldBack('course_summaries', async () => {
        course = await schedule(providerId, staff);
        const plain = await call('GET', '/api/v1/courses', staff);
        expect(plain).toMatchObject({ status: 200, body: { items: [] } });
        expect(complete(plain)).toEqual({ completeUpTo: null, pendingFacts: expect.stringMatching(/^[1-9]\d*$/) });
        waiting = await consistentReadInFlight('/api/v1/courses?consistent=true', staff);
        expect(waiting.settled).toBe(false);
      });
      const answer = await (waiting as ReturnType<typeof started>).answer;
      expect(answer).toMatchObject({ status: 200, body: { items: [expect.objectContaining({ id: course, enrolled: 0 })], nextCursor: null } });
      expect(complete(answer)).toEqual({ completeUpTo: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/), pendingFacts: '0' });
    });

    it('pages with a small limit through every course once, in order (same start dates by id)', async () => {
      const { providerId, staff } = await school();
      const starts = ['2021-03-01', '2021-03-01', '2021-03-01', '2021-02-01', '2021-04-01'];
      const scheduled = [];
      for (const startDate of starts) scheduled.push({ id: await schedule(providerId, staff, { startDate }), startDate });
      const pages = await everyPage<{ id: string }>('/api/v1/courses', staff);
      expect(pages.map((page) => page.items.length)).toEqual([2, 2, 1]);
      const expected = scheduled.sort((a, b) => b.startDate.localeCompare(a.startDate) || a.id.localeCompare(b.id)).map((course) => course.id);
      expect(pages.flatMap(ids)).toEqual(expected);
      // The filters hold across pages too.
      expect((await everyPage<{ id: string }>('/api/v1/courses?status=upcoming&asOf=2021-01-01', staff)).flatMap(ids)).toEqual(expected);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=ten', 'limit'],
      ['cursor=not*a*cursor', 'cursor'],
      [`cursor=${Buffer.from('["2021-13-01","x"]').toString('base64url')}`, 'cursor'],
      ['cursor=bm90LWpzb24', 'cursor'],
      ['status=cancelled', 'status'],
      ['providerId=12345', 'providerId'],
      ['occupationCode=welder', 'occupationCode'],
      ['asOf=2021-02-30', 'asOf'],
      ['colour=red', 'colour'],
      ['consistent=yes', 'consistent'],
    ])('refuses %s with a 400 naming %s', async (parameters, field) => {
      const answer = await read(`/api/v1/courses?${parameters}`, ours.staff);
      expect(answer).toMatchObject({ status: 400, body: { status: 400, errors: expect.arrayContaining([expect.objectContaining({ field })]) } });
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    });
  });

  describe('GET /api/v1/courses/{id}/enrollments', () => {
    let ours: { providerId: string; staff: Headers };
    let course: string;
    let [stays, leaves, corrected, returns]: string[] = [];
    let enrolments: Record<string, string>;

    beforeAll(async () => {
      ours = await school();
      course = await schedule(ours.providerId, ours.staff);
      [stays, leaves, corrected, returns] = [await trainee(), await trainee(), await trainee(), await trainee()];
      const enrol = async (traineeId: string, enrolledOn: string) => (await succeeds('POST', `/api/v1/courses/${course}/enrollments`, ours.staff, { traineeId, enrolledOn })).enrollmentId as string;
      const assess = (traineeId: string, passed: boolean, score: number, assessedOn: string) =>
        succeeds('POST', `/api/v1/courses/${course}/assessments`, ours.staff, { traineeId, passed, score, assessedOn });
      enrolments = {
        stays: await enrol(stays, '2021-03-02'),
        leaves: await enrol(leaves, '2021-03-02'),
        corrected: await enrol(corrected, '2021-03-05'),
        returnsFirst: await enrol(returns, '2021-03-01'),
      };
      await assess(stays, true, 88.5, '2021-04-10');
      await assess(corrected, false, 40, '2021-04-10');
      await assess(corrected, true, 75, '2021-04-12');
      await succeeds('DELETE', `/api/v1/courses/${course}/enrollments/${leaves}?withdrawnOn=2021-04-01`, ours.staff);
      await succeeds('DELETE', `/api/v1/courses/${course}/enrollments/${returns}?withdrawnOn=2021-03-20`, ours.staff);
      enrolments.returnsAgain = await enrol(returns, '2021-04-02');
    });

    it('shows every enrolment by enrolment date, with its withdrawal and standing result, and the course with its capacity now', async () => {
      const answer = await read(`/api/v1/courses/${course}/enrollments`, ours.staff);
      expect(answer.status).toBe(200);
      const recordedAt = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      const assessmentId = expect.stringMatching(/^[0-9a-f-]{36}$/);
      expect(answer.body).toEqual({
        course: {
          id: course,
          providerId: ours.providerId,
          title: '焊工（中级）',
          occupationCode: '6-18-02-04',
          kind: 'skill',
          capacity: 4,
          enrolled: 3,
          assessed: 2,
          passed: 2,
          startDate: '2021-03-01',
          endDate: '2021-05-31',
          status: 'running',
        },
        items: [
          { traineeId: returns, enrollmentId: enrolments.returnsFirst, enrolledOn: '2021-03-01', status: 'withdrawn', withdrawnOn: '2021-03-20', assessment: null, registrationVoided: false },
          { traineeId: stays, enrollmentId: enrolments.stays, enrolledOn: '2021-03-02', status: 'enrolled', withdrawnOn: null, assessment: { assessmentId, passed: true, score: 88.5, assessedOn: '2021-04-10', corrected: false, recordedAt }, registrationVoided: false },
          { traineeId: leaves, enrollmentId: enrolments.leaves, enrolledOn: '2021-03-02', status: 'withdrawn', withdrawnOn: '2021-04-01', assessment: null, registrationVoided: false },
          { traineeId: corrected, enrollmentId: enrolments.corrected, enrolledOn: '2021-03-05', status: 'enrolled', withdrawnOn: null, assessment: { assessmentId, passed: true, score: 75, assessedOn: '2021-04-12', corrected: true, recordedAt }, registrationVoided: false },
          { traineeId: returns, enrollmentId: enrolments.returnsAgain, enrolledOn: '2021-04-02', status: 'enrolled', withdrawnOn: null, assessment: null, registrationVoided: false },
        ],
        nextCursor: null,
      });
      const single = (await call('GET', `/api/v1/courses/${course}`, ours.staff)).body;
      expect(answer.body.course).toMatchObject({ capacity: single.capacity, enrolled: single.enrolled, assessed: single.assessed, passed: single.passed });
    });

    it('filters by status', async () => {
      const enrollmentIds = (page: Page<{ enrollmentId: string }>) => page.items.map((item) => item.enrollmentId);
      expect(enrollmentIds((await read(`/api/v1/courses/${course}/enrollments?status=withdrawn`, ours.staff)).body)).toEqual([enrolments.returnsFirst, enrolments.leaves]);
      expect(enrollmentIds((await read(`/api/v1/courses/${course}/enrollments?status=enrolled`, ours.staff)).body)).toEqual([enrolments.stays, enrolments.corrected, enrolments.returnsAgain]);
    });

    it('pages with a small limit through every enrolment once, in order', async () => {
      const all = (await read(`/api/v1/courses/${course}/enrollments`, ours.staff)).body.items;
      const pages = await everyPage<{ enrollmentId: string }>(`/api/v1/courses/${course}/enrollments`, ours.staff);
      expect(pages.map((page) => page.items.length)).toEqual([2, 2, 1]);
      expect(pages.flatMap((page) => page.items)).toEqual(all);
    });

    it("is read by the provider's staff and a bureau officer of its region; another school or bureau, an employer and a platform admin get 403", async () => {
      const path = `/api/v1/courses/${course}/enrollments`;
      expect(await read(path, (await school()).staff)).toMatchObject({ status: 403, body: { permission: 'courses:read', rule: 'permission_denied' } });
      expect(await read(path, await officerOf('430100'))).toMatchObject({ status: 403, body: { permission: 'courses:read' } });
      expect(await read(path, bearer(await issuer.token({ role: 'employer_staff', organisationId: randomUUID() })))).toMatchObject({ status: 403, body: { permission: 'courses:read' } });
      expect(await read(path, await officerOf('430200'))).toMatchObject({ status: 200, body: { course: { id: course } } });
      expect(await read(path, admin)).toMatchObject({ status: 403, body: { permission: 'courses:read', rule: 'permission_denied' } });
      expect(await read(`/api/v1/courses/${course}`, admin)).toMatchObject({ status: 403, body: { permission: 'courses:read' } });
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['cursor=%2F%2F', 'cursor'],
      [`cursor=${Buffer.from('["2021-03-01",0]').toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from(`["2021-03-01","${UNKNOWN_ID}"]`).toString('base64url')}`, 'cursor'],
      ['status=graduated', 'status'],
      ['consistent=1', 'consistent'],
    ])('refuses %s with a 400 naming %s', async (parameters, field) => {
      expect(await read(`/api/v1/courses/${course}/enrollments?${parameters}`, ours.staff)).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field })] } });
    });

    it('with consistent=true, shows an enrolment and a withdrawal answered a moment ago that the read model has not applied yet', async () => {
      const fresh = await schedule(ours.providerId, ours.staff);
      const path = `/api/v1/courses/${fresh}/enrollments`;
      const newcomer = await trainee();
      const entriesOf = (answer: { body: Page<{ traineeId: string; status: string }> }) => answer.body.items.map(({ traineeId, status }) => ({ traineeId, status }));
      /** The roster read while the rosters' projection cannot apply `change`, plainly and then with consistent=true. */
      const afterChange = async (change: () => Promise<unknown>) => {
        let waiting: ReturnType<typeof started> | undefined;
        let plain: Awaited<ReturnType<typeof call>> | undefined;
        await projectionHeldBack('course_rosters', async () => {
          await change();
          plain = await call('GET', path, ours.staff);
          waiting = await consistentReadInFlight(`${path}?consistent=true`, ours.staff);
          expect(waiting.settled).toBe(false);
        });
        return { plain: plain as Awaited<ReturnType<typeof call>>, consistent: await (waiting as ReturnType<typeof started>).answer };
      };

      const enrolment = await afterChange(() => succeeds('POST', path, ours.staff, { traineeId: newcomer, enrolledOn: '2021-03-02' }));
      // The plain read shows the roster the read model holds, and says it is behind.
      expect(enrolment.plain).toMatchObject({ status: 200, body: { course: { enrolled: 1 }, items: [] } });
      expect(complete(enrolment.plain)).toEqual({ completeUpTo: null, pendingFacts: expect.stringMatching(/^[1-9]\d*$/) });
      expect(enrolment.consistent).toMatchObject({ status: 200, body: { course: { enrolled: 1 } } });
      expect(entriesOf(enrolment.consistent)).toEqual([{ traineeId: newcomer, status: 'enrolled' }]);
      expect(complete(enrolment.consistent)).toEqual({ completeUpTo: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/), pendingFacts: '0' });

      const withdrawal = await afterChange(() => succeeds('DELETE', `${path}/${newcomer}?withdrawnOn=2021-04-01`, ours.staff));
      expect(entriesOf(withdrawal.plain)).toEqual([{ traineeId: newcomer, status: 'enrolled' }]);
      expect(withdrawal.consistent).toMatchObject({ status: 200, body: { course: { enrolled: 0 }, items: [expect.objectContaining({ traineeId: newcomer, status: 'withdrawn', withdrawnOn: '2021-04-01' })] } });
    });

    it('answers 400 for a course id that is no UUID and 404 for an unknown course', async () => {
      expect(await read('/api/v1/courses/12345/enrollments', ours.staff)).toMatchObject({ status: 400, body: { errors: [{ field: 'id', rule: 'isUUID' }] } });
      expect(await read(`/api/v1/courses/${UNKNOWN_ID}/enrollments`, ours.staff)).toMatchObject({ status: 404, body: { entity: 'course', id: UNKNOWN_ID } });
    });
  });

  describe('courses recorded before these reads existed', () => {
    it('fills the rosters from the whole log: a rebuild (what a first start does) gives the same rows', async () => {
      const rows = () => sql.query('SELECT * FROM course_rosters ORDER BY enrollment_id').then((result) => result.rows);
      await host.app.get(ServiceRegistry).get('training')?.projections.caughtUp();
      const live = await rows();
      expect(live.length).toBeGreaterThan(5);
      await host.app.get(ServiceRegistry).get('training')?.projections.rebuild('course-rosters');
      expect(await rows()).toEqual(live);
    });

    it('gives course summaries made before target_level was kept their level from the log, on start', async () => {
      const { providerId, staff } = await school();
      const course = await schedule(providerId, staff, { targetLevel: 'senior' });
      expect((await read('/api/v1/courses', staff)).body.items).toEqual([expect.objectContaining({ id: course, targetLevel: 'senior' })]);
      // The table as the earlier version of the projection made it, then what the runner does on start.
      await sql.query('ALTER TABLE course_summaries DROP COLUMN target_level');
      await sql.query('BEGIN');
      await courseSummaries.createTable(sql as unknown as PoolClient, 'course_summaries');
      await sql.query('COMMIT');
      expect((await read('/api/v1/courses', staff)).body.items).toEqual([expect.objectContaining({ id: course, targetLevel: 'senior' })]);
    });
  });
});
