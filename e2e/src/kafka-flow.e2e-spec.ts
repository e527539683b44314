// register → replica → enrol over real Kafka, as deployed with docker compose or Kubernetes:
// trainee-service and training-service as two hosts, each with its own database and consumer group,
// talking only through the shared test broker. A client that got 201 from trainee-service may enrol
// that trainee at once on training-service (read-your-writes across services), without sleeping.
import { TRAINEE_TOPIC } from '@skills/contracts';
import { bearer, consumerGroupCaughtUp, createTestDatabase, describeWithKafka, http, kafkaBrokers, startTestHost, TestDatabase, TestHost, testIssuer, waitFor, testIdentityNumber as identityNumber } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { TrainingModule } from '@skills/training-service';
import { randomBytes } from 'node:crypto';

describeWithKafka('register → replica → enrol across two services on Kafka', () => {
  const suffix = randomBytes(4).toString('hex');
  const trainingGroup = `training-service-flow-${suffix}`;
  let traineeDb: TestDatabase;
  let trainingDb: TestDatabase;
  let trainee: TestHost;
  let training: TestHost;
  let courseId: string;
  /** Staff of the school that owns the course: registers the trainees, enrols them, reads the course. */
  let school: Record<string, string>;

  beforeAll(async () => {
    const issuer = await testIssuer();
    [traineeDb, trainingDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    const common = { transport: 'kafka' as const, kafkaBrokers: kafkaBrokers() };
    trainee = await startTestHost({ ...common, modules: [TraineeModule], clientId: `trainee-service-flow-${suffix}`, databaseUrl: traineeDb.url });
    training = await startTestHost({ ...common, modules: [TrainingModule], clientId: trainingGroup, databaseUrl: trainingDb.url });

    const provider = await http(training.baseUrl, 'POST', '/api/v1/providers', { name: '株洲新希望焊接培训学校', creditCode: '91430200MA4L00001P', regionCode: '430200' }, bearer(await issuer.token({ role: 'platform_admin' })));
    expect(provider.status).toBe(201);
    school = bearer(await issuer.token({ role: 'school_staff', organisationId: provider.body.id }));
    const course = await http(training.baseUrl, 'POST', '/api/v1/courses', {
      providerId: provider.body.id,
      title: '焊工（中级）',
      occupationCode: '6-18-02-04',
      kind: 'skill',
      capacity: 5,
      startDate: '2021-03-01',
      endDate: '2099-05-31',
    }, school);
    expect(course.status).toBe(201);
    courseId = course.body.id;
    // The new group reads the shared trainee topic from the beginning: whatever other suites published
    // there must be behind it before the timing below means anything.
    await waitFor(() => consumerGroupCaughtUp(kafkaBrokers(), trainingGroup, TRAINEE_TOPIC), { timeoutMs: 30_000, description: 'training-service to catch up with the trainee topic' });
  }, 90_000);

  afterAll(async () => {
    await trainee?.close();
    await training?.close();
    await traineeDb?.drop();
    await trainingDb?.drop();
  }, 60_000);

  it('enrols a trainee right after registering it on the other service, and the course counts it', async () => {
    const registered = await http(trainee.baseUrl, 'POST', '/api/v1/trainees', { name: '学员1', idNumber: identityNumber(1), phone: '13800000000' }, school);
    expect(registered.status).toBe(201);
    // No sleep: the training service looks for the new id until its replica has caught up (CatchUp.lookUp).
    const enrolment = await http(training.baseUrl, 'POST', `/api/v1/courses/${courseId}/enrollments`, { traineeId: registered.body.id, enrolledOn: '2021-03-02' }, school);
    expect(enrolment.status).toBe(201);
    expect(enrolment.body.enrollmentId).toEqual(expect.any(String));

    const course = await http(training.baseUrl, 'GET', `/api/v1/courses/${courseId}`, undefined, school);
    expect(course.status).toBe(200);
    expect(course.body).toMatchObject({ id: courseId, capacity: 5, enrolled: 1 });
  });

  it('does the same for several trainees registered and enrolled back to back', async () => {
    for (let n = 2; n <= 4; n++) {
      const registered = await http(trainee.baseUrl, 'POST', '/api/v1/trainees', { name: `学员${n}`, idNumber: identityNumber(n), phone: '13800000000' }, school);
      expect(registered.status).toBe(201);
      const enrolment = await http(training.baseUrl, 'POST', `/api/v1/courses/${courseId}/enrollments`, { traineeId: registered.body.id }, school);
      expect(enrolment.status).toBe(201);
    }
    expect((await http(training.baseUrl, 'GET', `/api/v1/courses/${courseId}`, undefined, school)).body.enrolled).toBe(4);
  });
});
