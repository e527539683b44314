import { Database } from '@skills/postgres';
import { ClientBase, PoolClient } from 'pg';
import { ImportJobRecord } from './import-job';
import { ImportJobs } from './import-jobs';
import { WAITS_FOR_ANOTHER_RUN } from './run-order';

/** A job one runner works on alone until `release`, across every replica of trainee-service. */
export interface ImportJobLease {
  job: ImportJobRecord;
  release(): Promise<void>;
}

/** How many waiting jobs a runner looks at for one it may take (the others are being worked on). */
const CANDIDATES = 20;

const lockKey = (jobId: string) => `import-job:${jobId}`;

/**
 * The oldest job with work that no other runner holds. The hold is a session advisory lock on a
 * connection kept for the step: it lasts as long as the step, however many transactions the step
 * commits, and Postgres drops it when the holder's connection dies (a replica killed mid-batch), so
 * the job is taken up again at once, by a restarted replica or another one.
 *
 * An organisation's jobs of one kind (and course) apply one after another (WAITS_FOR_ANOTHER_RUN).
 */
export async function leaseNextJob(database: Database, jobs: ImportJobs): Promise<ImportJobLease | undefined> {
  const holder = await database.pool.connect();
  try {
    const { rows } = await holder.query<{ job_id: string }>(
      `SELECT job_id FROM import_jobs job
        WHERE state IN ('validating', 'running') AND submitted < batches AND NOT ${WAITS_FOR_ANOTHER_RUN}
        ORDER BY created_at LIMIT ${CANDIDATES}`,
    );
    for (const { job_id: jobId } of rows) {
      const lease = await tryLease(holder, jobs, jobId);
      if (lease) return lease;
    }
    holder.release();
    return undefined;
  } catch (error) {
    // A connection that failed mid-way is not given back to the pool (its locks die with it).
    holder.release(error as Error);
    throw error;
  }
}

/**
 * Holds a job on `holder`'s session as a runner does, until the returned function lets it go: no runner
 * takes it meanwhile. It stands for another replica's runner at work on the job (the console's browser
 * tests show a run waiting for one held so).
 */
export async function holdImportJob(holder: ClientBase, jobId: string): Promise<() => Promise<void>> {
  await holder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockKey(jobId)]);
  return async () => {
    await holder.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey(jobId)]);
  };
}

async function tryLease(holder: PoolClient, jobs: ImportJobs, jobId: string): Promise<ImportJobLease | undefined> {
  const { rows } = await holder.query<{ held: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS held', [lockKey(jobId)]);
  if (!rows[0].held) return undefined;
  // Read again under the lock: the runner that held it a moment ago may have moved the job on.
  const job = await jobs.find(holder, jobId);
  if (job && (job.state === 'validating' || job.state === 'running') && job.submitted < job.batches) {
    return {
      job,
      release: async () => {
        try {
          await holder.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey(jobId)]);
          holder.release();
        } catch (error) {
          holder.release(error as Error);
        }
      },
    };
  }
  await holder.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey(jobId)]);
  return undefined;
}
