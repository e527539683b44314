// PATCH /api/v1/courses/{id}: a course scheduled with a mistake corrected by its school, on training-service
// alone (real Postgres, HTTP): each refusal naming its field and rule, the course, its roster's course and its
// school's list read back corrected, CourseCorrected published keyed by course without the reason.
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

describe('training: correcting a course scheduled with a mistake', () => {
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
  const correct = (scheduled: CourseScheduled, body: Record<string, unknown>, headers?: Record<string, string>) => call(scheduled, 'PATCH', '', { reason: '录入时填错了', ...body }, headers);
  const enrol = (scheduled: CourseScheduled, traineeId: string, enrolledOn = '2021-03-05') => call(scheduled, 'POST', '/enrollments', { traineeId, enrolledOn });
  /** The course as its school's list shows it (course_summaries), once caught up with the roster read. */
  const listed = async (scheduled: CourseScheduled) => {
    const roster = await call(scheduled, 'GET', '/enrollments?consistent=true');
    const { body } = await http(service.host.baseUrl, 'GET', `/api/v1/courses?providerId=${scheduled.data.providerId}&consistent=true`, undefined, await staffOf(scheduled));
    return { roster: roster.body.course, listed: body.items.find((item: { id: string }) => item.id === scheduled.data.courseId) };
  };
  const given = async (capacity: number, ...trainees: string[]) => {
    const scheduled = scheduledCourse({ capacity });
    await service.spec.given(courseStream(scheduled), ...trainees.map((traineeId) => traineeRegisteredFact(traineeId))).when('GET', `/api/v1/courses/${scheduled.data.courseId}`, undefined, await staffOf(scheduled)).then(200);
    return scheduled;
  };

  it('corrects the title, capacity and end date: the course, its roster and its list read them, CourseCorrected is published without the reason', async () => {
    const trainee = randomUUID();
    const scheduled = await given(3, trainee);
    expect(await enrol(scheduled, trainee)).toMatchObject({ status: 201 });

    expect(await correct(scheduled, { title: '焊工（高级）培训班', capacity: 2, endDate: '2021-06-10', startDate: '2021-03-01' })).toMatchObject({
      status: 200,
      body: { id: scheduled.data.courseId, corrected: ['title', 'capacity', 'endDate'] },
    });

    const corrected = { title: '焊工（高级）培训班', capacity: 2, startDate: '2021-03-01', endDate: '2021-06-10', occupationCode: scheduled.data.occupationCode };
    expect((await call(scheduled, 'GET', '')).body).toMatchObject(corrected);
    const { roster, listed: row } = await listed(scheduled);
    expect(roster).toMatchObject(corrected);
    expect(row).toMatchObject({ ...corrected, enrolled: 1 });
    const message = await waitFor(() => published.find((each) => each.envelope.type === 'CourseCorrected' && (each.envelope.payload as { courseId: string }).courseId === scheduled.data.courseId));
    expect(message).toMatchObject({
      key: scheduled.data.courseId,
      envelope: {
        payload: {
          courseId: scheduled.data.courseId,
          before: { title: '焊工（中级）培训班', capacity: 3, endDate: '2021-05-31' },
          after: { title: '焊工（高级）培训班', capacity: 2, endDate: '2021-06-10' },
          correctedOn: '2021-06-15',
          course: { title: '焊工（高级）培训班', endDate: '2021-06-10', providerId: scheduled.data.providerId },
        },
      },
    });
    expect(message.envelope.payload).not.toHaveProperty('reason');
    expect(JSON.stringify(message.envelope.payload)).not.toContain('录入时填错了');
    // Given again (a retry): nothing changes, nothing is recorded.
    expect(await correct(scheduled, { title: '焊工（高级）培训班' })).toMatchObject({ status: 200, body: { corrected: [] } });
    expect(published.filter((each) => each.envelope.type === 'CourseCorrected' && (each.envelope.payload as { courseId: string }).courseId === scheduled.data.courseId)).toHaveLength(1);
  });

  it('refuses, naming the field and the rule: an end before the start, a capacity below the seats held, an end before an enrolment, a start after a result', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    const scheduled = await given(3, first, second);
    expect(await enrol(scheduled, first, '2021-03-05')).toMatchObject({ status: 201 });
    expect(await enrol(scheduled, second, '2021-04-20')).toMatchObject({ status: 201 });
    expect(await call(scheduled, 'POST', '/assessments', { traineeId: first, passed: true, score: 90, assessedOn: '2021-04-10' })).toMatchObject({ status: 201 });

    expect(await correct(scheduled, { endDate: '2021-02-28' })).toMatchObject({ status: 400, body: { rule: 'course_ends_before_it_starts', errors: [{ field: 'endDate', rule: 'course_ends_before_it_starts' }] } });
    expect(await correct(scheduled, { capacity: 1 })).toMatchObject({ status: 409, body: { rule: 'capacity_below_enrolments', field: 'capacity', capacity: 1, enrolled: 2 } });
    expect(await correct(scheduled, { endDate: '2021-04-19' })).toMatchObject({ status: 409, body: { rule: 'enrolled_after_course_end', field: 'endDate', enrolledOn: '2021-04-20' } });
    expect(await correct(scheduled, { startDate: '2021-04-11' })).toMatchObject({ status: 409, body: { rule: 'assessed_before_course_start', field: 'startDate', assessedOn: '2021-04-10' } });
    for (const [body, field] of [
      [{}, 'title'],
      [{ capacity: 0 }, 'capacity'],
      [{ capacity: 2.5 }, 'capacity'],
      [{ title: null }, 'title'],
      [{ title: '' }, 'title'],
      [{ endDate: '2021-13-01' }, 'endDate'],
      [{ startDate: 20210301 }, 'startDate'],
    ] as const) {
      const refused = await correct(scheduled, body);
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain(field);
    }
    // Not corrected here: the occupation and the others make a different course (the whitelist refuses them).
    expect((await correct(scheduled, { occupationCode: '6-18-02-05' })).status).toBe(400);
    const personal = await correct(scheduled, { title: '焊工', reason: '学员手机 13812345678 填错' });
    expect(personal.status).toBe(400);
    expect(JSON.stringify(personal.body)).toContain('personal_data_in_text');
    expect(JSON.stringify(personal.body)).not.toContain('13812345678');
    expect((await correct(scheduled, { title: '焊工', reason: '  ' })).status).toBe(400);
    expect((await call(scheduled, 'PATCH', '', { title: '焊工' })).status).toBe(400);
    // Within what the course holds, it stands.
    expect(await correct(scheduled, { capacity: 2, startDate: '2021-04-10', endDate: '2021-04-20' })).toMatchObject({ status: 200, body: { corrected: ['capacity', 'startDate', 'endDate'] } });
    expect((await listed(scheduled)).listed).toMatchObject({ capacity: 2, startDate: '2021-04-10', endDate: '2021-04-20', title: scheduled.data.title });
  });

  it("refuses another school's staff and a platform admin (courses:schedule), and a course that does not exist (404)", async () => {
    const scheduled = await given(3);
    const anotherSchool = bearer(await service.issuer.token({ role: 'school_staff', organisationId: randomUUID() }));
    expect(await correct(scheduled, { title: '焊工' }, anotherSchool)).toMatchObject({ status: 403, body: { permission: 'courses:schedule' } });
    expect(await correct(scheduled, { title: '焊工' }, bearer(await service.issuer.token({ role: 'platform_admin' })))).toMatchObject({ status: 403, body: { permission: 'courses:schedule' } });
    expect(await http(service.host.baseUrl, 'PATCH', `/api/v1/courses/${randomUUID()}`, { title: '焊工', reason: '录入时填错了' }, await staffOf(scheduled))).toMatchObject({ status: 404, body: { entity: 'course' } });
    expect((await call(scheduled, 'GET', '')).body).toMatchObject({ title: scheduled.data.title });
  });
});
