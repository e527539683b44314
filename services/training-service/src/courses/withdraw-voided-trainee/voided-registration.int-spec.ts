// A registration trainee-service voids (made in error) while a school enrols the same trainee: the two
// services share no lock, so the enrolment may be accepted first; training then learns of the void from
// trainee-service's topic. On training-service alone and a real Postgres, the facts in that order: the
// enrolment accepted over HTTP, then TraineeRegistrationVoided published as trainee-service publishes it.
// Today is 2021-06-15 (a fixed clock); the course runs from 2021-03-01 to 2021-05-31.
import { TRAINEE_TOPIC } from '@skills/contracts';
import { fixedClock } from '@skills/domain-kernel';
import { bearer, fact, http, publishFacts, ServiceSpec, startServiceSpec, traineeRegisteredFact } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { courseStream, scheduledCourse } from '../../training-fixtures';
import { TrainingModule } from '../../training.module';
import { CourseScheduled } from '../course.aggregate';

const clock = fixedClock('2021-06-15T02:00:00.000Z');

const voidedFact = (traineeId: string) => fact(TRAINEE_TOPIC, 'TraineeRegistrationVoided', { traineeId, voidedOn: '2021-03-05' }, { key: traineeId });

describe('training: a registration voided after its enrolment was accepted', () => {
  let service: ServiceSpec;
  let sql: Client;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [TrainingModule], service: 'training', replicaWaitMs: 200, clock });
    sql = new Client({ connectionString: service.database.url, options: '-c search_path=training' });
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await service?.close();
  });

  const staffOf = async ({ data }: CourseScheduled) => bearer(await service.issuer.token({ role: 'school_staff', organisationId: data.providerId }));
  const call = async (scheduled: CourseScheduled, method: string, resource: string, body?: unknown) =>
    http(service.host.baseUrl, method, `/api/v1/courses/${scheduled.data.courseId}${resource}`, body, await staffOf(scheduled));
  const enrol = (scheduled: CourseScheduled, traineeId: string, enrolledOn = '2021-03-05') => call(scheduled, 'POST', '/enrollments', { traineeId, enrolledOn });
  const assess = (scheduled: CourseScheduled, traineeId: string, passed = true) => call(scheduled, 'POST', '/assessments', { traineeId, passed, score: passed ? 90 : 40, assessedOn: '2021-05-31' });
  const roster = async (scheduled: CourseScheduled) => (await call(scheduled, 'GET', '/enrollments?consistent=true')).body.items;
  const courseEvents = async (scheduled: CourseScheduled) =>
    (await sql.query<{ type: string; data: Record<string, unknown> }>('SELECT event_type AS type, data FROM events WHERE stream_id = $1 ORDER BY stream_version', [`course-${scheduled.data.courseId}`])).rows;

  /** A course of `capacity` seats whose provider's staff call, and these trainees registered with trainee-service. */
  const given = async (capacity: number, ...trainees: string[]) => {
    const scheduled = scheduledCourse({ capacity });
    await service.spec.given(courseStream(scheduled), ...trainees.map((traineeId) => traineeRegisteredFact(traineeId))).when('GET', `/api/v1/courses/${scheduled.data.courseId}`, undefined, await staffOf(scheduled)).then(200);
    return scheduled;
  };

  it('frees the seat once the void arrives: withdrawn from the day it was made; the roster says so, and the course counts nobody', async () => {
    const [ghost, next] = [randomUUID(), randomUUID()];
    const scheduled = await given(1, ghost, next);
    expect(await enrol(scheduled, ghost)).toMatchObject({ status: 201 });
    expect(await enrol(scheduled, next)).toMatchObject({ status: 409, body: { rule: 'course_full' } });

    await publishFacts(service.host, [voidedFact(ghost)]);

    const events = await courseEvents(scheduled);
    expect(events.slice(-1)).toEqual([{ type: 'EnrollmentWithdrawn', data: expect.objectContaining({ traineeId: ghost, withdrawnOn: '2021-03-05', reason: 'registration_voided' }) }]);
    expect((await call(scheduled, 'GET', '')).body).toMatchObject({ enrolled: 0 });
    expect(await roster(scheduled)).toEqual([expect.objectContaining({ traineeId: ghost, status: 'withdrawn', withdrawnOn: '2021-03-05', assessment: null, registrationVoided: true })]);
    // The seat was never rightly held: another takes it from the same day.
    expect(await enrol(scheduled, next)).toMatchObject({ status: 201 });
    expect((await roster(scheduled)).find((entry: { traineeId: string }) => entry.traineeId === next)).toMatchObject({ registrationVoided: false });
  });

  it('records no result for the voided trainee (trainee_voided) and no new enrolment of them (unknown trainee)', async () => {
    const ghost = randomUUID();
    const scheduled = await given(3, ghost);
    expect(await enrol(scheduled, ghost)).toMatchObject({ status: 201 });
    await publishFacts(service.host, [voidedFact(ghost)]);
    const before = (await courseEvents(scheduled)).length;

    expect(await assess(scheduled, ghost)).toMatchObject({ status: 409, body: { rule: 'trainee_voided', traineeId: ghost } });
    expect(await enrol(scheduled, ghost, '2021-03-10')).toMatchObject({ status: 404, body: { entity: 'trainee', id: ghost } });
    expect(await courseEvents(scheduled)).toHaveLength(before);
  });

  it('leaves an enrolment with a result standing (a withdrawal would undo it), refuses a correction of it, and marks the row', async () => {
    const [ghost, other] = [randomUUID(), randomUUID()];
    const scheduled = await given(3, ghost, other);
    expect(await enrol(scheduled, ghost)).toMatchObject({ status: 201 });
    expect(await enrol(scheduled, other)).toMatchObject({ status: 201 });
    expect(await assess(scheduled, ghost)).toMatchObject({ status: 201 });
    const before = (await courseEvents(scheduled)).length;

    await publishFacts(service.host, [voidedFact(ghost)]);

    expect(await courseEvents(scheduled)).toHaveLength(before);
    expect(await assess(scheduled, ghost, false)).toMatchObject({ status: 409, body: { rule: 'trainee_voided' } });
    expect(await roster(scheduled)).toEqual([
      expect.objectContaining({ traineeId: ghost, status: 'enrolled', assessment: expect.objectContaining({ passed: true }), registrationVoided: true }),
      expect.objectContaining({ traineeId: other, status: 'enrolled', registrationVoided: false }),
    ]);
  });

  it('refuses an enrolment judged while the void is being applied here, once it is: never a seat taken the void does not free', async () => {
    const ghost = randomUUID();
    const scheduled = await given(3, ghost);
    // The replica's consumer applying the void, not yet committed (its first step forgets the trainee).
    const voiding = new Client({ connectionString: service.database.url, options: '-c search_path=training' });
    await voiding.connect();
    try {
      await voiding.query('BEGIN');
      await voiding.query('DELETE FROM known_trainees WHERE trainee_id = $1', [ghost]);
      const enrolling = enrol(scheduled, ghost);
      const first = await Promise.race([enrolling.then(() => 'answered'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 500))]);
      expect(first).toBe('waiting');
      await voiding.query('INSERT INTO forgotten_trainees (trainee_id, voided) VALUES ($1, true)', [ghost]);
      await voiding.query('COMMIT');
      expect(await enrolling).toMatchObject({ status: 404, body: { entity: 'trainee', id: ghost } });
      expect((await courseEvents(scheduled)).map((event) => event.type)).toEqual(['CourseScheduled']);
    } finally {
      await voiding.end();
    }
  });

  it('frees the seats in every course that enrolled the trainee, once however often the void is told', async () => {
    const ghost = randomUUID();
    const [first, second] = [await given(3, ghost), await given(3)];
    expect(await enrol(first, ghost)).toMatchObject({ status: 201 });
    expect(await enrol(second, ghost, '2021-04-01')).toMatchObject({ status: 201 });
    const told = voidedFact(ghost);

    await publishFacts(service.host, [told]);
    await publishFacts(service.host, [told, voidedFact(ghost)]);

    for (const [scheduled, enrolledOn] of [[first, '2021-03-05'], [second, '2021-04-01']] as const) {
      const withdrawals = (await courseEvents(scheduled)).filter((event) => event.type === 'EnrollmentWithdrawn');
      expect(withdrawals).toEqual([{ type: 'EnrollmentWithdrawn', data: expect.objectContaining({ traineeId: ghost, withdrawnOn: enrolledOn, reason: 'registration_voided' }) }]);
    }
  });
});
