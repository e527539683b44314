// POST /api/v1/courses/{id}/enrollments/{traineeId}/void: an enrolment recorded in error leaves the course with
// its results as if never recorded, on training-service alone (real Postgres, HTTP): its seat free, the person
// enrolled again as a new enrolment, off the roster and the course's counts, EnrollmentVoided published for the
// other services with every result voided and without the reason; refused to anyone but the course's school.
// Today is 2021-06-15 (a fixed clock): the course (2021-03-01 to 2021-05-31) has ended.
import { fixedClock } from '@skills/domain-kernel';
import { MessagePublisher, OutboxMessage } from '@skills/event-sourcing';
import { MESSAGE_PUBLISHER } from '@skills/messaging';
import { bearer, http, ServiceSpec, startServiceSpec, traineeRegisteredFact, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { courseStream, scheduledCourse } from '../../training-fixtures';
import { TrainingModule } from '../../training.module';
import { CourseScheduled } from '../course.aggregate';

const clock = fixedClock('2021-06-15T02:00:00.000Z');

describe('training: voiding an enrolment recorded in error', () => {
  let service: ServiceSpec;
  const published: OutboxMessage[] = [];

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [TrainingModule], service: 'training', replicaWaitMs: 200, clock });
    const publisher = service.host.app.get<MessagePublisher>(MESSAGE_PUBLISHER, { strict: false });
    const publish = publisher.publish.bind(publisher);
    publisher.publish = async (messages, stopping) => {
      published.push(...messages);
      return publish(messages, stopping);
    };
  });
  afterAll(async () => {
    await service?.close();
  });

  const staffOf = async ({ data }: CourseScheduled) => bearer(await service.issuer.token({ role: 'school_staff', organisationId: data.providerId }));
  const call = async (scheduled: CourseScheduled, method: string, resource: string, body?: unknown, headers?: Record<string, string>) =>
    http(service.host.baseUrl, method, `/api/v1/courses/${scheduled.data.courseId}${resource}`, body, headers ?? (await staffOf(scheduled)));
  const enrol = (scheduled: CourseScheduled, traineeId: string, enrolledOn = '2021-03-05') => call(scheduled, 'POST', '/enrollments', { traineeId, enrolledOn });
  const assess = (scheduled: CourseScheduled, traineeId: string, passed: boolean, assessedOn = '2021-05-20') => call(scheduled, 'POST', '/assessments', { traineeId, passed, score: passed ? 90 : 40, assessedOn });
  const voidIt = (scheduled: CourseScheduled, traineeId: string, body: Record<string, unknown> = { reason: '报名时选错了学员', enrollmentId: randomUUID() }, headers?: Record<string, string>) =>
    call(scheduled, 'POST', `/enrollments/${traineeId}/void`, body, headers);
  const roster = async (scheduled: CourseScheduled) => (await call(scheduled, 'GET', '/enrollments?consistent=true')).body.items as Array<{ traineeId: string; enrollmentId: string; status: string }>;
  /** The course as its school's list shows it (course_summaries), once caught up with the roster read. */
  const listed = async (scheduled: CourseScheduled) => {
    await roster(scheduled);
    const { body } = await http(service.host.baseUrl, 'GET', `/api/v1/courses?providerId=${scheduled.data.providerId}`, undefined, await staffOf(scheduled));
    return body.items.find((item: { id: string }) => item.id === scheduled.data.courseId);
  };

  /** A course of `capacity` seats whose provider's staff call, and these trainees registered with trainee-service. */
  const given = async (capacity: number, ...trainees: string[]) => {
    const scheduled = scheduledCourse({ capacity });
    await service.spec.given(courseStream(scheduled), ...trainees.map((traineeId) => traineeRegisteredFact(traineeId))).when('GET', `/api/v1/courses/${scheduled.data.courseId}`, undefined, await staffOf(scheduled)).then(200);
    return scheduled;
  };

  it('voids the enrolment with its results after the course ended: the seat free, the person enrolled again anew, off the roster and the counts, published without the reason', async () => {
    const [wrong, right, other] = [randomUUID(), randomUUID(), randomUUID()];
    const scheduled = await given(2, wrong, right, other);
    const enrolment = (await enrol(scheduled, wrong)).body.enrollmentId as string;
    expect(await enrol(scheduled, other)).toMatchObject({ status: 201 });
    const failed = (await assess(scheduled, wrong, false)).body.assessmentId as string;
    const passed = (await assess(scheduled, wrong, true, '2021-05-28')).body.assessmentId as string;
    expect(await enrol(scheduled, right)).toMatchObject({ status: 409, body: { rule: 'course_full' } });
    expect(await listed(scheduled)).toMatchObject({ enrolled: 2, assessed: 1, passed: 1 });

    expect(await voidIt(scheduled, wrong, { reason: '报名时选错了学员', enrollmentId: enrolment })).toMatchObject({ status: 200, body: { enrollmentId: enrolment, status: 'voided' } });

    expect((await roster(scheduled)).map((entry) => entry.traineeId)).toEqual([other]);
    expect((await call(scheduled, 'GET', '')).body).toMatchObject({ enrolled: 1, assessed: 0, passed: 0 });
    expect(await listed(scheduled)).toMatchObject({ enrolled: 1, assessed: 0, passed: 0 });
    // The seat was never held: another takes it from the same day; the voided person is enrolled again
    // (once per course judged without the voided enrolment), a new enrolment, once the seat is free again.
    expect(await enrol(scheduled, right)).toMatchObject({ status: 201 });
    expect(await call(scheduled, 'DELETE', `/enrollments/${right}?withdrawnOn=2021-03-05`)).toMatchObject({ status: 204 });
    const again = await enrol(scheduled, wrong);
    expect(again).toMatchObject({ status: 201 });
    expect(again.body.enrollmentId).not.toBe(enrolment);
    expect(await roster(scheduled)).toEqual([
      expect.objectContaining({ traineeId: other }),
      expect.objectContaining({ traineeId: right, status: 'withdrawn' }),
      expect.objectContaining({ traineeId: wrong, status: 'enrolled', enrollmentId: again.body.enrollmentId, assessment: null }),
    ]);
    // The other services are told, keyed by course, every result named, without the reason (kept here alone).
    const message = await waitFor(() => published.find((each) => each.envelope.type === 'EnrollmentVoided' && (each.envelope.payload as { enrollmentId: string }).enrollmentId === enrolment));
    expect(message).toMatchObject({
      key: scheduled.data.courseId,
      envelope: { payload: { enrollmentId: enrolment, courseId: scheduled.data.courseId, traineeId: wrong, assessmentIds: [failed, passed], voidedOn: '2021-06-15', course: { providerId: scheduled.data.providerId } } },
    });
    expect(message.envelope.payload).not.toHaveProperty('reason');
    // Voided once: naming it again finds nothing.
    expect(await voidIt(scheduled, wrong, { reason: '重复提交', enrollmentId: enrolment })).toMatchObject({ status: 404, body: { entity: 'enrollment' } });
  });

  it('voids a withdrawn enrolment, and an enrolment without results names none; one voided finds nothing more to void', async () => {
    const trainee = randomUUID();
    const scheduled = await given(3, trainee);
    const enrolment = (await enrol(scheduled, trainee)).body.enrollmentId as string;
    expect(await call(scheduled, 'DELETE', `/enrollments/${trainee}?withdrawnOn=2021-04-01`)).toMatchObject({ status: 204 });
    expect(await voidIt(scheduled, trainee, { reason: '报名时选错了课程', enrollmentId: enrolment })).toMatchObject({ status: 200, body: { enrollmentId: enrolment } });
    expect(await roster(scheduled)).toEqual([]);
    expect(await listed(scheduled)).toMatchObject({ enrolled: 0, assessed: 0 });
    const message = await waitFor(() => published.find((each) => each.envelope.type === 'EnrollmentVoided' && (each.envelope.payload as { enrollmentId: string }).enrollmentId === enrolment));
    expect(message.envelope.payload).toMatchObject({ assessmentIds: [] });
    expect(await voidIt(scheduled, trainee, { reason: '报名时选错了课程', enrollmentId: enrolment })).toMatchObject({ status: 404, body: { entity: 'enrollment', id: enrolment } });
  });

  it("refuses another school's staff and a platform admin (courses:withdraw), an enrolment that was never made and a course that does not exist (404), and a reason empty or holding a mobile number (400)", async () => {
    const [trainee, never] = [randomUUID(), randomUUID()];
    const scheduled = await given(3, trainee, never);
    const enrolment = (await enrol(scheduled, trainee)).body.enrollmentId as string;
    // The enrolment is always named (a retry then finds none rather than the one before it): not null, not absent.
    for (const enrollmentId of [null, undefined, 'not-an-id']) {
      const unnamed = await voidIt(scheduled, trainee, { reason: '选错了', ...(enrollmentId === undefined ? {} : { enrollmentId }) });
      expect(unnamed).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field: 'enrollmentId' })] } });
    }
    // Another trainee's enrolment named under this trainee is none of theirs.
    expect(await voidIt(scheduled, never, { reason: '选错了', enrollmentId: enrolment })).toMatchObject({ status: 404, body: { entity: 'enrollment' } });
    const anotherSchool = bearer(await service.issuer.token({ role: 'school_staff', organisationId: randomUUID() }));
    const refused = await voidIt(scheduled, trainee, { reason: '选错了', enrollmentId: enrolment }, anotherSchool);
    expect(refused).toMatchObject({ status: 403, body: { permission: 'courses:withdraw' } });
    // Another school learns nothing of who is enrolled: the same answer for someone never enrolled.
    expect(await voidIt(scheduled, never, undefined, anotherSchool)).toMatchObject({ status: 403 });
    expect((await voidIt(scheduled, trainee, undefined, bearer(await service.issuer.token({ role: 'platform_admin' })))).status).toBe(403);
    expect(await voidIt(scheduled, never)).toMatchObject({ status: 404, body: { entity: 'enrollment' } });
    expect(await voidIt(scheduled, trainee, { reason: '选错了', enrollmentId: randomUUID() })).toMatchObject({ status: 404, body: { entity: 'enrollment' } });
    expect(await http(service.host.baseUrl, 'POST', `/api/v1/courses/${randomUUID()}/enrollments/${trainee}/void`, { reason: '选错了', enrollmentId: enrolment }, await staffOf(scheduled))).toMatchObject({
      status: 404,
      body: { entity: 'course' },
    });
    const personal = await voidIt(scheduled, trainee, { reason: '学员手机 13812345678 填错', enrollmentId: enrolment });
    expect(personal.status).toBe(400);
    expect(JSON.stringify(personal.body)).toContain('personal_data_in_text');
    expect(JSON.stringify(personal.body)).toContain('reason');
    expect(JSON.stringify(personal.body)).not.toContain('13812345678');
    const empty = await voidIt(scheduled, trainee, { reason: '   ', enrollmentId: enrolment });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toContain('reason');
    expect((await roster(scheduled)).map((entry) => entry.traineeId)).toEqual([trainee]);
  });
});
