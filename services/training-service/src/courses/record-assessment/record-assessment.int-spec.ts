// A result recorded over HTTP that names the standing result it means to replace (`corrects`), so that a
// results grid never overwrites unseen a result someone else recorded meanwhile. On training-service alone
// and a real Postgres; today is 2021-06-15 (a fixed clock), the course ran from 2021-03-01 to 2021-05-31.
import { fixedClock } from '@skills/domain-kernel';
import { ApiSpec, bearer, ServiceSpec, startServiceSpec, traineeRegisteredFact } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { courseStream, enrolled, scheduledCourse } from '../../training-fixtures';
import { TrainingModule } from '../../training.module';
import { CourseScheduled } from '../course.aggregate';

const clock = fixedClock('2021-06-15T02:00:00.000Z');

describe('training: recording a result that names the one it replaces (corrects)', () => {
  let service: ServiceSpec;
  let spec: ApiSpec;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [TrainingModule], service: 'training', replicaWaitMs: 200, clock });
    spec = service.spec;
  });
  afterAll(() => service?.close());

  const staffOf = async ({ data }: CourseScheduled) => bearer(await service.issuer.token({ role: 'school_staff', organisationId: data.providerId }));
  const resultsOf = (scheduled: CourseScheduled) => `/api/v1/courses/${scheduled.data.courseId}/assessments`;
  const result = (traineeId: string, more: Record<string, unknown> = {}) => ({ traineeId, passed: true, score: 88, assessedOn: '2021-05-31', ...more });

  /** A course with one trainee enrolled, and a result standing for them when `standing` is given. */
  const enrolledWith = async (standing?: { assessmentId: string; passed: boolean; score: number; assessedOn: string }) => {
    const scheduled = scheduledCourse();
    const trainee = randomUUID();
    const enrolment = enrolled(scheduled, trainee);
    const recorded = standing ? [{ type: 'AssessmentRecorded', data: { ...standing, enrollmentId: enrolment.data.enrollmentId, courseId: scheduled.data.courseId, traineeId: trainee } }] : [];
    return { scheduled, trainee, past: [courseStream(scheduled, enrolment, ...recorded), traineeRegisteredFact(trainee)] };
  };
  const roster = async (scheduled: CourseScheduled) => (await spec.when('GET', `/api/v1/courses/${scheduled.data.courseId}/enrollments?consistent=true`, undefined, await staffOf(scheduled)).then(200)).body.items;

  it("shows the standing result's id on the roster, the id a correction names", async () => {
    const standing = { assessmentId: randomUUID(), passed: false, score: 55, assessedOn: '2021-05-20' };
    const { scheduled, trainee, past } = await enrolledWith(standing);
    await spec.given(...past).when('GET', `/api/v1/courses/${scheduled.data.courseId}/enrollments?consistent=true`, undefined, await staffOf(scheduled)).then(200, [], {
      items: [expect.objectContaining({ traineeId: trainee, assessment: expect.objectContaining({ assessmentId: standing.assessmentId, passed: false, score: 55 }) })],
    });
  });

  it('records a first result that expects none (corrects: null), answering no corrects', async () => {
    const { scheduled, trainee, past } = await enrolledWith();
    const { body } = await spec
      .given(...past)
      .when('POST', resultsOf(scheduled), result(trainee, { corrects: null }), await staffOf(scheduled))
      .then(201, [{ type: 'AssessmentRecorded', data: { traineeId: trainee, passed: true } }]);
    expect(body).toEqual({ assessmentId: expect.any(String) });
    expect((await roster(scheduled))[0].assessment).toMatchObject({ assessmentId: body.assessmentId });
  });

  it('replaces the standing result it names, answering the id of the one it replaced', async () => {
    const standing = { assessmentId: randomUUID(), passed: false, score: 55, assessedOn: '2021-05-20' };
    const { scheduled, trainee, past } = await enrolledWith(standing);
    const { body } = await spec
      .given(...past)
      .when('POST', resultsOf(scheduled), result(trainee, { corrects: standing.assessmentId }), await staffOf(scheduled))
      .then(201, [{ type: 'AssessmentRecorded', data: { traineeId: trainee, corrects: standing.assessmentId } }]);
    expect(body).toEqual({ assessmentId: expect.any(String), corrects: standing.assessmentId });
  });

  it('refuses, writing nothing, a result naming one that another replaced meanwhile; the answer carries the one that stands', async () => {
    const first = { assessmentId: randomUUID(), passed: false, score: 55, assessedOn: '2021-05-20' };
    const { scheduled, trainee, past } = await enrolledWith(first);
    // Someone else corrects it first (a second grid, open on the same roster).
    const { body: meanwhile } = await spec
      .given(...past)
      .when('POST', resultsOf(scheduled), result(trainee, { score: 71, corrects: first.assessmentId }), await staffOf(scheduled))
      .then(201);
    await spec
      .when('POST', resultsOf(scheduled), result(trainee, { score: 95, corrects: first.assessmentId }), await staffOf(scheduled))
      .then(409, [], { rule: 'assessment_changed', standing: { assessmentId: meanwhile.assessmentId, passed: true, score: 71, assessedOn: '2021-05-31' } });
    expect((await roster(scheduled))[0].assessment).toMatchObject({ assessmentId: meanwhile.assessmentId, score: 71 });
  });

  it('refuses, writing nothing, a result that expects none (null) where one stands', async () => {
    const standing = { assessmentId: randomUUID(), passed: true, score: 90, assessedOn: '2021-05-20' };
    const { scheduled, trainee, past } = await enrolledWith(standing);
    await spec
      .given(...past)
      .when('POST', resultsOf(scheduled), result(trainee, { passed: false, score: 40, corrects: null }), await staffOf(scheduled))
      .then(409, [], { rule: 'assessment_changed', standing });
  });

  it('refuses, writing nothing, a result naming one where none stands (standing: null)', async () => {
    const { scheduled, trainee, past } = await enrolledWith();
    await spec
      .given(...past)
      .when('POST', resultsOf(scheduled), result(trainee, { corrects: randomUUID() }), await staffOf(scheduled))
      .then(409, [], { rule: 'assessment_changed', standing: null });
  });

  it('replaces whatever stands when corrects is omitted, as imports and scripts rely on, answering what it replaced', async () => {
    const standing = { assessmentId: randomUUID(), passed: true, score: 90, assessedOn: '2021-05-20' };
    const { scheduled, trainee, past } = await enrolledWith(standing);
    const { body } = await spec
      .given(...past)
      .when('POST', resultsOf(scheduled), result(trainee, { passed: false, score: 40 }), await staffOf(scheduled))
      .then(201, [{ type: 'AssessmentRecorded', data: { passed: false, corrects: standing.assessmentId } }]);
    expect(body).toEqual({ assessmentId: expect.any(String), corrects: standing.assessmentId });
  });

  it('answers 400 naming corrects when it is no assessment id', async () => {
    const { scheduled, trainee, past } = await enrolledWith();
    await spec
      .given(...past)
      .when('POST', resultsOf(scheduled), result(trainee, { corrects: 'the last one' }), await staffOf(scheduled))
      .then(400, [], { errors: [expect.objectContaining({ field: 'corrects' })] });
  });
});
