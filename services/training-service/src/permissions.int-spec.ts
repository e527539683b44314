// Who may schedule and run a course, over HTTP on training-service alone (domain.md section 9: "`school_staff`
// of the course's provider (a `bureau_officer` of its region may read)"). The role part is the AuthGuard's;
// these are the organisation part, checked by the course aggregate against its state. Each row: another
// school is refused 403 naming the permission and nothing is recorded; the provider's own staff succeed.
import { fixedClock } from '@skills/domain-kernel';
import { ApiSpec, bearer, ServiceSpec, startServiceSpec, TestIssuer, traineeRegisteredFact, testCreditCode, testIssuer } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { courseStream, enrolled, providerStream, scheduledCourse } from './training-fixtures';
import { TrainingModule } from './training.module';

const clock = fixedClock('2021-06-15T02:00:00.000Z');

const course = () => scheduledCourse();

describe("training: only the course's provider runs it (domain.md section 9)", () => {
  let service: ServiceSpec;
  let spec: ApiSpec;
  let issuer: TestIssuer;
  const staffOf = async (providerId: string) => bearer(await issuer.token({ role: 'school_staff', organisationId: providerId }));
  /** Staff of a school that is not the course's provider. */
  const otherSchool = () => staffOf(randomUUID());

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [TrainingModule], service: 'training', replicaWaitMs: 200, clock });
    ({ spec, issuer } = service);
  });

  afterAll(() => service?.close());

  it('courses:schedule — a school schedules courses only for itself', async () => {
    const provider = randomUUID();
    const body = { providerId: provider, title: '焊工（中级）培训班', occupationCode: '6-18-02-04', kind: 'skill', capacity: 3, startDate: '2021-03-01', endDate: '2021-05-31' };
    await spec
      .given(providerStream(provider))
      .when('POST', '/api/v1/courses', body, await otherSchool())
      .then(403, [], { permission: 'courses:schedule', rule: 'permission_denied' });
    await spec.when('POST', '/api/v1/courses', body, await staffOf(provider)).then(201, [{ type: 'CourseScheduled', data: { providerId: provider, providerRegionCode: '430200' } }]);
  });

  it("courses:enrol — a school cannot enrol into another school's course", async () => {
    const scheduled = course();
    const trainee = randomUUID();
    const path = `/api/v1/courses/${scheduled.data.courseId}/enrollments`;
    await spec
      .given(courseStream(scheduled), traineeRegisteredFact(trainee))
      .when('POST', path, { traineeId: trainee, enrolledOn: '2021-03-02' }, await otherSchool())
      .then(403, [], { permission: 'courses:enrol', rule: 'permission_denied' });
    await spec.when('POST', path, { traineeId: trainee, enrolledOn: '2021-03-02' }, await staffOf(scheduled.data.providerId)).then(201, [{ type: 'TraineeEnrolled', data: { traineeId: trainee } }]);
    // A trainee it does not know: refused the same, before the trainee is looked for (and waited for).
    await spec.when('POST', path, { traineeId: randomUUID(), enrolledOn: '2021-03-02' }, await otherSchool()).then(403, [], { permission: 'courses:enrol', rule: 'permission_denied' });
    // Nor a course that does not exist: that is said first.
    const nowhere = `/api/v1/courses/${randomUUID()}/enrollments`;
    await spec.when('POST', nowhere, { traineeId: randomUUID(), enrolledOn: '2021-03-02' }, await otherSchool()).then(404, [], { entity: 'course' });
  });

  it("courses:withdraw — a school cannot withdraw a trainee from another school's course", async () => {
    const scheduled = course();
    const trainee = randomUUID();
    const path = `/api/v1/courses/${scheduled.data.courseId}/enrollments/${trainee}?withdrawnOn=2021-04-01`;
    await spec
      .given(courseStream(scheduled, enrolled(scheduled, trainee)))
      .when('DELETE', path, undefined, await otherSchool())
      .then(403, [], { permission: 'courses:withdraw', rule: 'permission_denied' });
    await spec.when('DELETE', path, undefined, await staffOf(scheduled.data.providerId)).then(204, [{ type: 'EnrollmentWithdrawn', data: { traineeId: trainee } }]);
  });

  it("courses:record-results — a school cannot record results for another school's course", async () => {
    const scheduled = course();
    const trainee = randomUUID();
    const path = `/api/v1/courses/${scheduled.data.courseId}/assessments`;
    const result = { traineeId: trainee, passed: true, score: 80, assessedOn: '2021-05-31' };
    await spec
      .given(courseStream(scheduled, enrolled(scheduled, trainee)))
      .when('POST', path, result, await otherSchool())
      .then(403, [], { permission: 'courses:record-results', rule: 'permission_denied' });
    await spec.when('POST', path, result, await staffOf(scheduled.data.providerId)).then(201, [{ type: 'AssessmentRecorded', data: { traineeId: trainee, passed: true } }]);
  });

  it("courses:read — another school and a platform admin cannot read the course; its provider's staff and a bureau officer of its region can", async () => {
    const scheduled = course();
    const path = `/api/v1/courses/${scheduled.data.courseId}`;
    await spec
      .given(courseStream(scheduled), providerStream(scheduled.data.providerId))
      .when('GET', path, undefined, await otherSchool())
      .then(403, [], { permission: 'courses:read', rule: 'permission_denied' });
    await spec.when('GET', path, undefined, await staffOf(scheduled.data.providerId)).then(200, [], { id: scheduled.data.courseId, providerId: scheduled.data.providerId });
    // A bureau officer "of its region": the Zhuzhou bureau reads a Zhuzhou school's course, the Changsha bureau does not.
    const zhuzhou = bearer(await issuer.token({ role: 'bureau_officer', organisationId: randomUUID(), regionCode: '430200' }));
    await spec.when('GET', path, undefined, zhuzhou).then(200, [], { id: scheduled.data.courseId });
    const changsha = bearer(await issuer.token({ role: 'bureau_officer', organisationId: randomUUID(), regionCode: '430100' }));
    await spec.when('GET', path, undefined, changsha).then(403, [], { permission: 'courses:read' });
    // The rule names no platform admin among the readers.
    await spec.when('GET', path, undefined, bearer(await issuer.token({ role: 'platform_admin' }))).then(403, [], { permission: 'courses:read', rule: 'permission_denied' });
  });

  it('providers:register — a bureau officer registers only inside its region (the Zhuzhou bureau in 430202, not the Changsha one)', async () => {
    const officerOf = async (regionCode: string) => bearer(await (await testIssuer()).token({ role: 'bureau_officer', organisationId: randomUUID(), regionCode }));
    const body = { name: '株洲新希望焊接培训学校', creditCode: testCreditCode(801), regionCode: '430202' };
    await spec.when('POST', '/api/v1/providers', body, await officerOf('430100')).then(403, [], { permission: 'providers:register', rule: 'permission_denied' });
    await spec.when('POST', '/api/v1/providers', body, await officerOf('430200')).then(201, [{ type: 'ProviderRegistered', data: { regionCode: '430202' } }]);
  });
});
