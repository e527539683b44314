// The Training contract of api.md over HTTP on a real Postgres, in one process: providers, courses,
// enrolments, withdrawals and assessments, their refusals, a table of bad inputs (each a 400 naming
// the field), and Idempotency-Key on every command.
import { createTestDatabase, http, startTestHost, TestDatabase, TestHost, testCreditCode, testIdentityNumber } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { TrainingModule } from '@skills/training-service';
import { Client } from 'pg';

describe('Training HTTP contract (all in one process)', () => {
  let database: TestDatabase;
  let host: TestHost;
  let sql: Client;
  let providerId: string;
  let nextTrainee = 7000;

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => http(host.baseUrl, method, path, body, headers);
  const creditCode = testCreditCode;
  const trainee = async () => {
    const answer = await call('POST', '/api/v1/trainees', { name: '学员', idNumber: testIdentityNumber(nextTrainee++), phone: '13800000000' });
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };
  const course = async (change: Record<string, unknown> = {}) => {
    const answer = await call('POST', '/api/v1/courses', {
      providerId,
      title: '焊工（中级）',
      occupationCode: '6-18-02-04',
      kind: 'skill',
      capacity: 3,
      startDate: '2021-03-01',
      endDate: '2021-05-31',
      ...change,
    });
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };
  const enrol = (courseId: string, traineeId: string, enrolledOn = '2021-03-02', headers = {}) =>
    call('POST', `/api/v1/courses/${courseId}/enrollments`, { traineeId, enrolledOn }, headers);
  const assess = (courseId: string, traineeId: string, change: Record<string, unknown> = {}, headers = {}) =>
    call('POST', `/api/v1/courses/${courseId}/assessments`, { traineeId, passed: true, score: 88.5, assessedOn: '2021-05-31', ...change }, headers);
  const eventCount = async () => Number((await sql.query('SELECT count(*) AS n FROM training.events')).rows[0].n);

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: [TraineeModule, TrainingModule], transport: 'in-process', databaseUrl: database.url, replicaWaitMs: 1000 });
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    const provider = await call('POST', '/api/v1/providers', { name: '株洲新希望焊接培训学校', creditCode: creditCode(1), regionCode: '430200' });
    expect(provider).toMatchObject({ status: 201, body: { id: expect.any(String) } });
    providerId = provider.body.id;
  });

  afterAll(async () => {
    await sql?.end();
    await host?.close();
    await database?.drop();
  });

  describe('providers', () => {
    it('registers one provider per credit code, also under 10 concurrent registrations', async () => {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => call('POST', '/api/v1/providers', { name: `学校${i}`, creditCode: creditCode(2), regionCode: '430200' })));
      expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
      for (const answer of answers.filter((answer) => answer.status !== 201)) expect(answer).toMatchObject({ status: 409, body: { status: 409 } });
      const again = await call('POST', '/api/v1/providers', { name: '另一所', creditCode: creditCode(2).toLowerCase(), regionCode: '430200' });
      expect(again.status).toBe(409);
    });
  });

  describe('courses', () => {
    it('schedules a course and answers its fields', async () => {
      const id = await course({ kind: 'ethics_and_law', title: '职业道德和法律法规', targetLevel: 'intermediate', occupationEdition: '2015' });
      expect((await call('GET', `/api/v1/courses/${id}`)).body).toMatchObject({
        id,
        providerId,
        title: '职业道德和法律法规',
        occupationCode: '6-18-02-04',
        occupationEdition: '2015',
        kind: 'ethics_and_law',
        targetLevel: 'intermediate',
        capacity: 3,
        enrolled: 0,
        startDate: '2021-03-01',
        endDate: '2021-05-31',
      });
      expect((await call('GET', `/api/v1/courses/${await course()}`)).body.occupationEdition).toBe('2022');
    });

    it('answers 404 for an unknown provider or course and 409 for an end before the start', async () => {
      expect((await call('POST', '/api/v1/courses', { providerId: '00000000-0000-4000-8000-000000000000', title: 't', occupationCode: '6-18-02-04', kind: 'skill', capacity: 1, startDate: '2021-03-01', endDate: '2021-03-02' })).status).toBe(404);
      expect((await call('GET', '/api/v1/courses/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      const reversed = await call('POST', '/api/v1/courses', { providerId, title: 't', occupationCode: '6-18-02-04', kind: 'skill', capacity: 1, startDate: '2021-03-02', endDate: '2021-03-01' });
      expect(reversed).toMatchObject({ status: 409, body: { rule: 'course_ends_before_it_starts' } });
    });
  });

  describe('enrolments and withdrawals', () => {
    it('enrols, refuses by rule, and frees the seat on withdrawal', async () => {
      const id = await course({ capacity: 1 });
      const [first, second] = [await trainee(), await trainee()];
      expect(await enrol(id, first)).toMatchObject({ status: 201, body: { enrollmentId: expect.any(String) } });
      expect(await enrol(id, first)).toMatchObject({ status: 409, body: { rule: 'already_enrolled' } });
      expect(await enrol(id, second)).toMatchObject({ status: 409, body: { rule: 'course_full' } });
      expect(await enrol(await course(), second, '2021-06-01')).toMatchObject({ status: 409, body: { rule: 'enrolled_after_course_end' } });
      expect((await call('DELETE', `/api/v1/courses/${id}/enrollments/${first}?withdrawnOn=2021-03-01`)).body).toMatchObject({ rule: 'withdrawn_before_enrolment' });
      expect((await call('DELETE', `/api/v1/courses/${id}/enrollments/${first}?withdrawnOn=2021-06-01`)).body).toMatchObject({ rule: 'withdrawn_after_course_end' });
      expect((await call('DELETE', `/api/v1/courses/${id}/enrollments/${first}?withdrawnOn=2021-04-01`)).status).toBe(204);
      expect((await call('DELETE', `/api/v1/courses/${id}/enrollments/${first}?withdrawnOn=2021-04-01`)).body).toMatchObject({ status: 409, rule: 'not_enrolled' });
      expect((await enrol(id, second)).status).toBe(201);
      expect((await call('GET', `/api/v1/courses/${id}`)).body.enrolled).toBe(1);
    });

    it('answers 404 for an unknown trainee or course', async () => {
      expect((await enrol(await course(), '00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect((await enrol('00000000-0000-4000-8000-000000000000', await trainee())).status).toBe(404);
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
      expect((await assess(id, student)).status).toBe(201);
      expect((await call('GET', `/api/v1/courses/${id}`)).body).toMatchObject({ enrolled: 2, assessed: 1, passed: 1 });
      const { rows } = await sql.query(`SELECT data->>'corrects' AS corrects FROM training.events WHERE event_type = 'AssessmentRecorded' AND stream_id = $1 ORDER BY stream_version`, [`course-${id}`]);
      expect(rows).toEqual([{ corrects: null }, { corrects: failed.body.assessmentId }]);

      expect(await assess(id, stranger)).toMatchObject({ status: 409, body: { rule: 'not_enrolled' } });
      expect(await assess(id, late, { assessedOn: '2021-03-15' })).toMatchObject({ status: 409, body: { rule: 'assessed_before_enrolment' } });
      const early = await course();
      await enrol(early, stranger, '2021-02-20');
      expect(await assess(early, stranger, { assessedOn: '2021-02-25' })).toMatchObject({ status: 409, body: { rule: 'assessed_before_course_start' } });
      expect((await assess('00000000-0000-4000-8000-000000000000', student)).status).toBe(404);
    });
  });

  describe('bad input', () => {
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const valid = () => ({
      providers: { name: '学校', creditCode: creditCode(90), regionCode: '430200' },
      courses: { providerId, title: 't', occupationCode: '6-18-02-04', kind: 'skill', capacity: 3, startDate: '2021-03-01', endDate: '2021-05-31' },
      enrollments: { traineeId: '00000000-0000-4000-8000-000000000000', enrolledOn: '2021-03-02' },
      assessments: { traineeId: '00000000-0000-4000-8000-000000000000', passed: true, score: 80, assessedOn: '2021-05-31' },
    });
    let courseId: string;
    beforeAll(async () => {
      courseId = await course();
    });
    const path = (resource: string) => (resource === 'providers' || resource === 'courses' ? `/api/v1/${resource}` : `/api/v1/courses/${courseId}/${resource}`);

    it.each([
      ['providers', 'a credit code with a wrong check character', { creditCode: '91430200MA4L00001Q' }, 'creditCode'],
      ['providers', 'a credit code with a letter outside the alphabet', { creditCode: '91430200MA4L0000IP' }, 'creditCode'],
      ['providers', 'a 5-digit region code', { regionCode: '43020' }, 'regionCode'],
      ['providers', 'no name', { name: undefined }, 'name'],
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
      ['courses', 'an unknown field', { teacher: '王师傅' }, 'teacher'],
      ['enrollments', 'a trainee id that is not a UUID', { traineeId: 't-1' }, 'traineeId'],
      ['enrollments', 'an enrolment date in the future', { enrolledOn: tomorrow }, 'enrolledOn'],
      ['assessments', 'a score of 101', { score: 101 }, 'score'],
      ['assessments', 'a score of -1', { score: -1 }, 'score'],
      ['assessments', 'a score with two decimals', { score: 50.55 }, 'score'],
      ['assessments', 'passed given as text', { passed: 'yes' }, 'passed'],
      ['assessments', 'no assessment date', { assessedOn: undefined }, 'assessedOn'],
      ['assessments', 'an assessment date in the future', { assessedOn: tomorrow }, 'assessedOn'],
    ] as const)('%s: answers 400 naming the field for %s', async (resource, _case, change, field) => {
      const before = await eventCount();
      const answer = await call('POST', path(resource), { ...valid()[resource], ...change });
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.errors.map((error: { field: string }) => error.field)).toContain(field);
      expect(await eventCount()).toBe(before);
    });

    it('answers 400 for a withdrawal date that is not a date, malformed JSON, and 413 for a body over 64 kb', async () => {
      const withdrawal = await call('DELETE', `/api/v1/courses/${courseId}/enrollments/00000000-0000-4000-8000-000000000000?withdrawnOn=someday`);
      expect(withdrawal.status).toBe(400);
      expect(withdrawal.body.errors.map((error: { field: string }) => error.field)).toContain('withdrawnOn');
      expect((await call('POST', '/api/v1/courses', '{"providerId":')).status).toBe(400);
      expect((await call('POST', '/api/v1/courses', { ...valid().courses, title: 'x'.repeat(70_000) })).status).toBe(413);
    });
  });

  describe('Idempotency-Key', () => {
    const key = (name: string) => ({ 'Idempotency-Key': `training-http-${name}` });

    it('repeats the first answer of every training command and changes nothing, also under 5 concurrent repeats', async () => {
      const provider = await Promise.all(Array.from({ length: 5 }, () => call('POST', '/api/v1/providers', { name: '学校', creditCode: creditCode(3), regionCode: '430200' }, key('provider'))));
      expect(new Set(provider.map((answer) => `${answer.status} ${JSON.stringify(answer.body)}`)).size).toBe(1);
      expect(provider[0].status).toBe(201);

      const courseBody = { providerId, title: 't', occupationCode: '6-18-02-04', kind: 'skill', capacity: 3, startDate: '2021-03-01', endDate: '2021-05-31' };
      const [firstCourse, repeatCourse] = [await call('POST', '/api/v1/courses', courseBody, key('course')), await call('POST', '/api/v1/courses', courseBody, key('course'))];
      expect(repeatCourse.body).toEqual(firstCourse.body);
      const id = firstCourse.body.id;

      const student = await trainee();
      const enrolments = await Promise.all(Array.from({ length: 5 }, () => enrol(id, student, '2021-03-02', key('enrol'))));
      expect(enrolments.every((answer) => answer.status === 201 && answer.body.enrollmentId === enrolments[0].body.enrollmentId)).toBe(true);

      const results = await Promise.all(Array.from({ length: 5 }, () => assess(id, student, {}, key('assess'))));
      expect(new Set(results.map((answer) => answer.body.assessmentId)).size).toBe(1);

      const withdrawals = await Promise.all(Array.from({ length: 5 }, () => call('DELETE', `/api/v1/courses/${id}/enrollments/${student}?withdrawnOn=2021-05-31`, undefined, key('withdraw'))));
      expect(withdrawals.map((answer) => answer.status)).toEqual([204, 204, 204, 204, 204]);

      const { rows } = await sql.query(`SELECT event_type, count(*)::int AS n FROM training.events WHERE stream_id = $1 GROUP BY event_type ORDER BY event_type`, [`course-${id}`]);
      expect(rows).toEqual([
        { event_type: 'AssessmentRecorded', n: 1 },
        { event_type: 'CourseScheduled', n: 1 },
        { event_type: 'EnrollmentWithdrawn', n: 1 },
        { event_type: 'TraineeEnrolled', n: 1 },
      ]);
    });
  });
});
