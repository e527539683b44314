import { Projection, RecordedEvent } from '@skills/event-sourcing';
import { PoolClient } from 'pg';
import { CourseEvent } from './course.aggregate';

/**
 * One row per course with its enrolment, assessment and pass counts, for course lists and provider
 * dashboards. Like the course's own state, the counts are over active enrolments, and a result counts
 * once per enrolment: `results` maps each assessed active enrolment to whether its standing (latest)
 * result is a pass, so a correction replaces the earlier result instead of adding to it, and a
 * withdrawal takes the enrolment's result out with it. A result dated before a withdrawal but recorded
 * after it (accepted: the seat was held that day) stays out too: `withdrawn` lists those enrolments.
 * A void (recorded in error) takes the enrolment out as if never counted: its seat and result if active.
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
  apply: (tx, table, event) => applyToSummaries(tx, table, [event]),
  applyAll: applyToSummaries,
};

/** A course's row as the events change it. */
interface Counts {
  course_id: string;
  enrolled: number;
  assessed: number;
  passed: number;
  results: Record<string, boolean>;
  withdrawn: string[];
}

/**
 * A stretch of the log (up to 500 events of any streams; an import's batch puts hundreds of one
 * course's there) in at most three statements: the new courses inserted, then each course's row read,
 * the stretch's events counted into it in order as event by event, and written back once. An update an
 * event rewrote a course's `results` each time, and a course's import waited on one statement an event.
 * Runs inside the checkpoint's transaction, so each event is applied exactly once.
 */
async function applyToSummaries(tx: PoolClient, table: string, events: RecordedEvent<CourseEvent>[]): Promise<void> {
  const scheduled = events.flatMap((event) => (event.type === 'CourseScheduled' ? [event.data] : []));
  if (scheduled.length > 0)
    await tx.query(
      `INSERT INTO ${table} (course_id, provider_id, title, occupation_code, kind, target_level, capacity, start_date, end_date)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::integer[], $8::date[], $9::date[])
       ON CONFLICT (course_id) DO NOTHING`,
      [
        scheduled.map((course) => course.courseId),
        scheduled.map((course) => course.providerId),
        scheduled.map((course) => course.title),
        scheduled.map((course) => course.occupationCode),
        scheduled.map((course) => course.kind),
        scheduled.map((course) => course.targetLevel ?? null),
        scheduled.map((course) => course.capacity),
        scheduled.map((course) => course.startDate),
        scheduled.map((course) => course.endDate),
      ],
    );
  // A correction (rare: one statement each, in the log's order) sets the fields it changed.
  for (const event of events) {
    if (event.type !== 'CourseCorrected') continue;
    const { courseId, after } = event.data;
    await tx.query(
      `UPDATE ${table} SET title = coalesce($2, title), capacity = coalesce($3, capacity), start_date = coalesce($4, start_date), end_date = coalesce($5, end_date) WHERE course_id = $1`,
      [courseId, after.title ?? null, after.capacity ?? null, after.startDate ?? null, after.endDate ?? null],
    );
  }
  // The service's log holds other streams' events too (providers): only a course's own change its row,
  // and one that names no course changes none (as the per-event update matched no row).
  const changes = events.filter((event) => COUNTED.has(event.type) && typeof event.data.courseId === 'string');
  if (changes.length === 0) return;
  const courseIds = [...new Set(changes.map((event) => event.data.courseId.toLowerCase()))];
  const { rows } = await tx.query<Counts>(`SELECT course_id, enrolled, assessed, passed, results, withdrawn FROM ${table} WHERE course_id = ANY($1::uuid[])`, [courseIds]);
  const courses = new Map(rows.map((row) => [row.course_id, { ...row, withdrawnIds: new Set(row.withdrawn) }]));
  for (const event of changes) {
    const course = courses.get(event.data.courseId.toLowerCase());
    if (course) countIn(course, event);
  }
  if (courses.size === 0) return;
  const changed = [...courses.values()];
  await tx.query(
    `UPDATE ${table} summary SET enrolled = c.enrolled, assessed = c.assessed, passed = c.passed, results = c.results, withdrawn = c.withdrawn
     FROM unnest($1::uuid[], $2::integer[], $3::integer[], $4::integer[], $5::jsonb[], $6::jsonb[]) AS c(course_id, enrolled, assessed, passed, results, withdrawn)
     WHERE summary.course_id = c.course_id`,
    [
      changed.map((course) => course.course_id),
      changed.map((course) => course.enrolled),
      changed.map((course) => course.assessed),
      changed.map((course) => course.passed),
      changed.map((course) => JSON.stringify(course.results)),
      changed.map((course) => JSON.stringify(course.withdrawn)),
    ],
  );
}

const COUNTED = new Set<string>(['TraineeEnrolled', 'EnrollmentWithdrawn', 'AssessmentRecorded', 'EnrollmentVoided'] satisfies CourseEvent['type'][]);

/** One event counted into its course's row. */
function countIn(course: Counts & { withdrawnIds: Set<string> }, event: RecordedEvent<CourseEvent>): void {
  switch (event.type) {
    case 'TraineeEnrolled':
      course.enrolled += 1;
      return;
    case 'EnrollmentWithdrawn': {
      // The withdrawal takes the enrolment's result out with it.
      const { enrollmentId } = event.data;
      course.enrolled -= 1;
      uncountResult(course, enrollmentId);
      course.withdrawn.push(enrollmentId);
      course.withdrawnIds.add(enrollmentId);
      return;
    }
    case 'EnrollmentVoided': {
      // A withdrawn one counts no more already (its withdrawal took it out); an active one gives its seat and result back.
      const { enrollmentId } = event.data;
      if (course.withdrawnIds.delete(enrollmentId)) {
        course.withdrawn = course.withdrawn.filter((id) => id !== enrollmentId);
        return;
      }
      course.enrolled -= 1;
      uncountResult(course, enrollmentId);
      return;
    }
    case 'AssessmentRecorded': {
      // A result dated before a withdrawal but recorded after it stays out; a correction replaces the standing one.
      const { enrollmentId, passed } = event.data;
      if (course.withdrawnIds.has(enrollmentId)) return;
      if (!Object.hasOwn(course.results, enrollmentId)) course.assessed += 1;
      else if (course.results[enrollmentId]) course.passed -= 1;
      if (passed === true) course.passed += 1;
      course.results[enrollmentId] = passed === true;
      return;
    }
  }
}

/** The enrolment's standing result taken out of the counts, if it is counted. */
function uncountResult(course: Counts, enrollmentId: string): void {
  if (!Object.hasOwn(course.results, enrollmentId)) return;
  course.assessed -= 1;
  if (course.results[enrollmentId]) course.passed -= 1;
  delete course.results[enrollmentId];
}

/** Whether `table` exists but has no `column` yet (a table of an earlier version of the projection). */
async function existsWithout(tx: PoolClient, table: string, column: string): Promise<boolean> {
  const { rows } = await tx.query<{ lacks: boolean }>(
    `SELECT to_regclass($1) IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2) AS lacks`,
    [table, column],
  );
  return rows[0].lacks;
}
