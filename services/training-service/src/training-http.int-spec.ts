// The Training contract of api.md over HTTP on a real Postgres, training-service alone (trainees arrive as
// the facts trainee-service publishes): providers, courses,
// enrolments, withdrawals and assessments, their refusals, the course summary read model, a table of
// bad inputs (each a 400 naming the field), and Idempotency-Key on every command.
import { PLACEMENT_TOPIC } from '@skills/contracts';
import { businessDateOf } from '@skills/domain-kernel';
import { ServiceRegistry } from '@skills/service-runtime';
import { bearer, createTestDatabase, fact, http, publishFacts, startTestHost, TestDatabase, TestHost, testCreditCode, TestIssuer, testIssuer, traineeRegisteredFact } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { TrainingModule } from './training.module';
import { Client } from 'pg';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('Training HTTP contract (all in one process)', () => {
  let database: TestDatabase;
  let host: TestHost;
  let sql: Client;
  let providerId: string;
  let issuer: TestIssuer;
  /** The platform admin registers providers; the provider's own staff schedule and run its courses. */
  let admin: Record<string, string>;
  let staff: Record<string, string>;

  /** As the provider's staff unless the headers name another caller. */
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => http(host.baseUrl, method, path, body, { ...staff, ...headers });
  const registerProvider = (body: unknown, headers: Record<string, string> = {}) => call('POST', '/api/v1/providers', body, { ...admin, ...headers });
  const creditCode = testCreditCode;
  /** A trainee as trainee-service announces one: training knows them from the fact alone. */
  const trainee = async () => {
    const traineeId = randomUUID();
    await publishFacts(host, [traineeRegisteredFact(traineeId)]);
    return traineeId;
  };
  const courseBody = (change: Record<string, unknown> = {}) => ({
    providerId,
    title: '焊工（中级）',
    occupationCode: '6-18-02-04',
    kind: 'skill',
    capacity: 3,
    startDate: '2021-03-01',
    endDate: '2021-05-31',
    ...change,
  });
  const course = async (change: Record<string, unknown> = {}) => {
    const answer = await call('POST', '/api/v1/courses', courseBody(change));
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };
  const getCourse = async (id: string) => (await call('GET', `/api/v1/courses/${id}`)).body;
  /** `null` leaves enrolledOn out (the service then takes today). */
  const enrol = (courseId: string, traineeId: string, enrolledOn: string | null = '2021-03-02', headers = {}) =>
    call('POST', `/api/v1/courses/${courseId}/enrollments`, { traineeId, ...(enrolledOn ? { enrolledOn } : {}) }, headers);
  const withdraw = (courseId: string, traineeId: string, withdrawnOn?: string, headers = {}) =>
    call('DELETE', `/api/v1/courses/${courseId}/enrollments/${traineeId}${withdrawnOn ? `?withdrawnOn=${withdrawnOn}` : ''}`, undefined, headers);
  const assess = (courseId: string, traineeId: string, change: Record<string, unknown> = {}, headers = {}) =>
    call('POST', `/api/v1/courses/${courseId}/assessments`, { traineeId, passed: true, score: 88.5, assessedOn: '2021-05-31', ...change }, headers);
  const eventCount = async () => Number((await sql.query('SELECT count(*) AS n FROM training.events')).rows[0].n);
  const streamEvents = async (courseId: string) =>
    (await sql.query(`SELECT event_type AS type, data FROM training.events WHERE stream_id = $1 ORDER BY stream_version`, [`course-${courseId}`])).rows;
  const projections = () => {
    const training = host.app.get(ServiceRegistry).get('training');
    if (!training) throw new Error('the training service is not registered in the test host');
    return training.projections;
  };
  const summaries = async () => {
    await projections().caughtUp();
    return (await sql.query('SELECT course_id, enrolled, assessed, passed, results FROM training.course_summaries ORDER BY course_id')).rows;
  };
  const summaryOf = async (courseId: string) => (await summaries()).find((row) => row.course_id === courseId);

  beforeAll(async () => {
    issuer = await testIssuer();
    admin = bearer(await issuer.token({ role: 'platform_admin' }));
    database = await createTestDatabase();
    host = await startTestHost({ modules: [TrainingModule], transport: 'in-process', databaseUrl: database.url, replicaWaitMs: 1000 });
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    const provider = await registerProvider({ name: '株洲新希望焊接培训学校', creditCode: creditCode(1), regionCode: '430200' });
    expect(provider).toMatchObject({ status: 201, body: { id: expect.any(String) } });
    providerId = provider.body.id;
    staff = bearer(await issuer.token({ role: 'school_staff', organisationId: providerId }));
  });

  afterAll(async () => {
    await sql?.end();
    await host?.close();
    await database?.drop();
  });

  describe('providers', () => {
    it('registers one provider per credit code, also under 10 concurrent registrations; the refusals name the registered one', async () => {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => registerProvider({ name: `学校${i}`, creditCode: creditCode(2), regionCode: '430200' })));
      const created = answers.filter((answer) => answer.status === 201);
      expect(created).toHaveLength(1);
      const existingId = created[0].body.id;
      for (const answer of answers.filter((answer) => answer.status !== 201)) {
        expect(answer).toMatchObject({ status: 409, body: { status: 409, rule: 'credit_code_registered', existingId } });
      }
      const again = await registerProvider({ name: '另一所', creditCode: creditCode(2).toLowerCase(), regionCode: '430200' });
      expect(again).toMatchObject({ status: 409, body: { rule: 'credit_code_registered', existingId } });
      expect(again.headers.get('content-type')).toContain('application/problem+json');
    });
  });

  describe('courses', () => {
    it('answers 404 for a sponsoring employer nobody registered (or an organisation that is no employer), and records nothing', async () => {
      const unknown = randomUUID();
      const answer = await call('POST', '/api/v1/courses', { providerId, title: '职业道德和法律法规', occupationCode: '6-18-02-04', kind: 'ethics_and_law', capacity: 5, startDate: '2021-03-01', endDate: '2021-03-31', sponsorEmployerId: unknown });
      expect(answer).toMatchObject({ status: 404, body: { entity: 'employer', id: unknown } });
      expect(await call('POST', '/api/v1/courses', { providerId, title: '职业道德和法律法规', occupationCode: '6-18-02-04', kind: 'ethics_and_law', capacity: 5, startDate: '2021-03-01', endDate: '2021-03-31', sponsorEmployerId: providerId })).toMatchObject({ status: 404 });
    });

    it('schedules a course and answers its fields, with the optional ones when set', async () => {
      const sponsorEmployerId = randomUUID();
      await publishFacts(host, [fact(PLACEMENT_TOPIC, 'EmployerRegistered', { employerId: sponsorEmployerId, name: '株洲九方装备', creditCode: testCreditCode(7401), industryCode: 'C37', regionCode: '430200' }, { key: sponsorEmployerId })]);
      const id = await course({ title: '焊工（中级）订单班', targetLevel: 'intermediate', occupationEdition: '2015', sponsorEmployerId });
      expect(await getCourse(id)).toEqual({
        id,
        providerId,
        title: '焊工（中级）订单班',
        occupationCode: '6-18-02-04',
        occupationEdition: '2015',
        kind: 'skill',
        targetLevel: 'intermediate',
        capacity: 3,
        enrolled: 0,
        assessed: 0,
        passed: 0,
        startDate: '2021-03-01',
        endDate: '2021-05-31',
        sponsorEmployerId,
      });
      const plain = await getCourse(await course());
      expect(plain.occupationEdition).toBe('2022');
      expect(plain).not.toHaveProperty('targetLevel');
      expect(plain).not.toHaveProperty('sponsorEmployerId');
    });

    it('schedules a course of one day', async () => {
      expect(await getCourse(await course({ startDate: '2021-03-01', endDate: '2021-03-01' }))).toMatchObject({ startDate: '2021-03-01', endDate: '2021-03-01' });
    });

    it('answers 404 naming an unknown provider or course, and 409 for an end before the start', async () => {
      const before = await eventCount();
      // Staff of the provider named, so only its being unknown answers.
      const unknownProvider = await call('POST', '/api/v1/courses', courseBody({ providerId: UNKNOWN_ID }), bearer(await issuer.token({ role: 'school_staff', organisationId: UNKNOWN_ID })));
      expect(unknownProvider).toMatchObject({ status: 404, body: { entity: 'provider', id: UNKNOWN_ID, detail: expect.stringContaining(UNKNOWN_ID) } });
      expect(await call('GET', `/api/v1/courses/${UNKNOWN_ID}`)).toMatchObject({ status: 404, body: { entity: 'course', id: UNKNOWN_ID } });
      const reversed = await call('POST', '/api/v1/courses', courseBody({ startDate: '2021-03-02', endDate: '2021-03-01' }));
      expect(reversed).toMatchObject({ status: 409, body: { rule: 'course_ends_before_it_starts', startDate: '2021-03-02', endDate: '2021-03-01' } });
      expect(await eventCount()).toBe(before);
    });
  });

  describe('enrolments and withdrawals', () => {
    it('enrols, refuses by rule, and frees the seat on withdrawal', async () => {
      const id = await course({ capacity: 1 });
      const [first, second] = [await trainee(), await trainee()];
      expect(await enrol(id, first)).toMatchObject({ status: 201, body: { enrollmentId: expect.any(String) } });
      expect(await enrol(id, first)).toMatchObject({ status: 409, body: { rule: 'already_enrolled' } });
      // An id in capitals is the same person, not a second seat (ids are taken lower-case, as paths' are).
      expect(await enrol(id, first.toUpperCase())).toMatchObject({ status: 409, body: { rule: 'already_enrolled' } });
      expect(await enrol(id, second)).toMatchObject({ status: 409, body: { rule: 'course_full', capacity: 1, enrolled: 1 } });
      expect(await enrol(await course(), second, '2021-06-01')).toMatchObject({ status: 409, body: { rule: 'enrolled_after_course_end', enrolledOn: '2021-06-01', endDate: '2021-05-31' } });
      expect(await withdraw(id, first, '2021-03-01')).toMatchObject({ status: 409, body: { rule: 'withdrawn_before_enrolment' } });
      expect(await withdraw(id, first, '2021-06-01')).toMatchObject({ status: 409, body: { rule: 'withdrawn_after_course_end' } });
      expect(await withdraw(id, second, '2021-04-01')).toMatchObject({ status: 409, body: { rule: 'not_enrolled' } });
      const withdrawn = await withdraw(id, first, '2021-04-01');
      expect(withdrawn.status).toBe(204);
      expect(withdrawn.body).toBeUndefined();
      expect(await withdraw(id, first, '2021-04-01')).toMatchObject({ status: 409, body: { status: 409, rule: 'not_enrolled' } });
      // The seat is free from the withdrawal on, not before it (first held it until 2021-04-01).
      expect(await enrol(id, second)).toMatchObject({ status: 409, body: { rule: 'course_full', fullOn: '2021-03-02' } });
      expect((await enrol(id, second, '2021-04-01')).status).toBe(201);
      expect((await getCourse(id)).enrolled).toBe(1);
    });

    it('enrols a withdrawn trainee again while a seat is left, and not once the seat is taken', async () => {
      const id = await course({ capacity: 1 });
      const [returning, other] = [await trainee(), await trainee()];
      const firstEnrolment = await enrol(id, returning);
      expect((await withdraw(id, returning, '2021-03-10')).status).toBe(204);
      const again = await enrol(id, returning, '2021-03-11');
      expect(again.status).toBe(201);
      expect(again.body.enrollmentId).not.toBe(firstEnrolment.body.enrollmentId);
      expect((await withdraw(id, returning, '2021-03-12')).status).toBe(204);
      expect((await enrol(id, other, '2021-03-12')).status).toBe(201);
      expect(await enrol(id, returning, '2021-03-13')).toMatchObject({ status: 409, body: { rule: 'course_full' } });
    });

    it('dates an enrolment and a withdrawal today when no date is given', async () => {
      const today = businessDateOf(new Date());
      const running = await course({ startDate: '2021-01-01', endDate: '2099-12-31' });
      const student = await trainee();
      expect((await enrol(running, student, null)).status).toBe(201);
      expect((await withdraw(running, student)).status).toBe(204);
      const [, enrolled, withdrawn] = await streamEvents(running);
      // Read after the calls: a test run across midnight (UTC+8) may see either day.
      expect([today, businessDateOf(new Date())]).toContain(enrolled.data.enrolledOn);
      expect([today, businessDateOf(new Date())]).toContain(withdrawn.data.withdrawnOn);

      // Today is after a 2021 course ended: no date means too late for either.
      const ended = await course();
      expect(await enrol(ended, student, null)).toMatchObject({ status: 409, body: { rule: 'enrolled_after_course_end' } });
      await enrol(ended, student);
      expect(await withdraw(ended, student)).toMatchObject({ status: 409, body: { rule: 'withdrawn_after_course_end' } });
    });

    it('answers 404 for an unknown trainee or course', async () => {
      expect(await enrol(await course(), UNKNOWN_ID)).toMatchObject({ status: 404, body: { entity: 'trainee', id: UNKNOWN_ID } });
      expect(await enrol(UNKNOWN_ID, await trainee())).toMatchObject({ status: 404, body: { entity: 'course', id: UNKNOWN_ID } });
      expect(await withdraw(UNKNOWN_ID, await trainee(), '2021-04-01')).toMatchObject({ status: 404, body: { entity: 'course' } });
    });
  });

  describe('assessments', () => {
    it('records a result, corrects it with a later one, and refuses by rule', async () => {
      const id = await course();
      const [student, stranger, late] = [await trainee(), await trainee(), await trainee()];
      await enrol(id, student);
      await enrol(id, late, '2021-04-01');
      const failed = await assess(id, student, { passed: false, score: 55, assessedOn: '2021-05-30' });
      expect(failed).toMatchObject({ status: 201, body: { assessmentId: expect.any(String) } });
      const corrected = await assess(id, student);
      expect(corrected.status).toBe(201);
      expect(await getCourse(id)).toMatchObject({ enrolled: 2, assessed: 1, passed: 1 });
      const results = (await streamEvents(id)).filter((event) => event.type === 'AssessmentRecorded').map((event) => event.data);
      expect(results).toEqual([
        expect.objectContaining({ assessmentId: failed.body.assessmentId, passed: false, score: 55 }),
        expect.objectContaining({ assessmentId: corrected.body.assessmentId, passed: true, score: 88.5, corrects: failed.body.assessmentId }),
      ]);
      expect(results[0]).not.toHaveProperty('corrects');

      expect(await assess(id, stranger)).toMatchObject({ status: 409, body: { rule: 'not_enrolled' } });
      expect(await assess(id, late, { assessedOn: '2021-03-15' })).toMatchObject({ status: 409, body: { rule: 'assessed_before_enrolment', assessedOn: '2021-03-15', enrolledOn: '2021-04-01' } });
      const early = await course();
      await enrol(early, stranger, '2021-02-20');
      expect(await assess(early, stranger, { assessedOn: '2021-02-25' })).toMatchObject({ status: 409, body: { rule: 'assessed_before_course_start', startDate: '2021-03-01' } });
      expect(await assess(UNKNOWN_ID, student)).toMatchObject({ status: 404, body: { entity: 'course' } });
    });

    it('judges a result by the course dates, not the wall clock: a 2019 course assessed in 2019, or after it ended', async () => {
      const old = await course({ startDate: '2019-03-01', endDate: '2019-05-31' });
      const [onTime, later] = [await trainee(), await trainee()];
      await enrol(old, onTime, '2019-03-01');
      await enrol(old, later, '2019-03-01');
      expect((await assess(old, onTime, { assessedOn: '2019-05-31' })).status).toBe(201);
      expect((await assess(old, later, { assessedOn: '2019-07-15' })).status).toBe(201);
    });

    it('refuses a result for a trainee who withdrew', async () => {
      const id = await course();
      const leaver = await trainee();
      await enrol(id, leaver);
      await withdraw(id, leaver, '2021-04-01');
      expect(await assess(id, leaver)).toMatchObject({ status: 409, body: { rule: 'not_enrolled' } });
    });

    it('keeps the course summary read model in step: a correction replaces, a withdrawal takes its result out, and a rebuild gives the same rows', async () => {
      const id = await course();
      const [passer, failer, leaver] = [await trainee(), await trainee(), await trainee()];
      for (const student of [passer, failer, leaver]) await enrol(id, student);
      await assess(id, passer, { passed: false, score: 40 });
      await assess(id, passer, { passed: true, score: 90 });
      await assess(id, passer, { passed: true, score: 91 });
      await assess(id, failer, { passed: true, score: 70 });
      await assess(id, failer, { passed: false, score: 50 });
      await assess(id, leaver, { passed: true, score: 80, assessedOn: '2021-04-01' });
      expect(await summaryOf(id)).toMatchObject({ enrolled: 3, assessed: 3, passed: 2 });
      await withdraw(id, leaver, '2021-04-02');
      const { enrolled, assessed, passed } = await getCourse(id);
      expect({ enrolled, assessed, passed }).toEqual({ enrolled: 2, assessed: 2, passed: 1 });
      expect(await summaryOf(id)).toMatchObject({ enrolled, assessed, passed });

      const live = await summaries();
      await projections().rebuild('course-summaries');
      expect(await summaries()).toEqual(live);
    });
  });

  describe('bad input', () => {
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const valid = () => ({
      providers: { name: '学校', creditCode: creditCode(90), regionCode: '430200' },
      courses: courseBody(),
      // A known trainee: a date in the future is the course's rule, judged once the trainee is found.
      enrollments: { traineeId: knownTrainee, enrolledOn: '2021-03-02' },
      assessments: { traineeId: UNKNOWN_ID, passed: true, score: 80, assessedOn: '2021-05-31' },
    });
    let courseId: string;
    let knownTrainee: string;
    beforeAll(async () => {
      courseId = await course();
      knownTrainee = await trainee();
    });
    const path = (resource: string) => (resource === 'providers' || resource === 'courses' ? `/api/v1/${resource}` : `/api/v1/courses/${courseId}/${resource}`);

    it.each([
      ['providers', 'a credit code with a wrong check character', { creditCode: '91430200MA4L00001Q' }, 'creditCode'],
      ['providers', 'a credit code with a letter outside the alphabet', { creditCode: '91430200MA4L0000IP' }, 'creditCode'],
      ['providers', 'a 5-digit region code', { regionCode: '43020' }, 'regionCode'],
      ['providers', 'no name', { name: undefined }, 'name'],
      ['providers', 'an unknown field', { motto: '工匠精神' }, 'motto'],
      ['courses', 'an occupation code of the wrong shape', { occupationCode: '6-18-2-4' }, 'occupationCode'],
      ['courses', 'an unknown occupation edition', { occupationEdition: '1999' }, 'occupationEdition'],
      ['courses', 'an unknown kind', { kind: 'hobby' }, 'kind'],
      ['courses', 'an unknown target level', { targetLevel: 'grandmaster' }, 'targetLevel'],
      ['courses', 'a capacity of 0', { capacity: 0 }, 'capacity'],
      ['courses', 'a capacity of 1.5', { capacity: 1.5 }, 'capacity'],
      ['courses', 'a capacity given as text', { capacity: '10' }, 'capacity'],
      ['courses', 'an end date that is not a date', { endDate: 'next spring' }, 'endDate'],
      ['courses', 'a start date that does not exist', { startDate: '2021-02-30' }, 'startDate'],
      ['courses', 'a provider id that is not a UUID', { providerId: 'p-1' }, 'providerId'],
      ['courses', 'a sponsoring employer id that is not a UUID', { sponsorEmployerId: 'e-1' }, 'sponsorEmployerId'],
      ['courses', 'an unknown field', { teacher: '王师傅' }, 'teacher'],
      ['enrollments', 'a trainee id that is not a UUID', { traineeId: 't-1' }, 'traineeId'],
      ['enrollments', 'an enrolment date in the future', { enrolledOn: tomorrow }, 'enrolledOn'],
      ['enrollments', 'an enrolment date that does not exist', { enrolledOn: '2021-02-30' }, 'enrolledOn'],
      ['enrollments', 'an unknown field', { seat: 7 }, 'seat'],
      ['assessments', 'a trainee id that is not a UUID', { traineeId: 't-1' }, 'traineeId'],
      ['assessments', 'a score of 101', { score: 101 }, 'score'],
      ['assessments', 'a score of -1', { score: -1 }, 'score'],
      ['assessments', 'a score with three decimals', { score: 50.555 }, 'score'],
      ['assessments', 'a score in exponent notation below a hundredth', { score: 1e-7 }, 'score'],
      ['assessments', 'a score given as text', { score: '80' }, 'score'],
      ['assessments', 'passed given as text', { passed: 'yes' }, 'passed'],
      ['assessments', 'no passed', { passed: undefined }, 'passed'],
      ['assessments', 'no assessment date', { assessedOn: undefined }, 'assessedOn'],
      ['assessments', 'an assessment date in the future', { assessedOn: tomorrow }, 'assessedOn'],
      ['assessments', 'an unknown field', { grade: 'A' }, 'grade'],
    ] as const)('%s: answers 400 naming the field for %s', async (resource, _case, change, field) => {
      const before = await eventCount();
      const answer = await call('POST', path(resource), { ...valid()[resource], ...change }, resource === 'providers' ? admin : {});
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.errors.map((error: { field: string }) => error.field)).toContain(field);
      expect(await eventCount()).toBe(before);
    });

    it.each([
      ['not a date', 'someday'],
      ['a day that does not exist', '2021-02-30'],
      ['in the future', tomorrow],
    ])('answers 400 naming withdrawnOn for a withdrawal date %s', async (_case, withdrawnOn) => {
      const answer = await withdraw(courseId, UNKNOWN_ID, withdrawnOn);
      expect(answer.status).toBe(400);
      expect(answer.body.errors.map((error: { field: string }) => error.field)).toContain('withdrawnOn');
    });

    it('answers 400 for ids in the path that are not UUIDs', async () => {
      expect((await call('GET', '/api/v1/courses/c-1')).status).toBe(400);
      expect((await enrol('c-1', UNKNOWN_ID)).status).toBe(400);
      expect((await withdraw(courseId, 't-1', '2021-04-01')).status).toBe(400);
    });

    it('answers 400 for malformed JSON and 413 for a body over 64 kb, as problem details', async () => {
      const malformed = await call('POST', '/api/v1/courses', '{"providerId":');
      expect(malformed.status).toBe(400);
      expect(malformed.headers.get('content-type')).toContain('application/problem+json');
      const tooLarge = await call('POST', `/api/v1/courses/${courseId}/assessments`, { ...valid().assessments, note: 'x'.repeat(70_000) });
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.headers.get('content-type')).toContain('application/problem+json');
      expect((await call('POST', '/api/v1/courses', { ...valid().courses, title: 'x'.repeat(70_000) })).status).toBe(413);
    });
  });

  describe('Idempotency-Key', () => {
    const key = (name: string) => ({ 'Idempotency-Key': `training-http-${name}` });
    const sameAnswers = (answers: { status: number; body: unknown }[]) => expect(new Set(answers.map((answer) => `${answer.status} ${JSON.stringify(answer.body)}`)).size).toBe(1);
    const count = async (query: string, values: unknown[] = []) => Number((await sql.query(query, values)).rows[0].n);

    it('repeats the first answer of every training command and changes nothing, also under 5 concurrent repeats', async () => {
      const provider = await Promise.all(Array.from({ length: 5 }, () => registerProvider({ name: '学校', creditCode: creditCode(3), regionCode: '430200' }, key('provider'))));
      sameAnswers(provider);
      expect(provider[0].status).toBe(201);
      expect(await count(`SELECT count(*) AS n FROM training.events WHERE event_type = 'ProviderRegistered' AND data->>'creditCode' = $1`, [creditCode(3)])).toBe(1);

      const courses = () => count(`SELECT count(*) AS n FROM training.events WHERE event_type = 'CourseScheduled'`);
      const coursesBefore = await courses();
      const scheduled = await Promise.all(Array.from({ length: 5 }, () => call('POST', '/api/v1/courses', courseBody(), key('course'))));
      sameAnswers(scheduled);
      expect(scheduled[0].status).toBe(201);
      expect(await courses()).toBe(coursesBefore + 1);
      const id = scheduled[0].body.id;

      const student = await trainee();
      const enrolments = await Promise.all(Array.from({ length: 5 }, () => enrol(id, student, '2021-03-02', key('enrol'))));
      sameAnswers(enrolments);
      expect(enrolments[0].status).toBe(201);
      expect((await getCourse(id)).enrolled).toBe(1);

      const results = await Promise.all(Array.from({ length: 5 }, () => assess(id, student, { assessedOn: '2021-05-30' }, key('assess'))));
      sameAnswers(results);
      expect(results[0].status).toBe(201);
      expect(await getCourse(id)).toMatchObject({ enrolled: 1, assessed: 1, passed: 1 });

      const withdrawals = await Promise.all(Array.from({ length: 5 }, () => withdraw(id, student, '2021-05-31', key('withdraw'))));
      expect(withdrawals.map((answer) => answer.status)).toEqual([204, 204, 204, 204, 204]);
      expect((await getCourse(id)).enrolled).toBe(0);

      const { rows } = await sql.query(`SELECT event_type, count(*)::int AS n FROM training.events WHERE stream_id = $1 GROUP BY event_type ORDER BY event_type`, [`course-${id}`]);
      expect(rows).toEqual([
        { event_type: 'AssessmentRecorded', n: 1 },
        { event_type: 'CourseScheduled', n: 1 },
        { event_type: 'EnrollmentWithdrawn', n: 1 },
        { event_type: 'TraineeEnrolled', n: 1 },
      ]);
    });

    it('repeats a refusal as it was, even after the course changed; without the key the command runs afresh', async () => {
      const id = await course({ capacity: 1 });
      const [seated, waiting] = [await trainee(), await trainee()];
      await enrol(id, seated);
      const refused = await enrol(id, waiting, '2021-03-02', key('refused'));
      expect(refused).toMatchObject({ status: 409, body: { rule: 'course_full' } });
      expect((await withdraw(id, seated, '2021-03-03')).status).toBe(204);
      const repeat = await enrol(id, waiting, '2021-03-02', key('refused'));
      expect({ status: repeat.status, body: repeat.body }).toEqual({ status: refused.status, body: refused.body });
      expect((await getCourse(id)).enrolled).toBe(0);
      expect((await enrol(id, waiting, '2021-03-03')).status).toBe(201);
    });
  });
});
