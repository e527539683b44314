import { Projection } from '@skills/event-sourcing';
import { CourseEvent } from './course.aggregate';

/** One row per course with its enrolment count, for course lists and provider dashboards. */
export const courseSummaries: Projection = {
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
      end_date date NOT NULL
    )`);
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_provider ON ${table} (provider_id)`);
  },
  async apply(tx, table, recorded) {
    const event = recorded as unknown as CourseEvent;
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
      // Runs inside the checkpoint's transaction, so an increment is applied exactly once.
      case 'TraineeEnrolled':
        await tx.query(`UPDATE ${table} SET enrolled = enrolled + 1 WHERE course_id = $1`, [event.data.courseId]);
        return;
      case 'EnrollmentWithdrawn':
        await tx.query(`UPDATE ${table} SET enrolled = enrolled - 1 WHERE course_id = $1`, [event.data.courseId]);
        return;
    }
  },
};
