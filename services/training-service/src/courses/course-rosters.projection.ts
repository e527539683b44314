import { Projection } from '@skills/event-sourcing';
import { CourseEvent } from './course.aggregate';

/**
 * One row per enrolment, withdrawn ones included, for a course's roster (GET /api/v1/courses/{id}/enrollments):
 * its dates and the result that stands, as the course's own state keeps them (`seats`). A result is
 * matched by enrollmentId, like the aggregate does, so one dated while an enrolment was active stays
 * with it even if recorded after the withdrawal. The latest result recorded stands; `corrected` says an
 * earlier one was replaced. Trainees' names are not here: they are trainee-service's.
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
  // Each statement sets values from the event alone (no counters), so applying an event again changes nothing.
  async apply(tx, table, event) {
    switch (event.type) {
      case 'TraineeEnrolled': {
        const { enrollmentId, courseId, traineeId, enrolledOn } = event.data;
        await tx.query(
          `INSERT INTO ${table} (enrollment_id, course_id, trainee_id, enrolled_on, enrolled_version)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (enrollment_id) DO NOTHING`,
          [enrollmentId, courseId, traineeId, enrolledOn, event.streamVersion],
        );
        return;
      }
      case 'EnrollmentWithdrawn':
        await tx.query(`UPDATE ${table} SET withdrawn_on = $2 WHERE enrollment_id = $1`, [event.data.enrollmentId, event.data.withdrawnOn]);
        return;
      case 'AssessmentRecorded': {
        const { enrollmentId, assessmentId, passed, score, assessedOn, corrects } = event.data;
        // Corrected: the event names the result it replaces, or another result already stood (older events may not name it).
        await tx.query(
          `UPDATE ${table} SET
             corrected = corrected OR $7::boolean OR (assessment_id IS NOT NULL AND assessment_id <> $2),
             assessment_id = $2, passed = $3, score = $4, assessed_on = $5, assessment_recorded_at = $6
           WHERE enrollment_id = $1`,
          [enrollmentId, assessmentId, passed, score, assessedOn, event.recordedAt, corrects !== undefined],
        );
        return;
      }
    }
  },
};
