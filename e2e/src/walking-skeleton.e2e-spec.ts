import { ServiceRegistry } from '@skills/service-runtime';
import { bearer, createTestDatabase, http, startTestHost, TestDatabase, TestHost, testIdentityNumber as identityNumber, testIssuer } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { TrainingModule } from '@skills/training-service';
import { Client } from 'pg';


describe('walking skeleton, all in one process (in-process transport)', () => {
  let database: TestDatabase;
  let host: TestHost;
  let providerId: string;
  /** The platform admin registers the provider; its staff register trainees and run its courses. */
  let admin: Record<string, string>;
  let staff: Record<string, string>;
  /** As the provider's staff, unless the headers name another caller. */
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => http(host.baseUrl, method, path, body, { ...staff, ...headers });

  beforeAll(async () => {
    const issuer = await testIssuer();
    admin = bearer(await issuer.token({ role: 'platform_admin' }));
    database = await createTestDatabase();
    // The production default: 25 registrations at once reach the replica within it even on a busy CI machine.
    host = await startTestHost({ modules: [TraineeModule, TrainingModule], transport: 'in-process', databaseUrl: database.url, replicaWaitMs: 5000 });
    const provider = await call('POST', '/api/v1/providers', { name: '株洲新希望焊接培训学校', creditCode: '91430200MA4L00001P', regionCode: '430200' }, admin);
    expect(provider.status).toBe(201);
    providerId = provider.body.id;
    staff = bearer(await issuer.token({ role: 'school_staff', organisationId: providerId }));
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  const scheduleCourse = async (capacity: number) => {
    const course = await call('POST', '/api/v1/courses', {
      providerId,
      title: '焊工（中级）',
      occupationCode: '6-18-02-04',
      kind: 'skill',
      capacity,
      startDate: '2021-03-01',
      endDate: '2099-05-31',
    });
    expect(course.status).toBe(201);
    return course.body.id as string;
  };

  const register = (n: number) => call('POST', '/api/v1/trainees', { name: `学员${n}`, idNumber: identityNumber(n), phone: '13800000000' });

  it('registers, then enrols at once (the replica learns of the trainee in time)', async () => {
    const courseId = await scheduleCourse(5);
    const trainee = await register(1);
    expect(trainee.status).toBe(201);
    const enrolment = await call('POST', `/api/v1/courses/${courseId}/enrollments`, { traineeId: trainee.body.id, enrolledOn: '2021-03-02' });
    expect(enrolment.status).toBe(201);
    expect(enrolment.body.enrollmentId).toEqual(expect.any(String));
    const course = await call('GET', `/api/v1/courses/${courseId}`);
    expect(course.body).toMatchObject({ id: courseId, capacity: 5, enrolled: 1, kind: 'skill' });
    const again = await call('POST', `/api/v1/courses/${courseId}/enrollments`, { traineeId: trainee.body.id });
    expect(again).toMatchObject({ status: 409, body: { rule: 'already_enrolled' } });
  });

  it('answers 10 concurrent registrations of one identity number with one 201 and nine 409 carrying the id', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => register(2)));
    const created = answers.filter((answer) => answer.status === 201);
    const refused = answers.filter((answer) => answer.status === 409);
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(9);
    for (const answer of refused) expect(answer.body).toMatchObject({ rule: 'identity_number_registered', existingId: created[0].body.id });
  });

  it('accepts exactly 10 of 25 concurrent enrolments into 10 seats', async () => {
    const courseId = await scheduleCourse(10);
    const trainees = await Promise.all(Array.from({ length: 25 }, (_, n) => register(100 + n)));
    const answers = await Promise.all(
      trainees.map((trainee) => call('POST', `/api/v1/courses/${courseId}/enrollments`, { traineeId: trainee.body.id, enrolledOn: '2021-03-02' })),
    );
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(10);
    const refused = answers.filter((answer) => answer.status !== 201);
    expect(refused).toHaveLength(15);
    for (const answer of refused) expect(answer.body).toMatchObject({ status: 409, rule: 'course_full' });
    expect((await call('GET', `/api/v1/courses/${courseId}`)).body.enrolled).toBe(10);
  });

  it('frees a seat on withdrawal', async () => {
    const courseId = await scheduleCourse(1);
    const [first, second] = await Promise.all([register(200), register(201)]);
    expect((await call('POST', `/api/v1/courses/${courseId}/enrollments`, { traineeId: first.body.id })).status).toBe(201);
    expect((await call('POST', `/api/v1/courses/${courseId}/enrollments`, { traineeId: second.body.id })).status).toBe(409);
    expect((await call('DELETE', `/api/v1/courses/${courseId}/enrollments/${first.body.id}`)).status).toBe(204);
    expect((await call('POST', `/api/v1/courses/${courseId}/enrollments`, { traineeId: second.body.id })).status).toBe(201);
  });

  it('refuses bad input with 400 naming each field, and unknown ids with 404', async () => {
    const bad = await call('POST', '/api/v1/trainees', { name: '', idNumber: '110105194912310021', phone: '12', extra: true });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['extra', 'idNumber', 'name', 'phone']);
    const unknownTrainee = await call('POST', `/api/v1/courses/${await scheduleCourse(1)}/enrollments`, { traineeId: '00000000-0000-4000-8000-000000000000' });
    expect(unknownTrainee.status).toBe(404);
    expect((await call('GET', '/api/v1/courses/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await call('POST', '/api/v1/trainees', '{not json')).status).toBe(400);
    expect((await call('POST', '/api/v1/trainees', { name: 'x'.repeat(70_000) })).status).toBe(413);
  });

  it('shows a trainee with the identity number masked', async () => {
    const trainee = await register(300);
    const answer = await call('GET', `/api/v1/trainees/${trainee.body.id}`);
    expect(answer.body).toMatchObject({ idNumberMasked: `430202********${identityNumber(300).slice(14)}`, gender: expect.any(String) });
    expect(JSON.stringify(answer.body)).not.toContain(identityNumber(300));
  });

  it('rebuilds a read model from the log into the same rows while the old one answers', async () => {
    const runner = host.app.get(ServiceRegistry).get('training')!.projections;
    await runner.caughtUp();
    const live = await rows(database.url, 'training', 'SELECT * FROM course_summaries ORDER BY course_id');
    expect(live.length).toBeGreaterThan(0);
    const rebuilding = runner.rebuild('course-summaries');
    // The live table keeps answering while the shadow fills.
    expect(await rows(database.url, 'training', 'SELECT * FROM course_summaries ORDER BY course_id')).toEqual(live);
    await rebuilding;
    const rebuilt = await rows(database.url, 'training', 'SELECT * FROM course_summaries ORDER BY course_id');
    expect(rebuilt).toEqual(live);
  });

  it('serves health and the OpenAPI document', async () => {
    expect((await http(host.baseUrl, 'GET', '/health/ready')).status).toBe(200);
    const document = await http(host.baseUrl, 'GET', '/api/docs-json');
    expect(Object.keys(document.body.paths)).toEqual(expect.arrayContaining(['/api/v1/trainees', '/api/v1/courses/{id}/enrollments']));
  });
});

async function rows(url: string, schema: string, sql: string) {
  const client = new Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}
