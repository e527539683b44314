import { Projection, RecordedEvent } from '@skills/event-sourcing';
import { PoolClient } from 'pg';
import { AssessmentRecorded, CourseEvent, TraineeEnrolled } from './course.aggregate';

/**
 * One row per enrolment, withdrawn ones included, for a course's roster (GET /api/v1/courses/{id}/enrollments):
 * its dates and the result that stands, as the course's own state keeps them (`seats`). A result is
 * matched by enrollmentId, like the aggregate does, so one dated while an enrolment was active stays
 * with it even if recorded after the withdrawal. The latest result recorded stands; `corrected` says an
 * earlier one was replaced. Trainees' names are not here: they are trainee-service's. A voided enrolment
 * (recorded in error) leaves the roster with its results, as if never recorded.
 *
 * A new projection starts with no checkpoint, so on its first start it reads the whole log: courses
 * recorded before it existed are on their rosters too.
 */
export const courseRosters: Projection<CourseEvent> = {
  name: 'course-rosters',
  table: 'course_rosters',
  async createTable(tx, table) {
    await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
      enrollment_id uuid PRIMARY KEY,
      course_id uuid NOT NULL,
      trainee_id uuid NOT NULL,
      enrolled_on date NOT NULL,
      -- The enrolment's place in its course's stream: same-day enrolments in the order they were made.
      enrolled_version integer NOT NULL,
      withdrawn_on date,
      assessment_id uuid,
      passed boolean,
      score numeric,
      assessed_on date,
      assessment_recorded_at timestamptz,
      corrected boolean NOT NULL DEFAULT false
    )`);
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_course ON ${table} (course_id, enrolled_on, enrolled_version)`);
  },
  apply: (tx, table, event) => applyToRosters(tx, table, [event]),
  applyAll: applyToRosters,
};

/** An enrolment's standing result after a stretch of the log, and whether one of that stretch replaced another. */
interface ResultsOfBatch {
  /** The first result of the stretch: it replaces the one the row already holds, if that is another. */
  firstAssessmentId: string;
  standing: AssessmentRecorded['data'];
  recordedAt: string;
  corrected: boolean;
}

/**
 * A stretch of the log (up to 500 events of any streams; an import's batch puts hundreds of one
 * course's there) in at most three statements, leaving the table as event by event would: the new
 * enrolments inserted first (an enrolment comes before its withdrawal and results in its stream; of an
 * id twice, the first), then each enrolment's withdrawal and its standing result, folded over the
 * stretch in order; the voided ones deleted last (nothing of an enrolment comes after its void). Each
 * statement sets values from the events alone (no counters), so applying a
 * stretch again changes nothing. One statement an event made a course's import of 10,000 people wait
 * on 20,000 statements.
 */
async function applyToRosters(tx: PoolClient, table: string, events: RecordedEvent<CourseEvent>[]): Promise<void> {
  const enrolled: RecordedEvent<TraineeEnrolled>[] = [];
  const withdrawals = new Map<string, string>();
  const results = new Map<string, ResultsOfBatch>();
  const voided: string[] = [];
  for (const event of events) {
    if (event.type === 'TraineeEnrolled') enrolled.push(event as RecordedEvent<TraineeEnrolled>);
    else if (event.type === 'EnrollmentWithdrawn') withdrawals.set(event.data.enrollmentId, event.data.withdrawnOn);
    else if (event.type === 'AssessmentRecorded') {
      const before = results.get(event.data.enrollmentId);
      // Corrected: the event names the result it replaces, or another result already stood (older events may not name it).
      const corrected = (before?.corrected ?? false) || event.data.corrects !== undefined || (before !== undefined && before.standing.assessmentId !== event.data.assessmentId);
      results.set(event.data.enrollmentId, { firstAssessmentId: before?.firstAssessmentId ?? event.data.assessmentId, standing: event.data, recordedAt: event.recordedAt, corrected });
    } else if (event.type === 'EnrollmentVoided') voided.push(event.data.enrollmentId);
  }
  if (enrolled.length > 0)
    await tx.query(
      `INSERT INTO ${table} (enrollment_id, course_id, trainee_id, enrolled_on, enrolled_version)
       SELECT enrollment_id, course_id, trainee_id, enrolled_on, enrolled_version
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::date[], $5::integer[]) WITH ORDINALITY AS e(enrollment_id, course_id, trainee_id, enrolled_on, enrolled_version, i)
         ORDER BY i
       ON CONFLICT (enrollment_id) DO NOTHING`,
      [
        enrolled.map((event) => event.data.enrollmentId),
        enrolled.map((event) => event.data.courseId),
        enrolled.map((event) => event.data.traineeId),
        enrolled.map((event) => event.data.enrolledOn),
        enrolled.map((event) => event.streamVersion),
      ],
    );
  if (withdrawals.size > 0)
    await tx.query(
      `UPDATE ${table} roster SET withdrawn_on = w.withdrawn_on
       FROM unnest($1::uuid[], $2::date[]) AS w(enrollment_id, withdrawn_on)
       WHERE roster.enrollment_id = w.enrollment_id`,
      [[...withdrawals.keys()], [...withdrawals.values()]],
    );
  if (results.size > 0) {
    const each = [...results.values()];
    await tx.query(
      `UPDATE ${table} roster SET
         corrected = roster.corrected OR r.corrected OR (roster.assessment_id IS NOT NULL AND roster.assessment_id <> r.first_assessment_id),
         assessment_id = r.assessment_id, passed = r.passed, score = r.score, assessed_on = r.assessed_on, assessment_recorded_at = r.recorded_at
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::boolean[], $5::numeric[], $6::date[], $7::timestamptz[], $8::boolean[])
         AS r(enrollment_id, first_assessment_id, assessment_id, passed, score, assessed_on, recorded_at, corrected)
       WHERE roster.enrollment_id = r.enrollment_id`,
      [
        each.map((result) => result.standing.enrollmentId),
        each.map((result) => result.firstAssessmentId),
        each.map((result) => result.standing.assessmentId),
        each.map((result) => result.standing.passed),
        each.map((result) => result.standing.score),
        each.map((result) => result.standing.assessedOn),
        each.map((result) => result.recordedAt),
        each.map((result) => result.corrected),
      ],
    );
  }
  if (voided.length > 0) await tx.query(`DELETE FROM ${table} WHERE enrollment_id = ANY($1::uuid[])`, [voided]);
}
