import { Injectable } from '@nestjs/common';
import { Database, Sql } from '@skills/postgres';

/**
 * What keeps import jobs from waiting or holding personal data for ever: jobs whose owner went silent
 * fail, old jobs' rows are forgotten, and an erasure reaches a person's rows in every job. The runner
 * calls the first two now and then; the erasure calls the last in its own transaction.
 */
@Injectable()
export class ImportJobUpkeep {
  constructor(private readonly database: Database) {}

  /**
   * Fails the jobs whose owner has not answered any of their submitted batches for `seconds` (it is
   * down for good, or a batch went to its dead-letter topic): a job never waits for ever. A row it
   * applied meanwhile is reported as already present when the file is uploaded again.
   */
  async failSilentJobs(seconds: number): Promise<string[]> {
    const { rows } = await this.database.query<{ job_id: string }>(
      `UPDATE import_jobs SET state = 'failed', finished_at = now(),
         failure = 'the service that applies these rows did not answer in time; upload the file again: rows already applied are reported as already present'
       WHERE state IN ('validating', 'running') AND kind <> 'trainees' AND submitted = batches AND answered < batches
         AND progressed_at < now() - make_interval(secs => $1)
       RETURNING job_id`,
      [seconds],
    );
    return rows.map((row) => row.job_id);
  }

  /**
   * Drops the personal data of jobs that ended (or were left unrun) more than `days` ago: the counts
   * stay, the error file's cells go. Personal data is kept only as long as someone may still act on it.
   */
  async forgetOldRows(days: number): Promise<number> {
    // A dry run nobody ran in that time is closed too: its rows cannot be applied once forgotten.
    const { rows } = await this.database.query<{ forgotten: string }>(
      `WITH closed AS (
         UPDATE import_jobs SET state = 'failed', finished_at = now(), failure = 'not run within ' || $1::int || ' days of its dry run; upload the file again'
         WHERE state = 'ready' AND progressed_at < now() - make_interval(days => $1::int)
         RETURNING job_id),
       forgotten AS (
         UPDATE import_job_rows r SET sealed = NULL FROM import_jobs j
         WHERE r.job_id = j.job_id AND r.sealed IS NOT NULL
           AND ((j.state IN ('done', 'failed') AND coalesce(j.finished_at, j.progressed_at) < now() - make_interval(days => $1::int)) OR j.job_id IN (SELECT job_id FROM closed))
         RETURNING 1)
       SELECT count(*) AS forgotten FROM forgotten`,
      [days],
    );
    return Number(rows[0].forgotten);
  }

  /** The person's cells in every job (personal data erasure): the rows keep their outcome, not the data. */
  async forgetRowsOf(tx: Sql, traineeId: string): Promise<void> {
    await tx.query('UPDATE import_job_rows SET sealed = NULL WHERE trainee_id = $1', [traineeId]);
  }
}
