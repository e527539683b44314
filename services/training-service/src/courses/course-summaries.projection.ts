import { Projection } from '@skills/event-sourcing';
import { CourseEvent } from './course.aggregate';

/**
 * One row per course with its enrolment, assessment and pass counts, for course lists and provider
 * dashboards. Like the course's own state, the counts are over active enrolments, and a result counts
 * once per enrolment: `results` maps each assessed active enrolment to whether its standing (latest)
 * result is a pass, so a correction replaces the earlier result instead of adding to it, and a
 * withdrawal takes the enrolment's result out with it. A result dated before a withdrawal but recorded
 * after it (accepted: the seat was held that day) stays out too: `withdrawn` lists those enrolments.
 */
export const courseSummaries: Projection<CourseEvent> = {
  name: 'course-summaries',
  table: 'course_summaries',
  async createTable(tx, table) {
    await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
      course_id uuid PRIMARY KEY,
      provider_id uuid NOT NULL,
      title text NOT NULL,
      occupation_code text NOT NULL,
      kind text NOT NULL,
      capacity integer NOT NULL,
      enrolled integer NOT NULL DEFAULT 0,
      start_date date NOT NULL,
      end_date date NOT NULL,
      assessed integer NOT NULL DEFAULT 0,
      passed integer NOT NULL DEFAULT 0,
      results jsonb NOT NULL DEFAULT '{}',
      withdrawn jsonb NOT NULL DEFAULT '[]'
    )`);
    // A table created before the counts existed: add them (a rebuild then fills them from the log).
    await tx.query(`ALTER TABLE ${table}
      ADD COLUMN IF NOT EXISTS assessed integer NOT NULL DEFAULT 0,
      ADD COLUMN IF NOT EXISTS passed integer NOT NULL DEFAULT 0,
      ADD COLUMN IF NOT EXISTS results jsonb NOT NULL DEFAULT '{}',
      ADD COLUMN IF NOT EXISTS withdrawn jsonb NOT NULL DEFAULT '[]'`);
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_provider ON ${table} (provider_id)`);
  },
  // Runs inside the checkpoint's transaction, so each event is applied exactly once; the result
  // updates would also be harmless applied twice (they set, per enrolment, rather than add).
  async apply(tx, table, event) {
    switch (event.type) {
      case 'CourseScheduled': {
        const course = event.data;
        await tx.query(
          `INSERT INTO ${table} (course_id, provider_id, title, occupation_code, kind, capacity, start_date, end_date)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (course_id) DO NOTHING`,
          [course.courseId, course.providerId, course.title, course.occupationCode, course.kind, course.capacity, course.startDate, course.endDate],
        );
        return;
      }
      case 'TraineeEnrolled':
        await tx.query(`UPDATE ${table} SET enrolled = enrolled + 1 WHERE course_id = $1`, [event.data.courseId]);
        return;
      case 'EnrollmentWithdrawn':
        // Every right-hand side sees the row as it was before this update.
        await tx.query(
          `UPDATE ${table} SET
             enrolled = enrolled - 1,
             assessed = assessed - (results ? $2::text)::int,
             passed = passed - coalesce((results ->> $2::text)::boolean, false)::int,
             results = results - $2::text,
             withdrawn = withdrawn || to_jsonb($2::text)
           WHERE course_id = $1`,
          [event.data.courseId, event.data.enrollmentId],
        );
        return;
      case 'AssessmentRecorded':
        await tx.query(
          `UPDATE ${table} SET
             assessed = assessed + (NOT (results ? $2::text))::int,
             passed = passed + $3::boolean::int - coalesce((results ->> $2::text)::boolean, false)::int,
             results = results || jsonb_build_object($2::text, $3::boolean)
           WHERE course_id = $1 AND NOT withdrawn ? $2::text`,
          [event.data.courseId, event.data.enrollmentId, event.data.passed],
        );
        return;
    }
  },
};
