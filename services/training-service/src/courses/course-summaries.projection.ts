import { Projection } from '@skills/event-sourcing';
import { PoolClient } from 'pg';
import { CourseEvent } from './course.aggregate';

/**
 * One row per course with its enrolment, assessment and pass counts, for course lists and provider
 * dashboards. Like the course's own state, the counts are over active enrolments, and a result counts
 * once per enrolment: `results` maps each assessed active enrolment to whether its standing (latest)
 * result is a pass, so a correction replaces the earlier result instead of adding to it, and a
 * withdrawal takes the enrolment's result out with it. A result dated before a withdrawal but recorded
 * after it (accepted: the seat was held that day) stays out too: `withdrawn` lists those enrolments.
 * GET /api/v1/courses lists a provider's courses from here.
 */
export const courseSummaries: Projection<CourseEvent> = {
  name: 'course-summaries',
  table: 'course_summaries',
  async createTable(tx, table) {
    const lacksTargetLevel = await existsWithout(tx, table, 'target_level');
    await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
      course_id uuid PRIMARY KEY,
      provider_id uuid NOT NULL,
      title text NOT NULL,
      occupation_code text NOT NULL,
      kind text NOT NULL,
      target_level text,
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
    await tx.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS target_level text`);
    // The level a course prepares for came later than the table: its rows are behind the checkpoint, so
    // they take it from their CourseScheduled events once, here (what a rebuild would write, without one).
    if (lacksTargetLevel) {
      await tx.query(
        `UPDATE ${table} summary SET target_level = scheduled.data ->> 'targetLevel'
         FROM events scheduled
         WHERE scheduled.event_type = 'CourseScheduled' AND scheduled.stream_id = 'course-' || summary.course_id AND scheduled.data ? 'targetLevel'`,
      );
    }
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_provider ON ${table} (provider_id)`);
    // A provider's courses, latest start first (GET /api/v1/courses pages through them in this order).
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_provider_start ON ${table} (provider_id, start_date DESC, course_id)`);
  },
  // Runs inside the checkpoint's transaction, so each event is applied exactly once; the result
  // updates would also be harmless applied twice (they set, per enrolment, rather than add).
  async apply(tx, table, event) {
    switch (event.type) {
      case 'CourseScheduled': {
        const course = event.data;
        await tx.query(
          `INSERT INTO ${table} (course_id, provider_id, title, occupation_code, kind, target_level, capacity, start_date, end_date)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (course_id) DO NOTHING`,
          [course.courseId, course.providerId, course.title, course.occupationCode, course.kind, course.targetLevel ?? null, course.capacity, course.startDate, course.endDate],
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

/** Whether `table` exists but has no `column` yet (a table of an earlier version of the projection). */
async function existsWithout(tx: PoolClient, table: string, column: string): Promise<boolean> {
  const { rows } = await tx.query<{ lacks: boolean }>(
    `SELECT to_regclass($1) IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2) AS lacks`,
    [table, column],
  );
  return rows[0].lacks;
}
