// The course read models (rosters, summaries) apply a stretch of the log in a few statements. Here a
// stretch that holds every kind of change is applied event by event, whole, and cut in two at every
// place, on a real Postgres: each leaves the tables alike, and as the rules of each read model say.
import { RecordedEvent } from '@skills/event-sourcing';
import { databaseForTests } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { CourseEvent, CourseScheduled } from './course.aggregate';
import { courseRosters } from './course-rosters.projection';
import { courseSummaries } from './course-summaries.projection';

const [c1, c2, unknownCourse] = [randomUUID(), randomUUID(), randomUUID()];
const [t1, t2, t3] = [randomUUID(), randomUUID(), randomUUID()];
const [e1, e2, e3, e4, e5, e9] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const [a1, a2, a3, a4, a5, a6, a7, a9] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];

const scheduled = (courseId: string): CourseEvent => ({
  type: 'CourseScheduled',
  data: {
    courseId,
    providerId: randomUUID(),
    providerCreditCode: '91430200MA4L00001P',
    title: '焊工（初级）',
    occupationCode: '6-18-02-04',
    occupationEdition: '2022',
    kind: 'skill',
    capacity: 10,
    startDate: '2021-03-01',
    endDate: '2021-05-31',
  } satisfies CourseScheduled['data'],
});
const enrolled = (courseId: string, enrollmentId: string, traineeId: string, enrolledOn = '2021-03-01'): CourseEvent => ({
  type: 'TraineeEnrolled',
  data: { enrollmentId, courseId, traineeId, enrolledOn },
});
const assessed = (courseId: string, enrollmentId: string, traineeId: string, assessmentId: string, passed: boolean, corrects?: string): CourseEvent => ({
  type: 'AssessmentRecorded',
  data: { assessmentId, enrollmentId, courseId, traineeId, passed, score: passed ? 82 : 55.5, assessedOn: '2021-03-20', ...(corrects ? { corrects } : {}) },
});

const voided = (courseId: string, enrollmentId: string, traineeId: string, assessmentIds: string[]): CourseEvent => ({
  type: 'EnrollmentVoided',
  data: { enrollmentId, courseId, traineeId, assessmentIds, reason: '报名时选错了学员', voidedOn: '2021-06-15' },
});

/** Every kind of change the read models count, two courses interleaved, and events they must pass over. */
const log: RecordedEvent<CourseEvent>[] = [
  scheduled(c1),
  scheduled(c2),
  { type: 'ProviderRegistered', data: { providerId: randomUUID() } } as unknown as CourseEvent,
  enrolled(c1, e1, t1),
  enrolled(c1, e2, t2),
  assessed(c1, e1, t1, a1, true),
  // A correction that names the result it replaces.
  assessed(c1, e1, t1, a2, false, a1),
  assessed(c1, e2, t2, a3, true),
  // The withdrawal takes e2's result out of the counts.
  { type: 'EnrollmentWithdrawn', data: { enrollmentId: e2, courseId: c1, traineeId: t2, withdrawnOn: '2021-04-01' } },
  // A result dated before the withdrawal, recorded after it, naming nothing (as older events do): on the roster, not counted.
  assessed(c1, e2, t2, a4, true),
  // The same person enrolled again; another course's enrolment (its id in capitals), a fail, and a pass correcting it.
  enrolled(c1, e3, t2, '2021-04-01'),
  enrolled(c2.toUpperCase(), e4, t3),
  assessed(c2, e4, t3, a5, false),
  assessed(c2, e4, t3, a7, true, a5),
  // The same event again (a replay): its result stands as it did.
  assessed(c2, e4, t3, a7, true, a5),
  // An enrolment's id again with other facts: the roster keeps the first; the count, as an event, counts it.
  enrolled(c1, e1, t3, '2021-03-02'),
  // Enrolments recorded in error, voided with their results: an active one with a pass, and e2, withdrawn: as if never recorded.
  enrolled(c2, e5, t1),
  assessed(c2, e5, t1, a6, true),
  voided(c2, e5, t1, [a6]),
  voided(c1, e2, t2, [a3, a4]),
  // A course no read model has, and a result that names no course (passed over, as the per-event SQL did).
  assessed(unknownCourse, e9, t1, a9, true),
  { type: 'AssessmentRecorded', data: { assessmentId: randomUUID(), enrollmentId: e9, traineeId: t1, passed: true, score: 90, assessedOn: '2021-03-20' } } as unknown as CourseEvent,
].map((event, index) => ({
  ...event,
  eventId: randomUUID(),
  streamId: `course-${(event.data as { courseId?: string }).courseId ?? 'other'}`,
  streamVersion: index + 1,
  schemaVersion: 1,
  metadata: { correlationId: 'test' },
  recordedAt: new Date(Date.UTC(2021, 3, 1, 0, index)).toISOString(),
  position: { transactionId: '1', globalPosition: String(index + 1) },
})) as RecordedEvent<CourseEvent>[];

describe('the course read models, a stretch of the log at once', () => {
  const { sql, tx } = databaseForTests();

  /** The read model's table after the log is applied in these stretches. */
  const applied = async (projection: typeof courseRosters, table: string, stretches: RecordedEvent<CourseEvent>[][], rowsOf: (table: string) => Promise<unknown[]>) => {
    const { applyAll } = projection;
    if (!applyAll) throw new Error(`${projection.name} applies no stretch at once`);
    await projection.createTable(tx(), table);
    for (const stretch of stretches) await applyAll(tx(), table, stretch);
    return rowsOf(table);
  };
  const everyWay = () => [
    { name: 'whole', stretches: [log] },
    ...log.map((_, cut) => ({ name: `cut_at_${cut}`, stretches: [log.slice(0, cut), log.slice(cut)] })),
  ];

  it('rosters: each enrolment with its withdrawal and the result that stands, corrected when one replaced another; a voided one not at all', async () => {
    const rowsOf = async (table: string) =>
      (
        await sql().query(
          `SELECT enrollment_id, course_id, trainee_id, enrolled_on::text, enrolled_version, withdrawn_on::text, assessment_id, passed, score::text, assessed_on::text, assessment_recorded_at, corrected
           FROM ${table} ORDER BY enrolled_version`,
        )
      ).rows;
    const byEvent = await applied(courseRosters, 'rosters_by_event', log.map((event) => [event]), rowsOf);
    for (const way of everyWay()) expect({ way: way.name, rows: await applied(courseRosters, `rosters_${way.name}`, way.stretches, rowsOf) }).toEqual({ way: way.name, rows: byEvent });
    // Applied again, the stretch changes nothing: each value is the events', not a count.
    expect(await applied(courseRosters, 'rosters_twice', [log, log], rowsOf)).toEqual(byEvent);

    const result = (assessmentId: string, passed: boolean, at: number) => ({
      assessment_id: assessmentId,
      passed,
      score: passed ? '82' : '55.5',
      assessed_on: '2021-03-20',
      assessment_recorded_at: new Date(log[at].recordedAt),
    });
    const noResult = { assessment_id: null, passed: null, score: null, assessed_on: null, assessment_recorded_at: null };
    expect(byEvent).toEqual([
      { enrollment_id: e1, course_id: c1, trainee_id: t1, enrolled_on: '2021-03-01', enrolled_version: 4, withdrawn_on: null, ...result(a2, false, 6), corrected: true },
      { enrollment_id: e3, course_id: c1, trainee_id: t2, enrolled_on: '2021-04-01', enrolled_version: 11, withdrawn_on: null, ...noResult, corrected: false },
      { enrollment_id: e4, course_id: c2, trainee_id: t3, enrolled_on: '2021-03-01', enrolled_version: 12, withdrawn_on: null, ...result(a7, true, 14), corrected: true },
    ]);
  });

  it('summaries: active enrolments, and each standing result counted once, a withdrawn or voided enrolment\'s not at all', async () => {
    const rowsOf = async (table: string) =>
      (await sql().query(`SELECT course_id, title, capacity, enrolled, assessed, passed, results, withdrawn FROM ${table} ORDER BY course_id`)).rows;
    const byEvent = await applied(courseSummaries, 'summaries_by_event', log.map((event) => [event]), rowsOf);
    for (const way of everyWay()) expect({ way: way.name, rows: await applied(courseSummaries, `summaries_${way.name}`, way.stretches, rowsOf) }).toEqual({ way: way.name, rows: byEvent });

    const course = { title: '焊工（初级）', capacity: 10 };
    expect(byEvent).toEqual(
      [
        // e1, e2 (withdrawn, then voided: no longer listed), e3 and e1's event again: 3; e1's corrected result, a fail, is the one assessed.
        { course_id: c1, ...course, enrolled: 3, assessed: 1, passed: 0, results: { [e1]: false }, withdrawn: [] },
        // e4's fail, corrected to a pass (and that event again): one result, a pass; e5 and its pass voided.
        { course_id: c2, ...course, enrolled: 1, assessed: 1, passed: 1, results: { [e4]: true }, withdrawn: [] },
      ].sort((a, b) => a.course_id.localeCompare(b.course_id)),
    );
  });
});
