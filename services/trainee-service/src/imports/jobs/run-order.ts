/**
 * An organisation's import jobs of one kind (and course) apply one after another. Their rows share
 * natural keys (a school's corrected file of the same people): taken at once, batch by batch, either
 * file's cells could end up on each person; one after the other, the file run last has its way.
 *
 * `RUN_AHEAD` is the SQL of the runs `job` (the alias of an import_jobs row) waits for while its own run
 * has not begun (no batch submitted, here or to the owning service): another of its organisation, kind
 * and course that has begun, or one asked to run before it (`run_requested_at`, then the id) that is
 * still in its dry run or running. It goes once they are done, failed, or stopped by refused rows. A run
 * once begun never waits, so no two ever wait for each other; dry runs go on meanwhile.
 */
export const RUN_AHEAD = `SELECT other.job_id FROM import_jobs other
   WHERE other.job_id <> job.job_id AND other.organisation_id = job.organisation_id AND other.kind = job.kind
     AND other.course_id IS NOT DISTINCT FROM job.course_id
     AND ((other.state = 'running' AND other.submitted > 0)
       OR (other.state IN ('validating', 'running') AND other.run_requested
         AND (coalesce(other.run_requested_at, other.created_at), other.job_id) < (coalesce(job.run_requested_at, job.created_at), job.job_id)))`;

/** Whether `job` is a run that waits for another (RUN_AHEAD): the job runner leaves it until then. */
export const WAITS_FOR_ANOTHER_RUN = `(job.state = 'running' AND job.submitted = 0 AND EXISTS (${RUN_AHEAD}))`;

/** The id of a run `job` waits for (RUN_AHEAD), or null: the one applying, if one is. */
export const RUN_WAITED_FOR = `CASE WHEN job.state = 'running' AND job.submitted = 0 THEN (
  ${RUN_AHEAD} ORDER BY (other.state = 'running' AND other.submitted > 0) DESC, coalesce(other.run_requested_at, other.created_at), other.job_id LIMIT 1) END`;
