import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ImportRowsSubmittedV1, IntegrationEnvelope, TRAINEE_TOPIC } from '@skills/contracts';
import { enqueueMessages, OutboxMessage } from '@skills/event-sourcing';
import { Database, PG_DEADLOCK, PG_SERIALIZATION_FAILURE, Transactions } from '@skills/postgres';
import { Clock } from '@skills/domain-kernel';
import { applyImportBatch, CLOCK, runWithCorrelation } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { PoolClient } from 'pg';
import { ImportJobRecord } from './import-job';
import { leaseNextJob } from './import-job-lease';
import { QUESTIONS_KEPT_DAYS } from '../../trainees/lookup-trainee/trainee-lookups';
import { ImportJobUpkeep } from './import-job-upkeep';
import { ImportJobs, JobRow } from './import-jobs';
import { PERSON_FIELDS } from './prepare-rows';
import { ErasureLedgerUpkeep } from '../../personal-data/erasure-ledger/erasure-ledger-upkeep';
import { TraineesImportApplier } from './trainees-import.applier';

const IDLE_MS = 250;
/** A batch that fails this often for reasons other than its rows (not a refusal) fails its job. */
const ATTEMPTS = 3;
/** How often the runner fails silent jobs and forgets old rows (ImportJobUpkeep). */
const UPKEEP_EVERY_MS = 60_000;
/** An owner that answers none of a job's batches for this long is not going to (down, or dead-lettered). */
export const ANSWER_TIMEOUT_SECONDS = 30 * 60;
/** A job's personal data is kept this long after it ends (for its error file), then forgotten. */
export const KEEP_ROWS_DAYS = 30;

/**
 * Trainees batches a runner applies at once. Two, for the two halves of a batch's work: Node (checks,
 * sealing, keyed hashes) and Postgres (the writes) each take about as long, and one batch at a time
 * leaves each waiting for the other (docs/benchmarks.md, Bulk import).
 */
const BATCHES_AT_ONCE = 2;

/** Another runner answered the batch first (or the batch before it failed): nothing to do, and no failure. */
class BatchAnsweredMeanwhile extends Error {}

/**
 * Moves import jobs on, in this service and after a restart alike (all its state is in the tables):
 * trainees batches are judged and applied here, one transaction each (their rows are personal data
 * and stay in this service); the other kinds' batches are submitted to their owners through the
 * outbox, whose answers come back through ImportAnswersConsumer.
 */
@Injectable()
export class ImportRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('imports');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  /** Per job, the batch it is failing at (its `submitted`) and how many steps in a row failed there. */
  private readonly failures = new Map<string, { at: number; count: number }>();
  private upkeepDue = 0;

  constructor(
    private readonly database: Database,
    private readonly transactions: Transactions,
    private readonly jobs: ImportJobs,
    private readonly upkeep: ImportJobUpkeep,
    private readonly trainees: TraineesImportApplier,
    private readonly erasures: ErasureLedgerUpkeep,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    // After the erasure ledger's upkeep: a restored job's row of someone erased since is forgotten first.
    void this.erasures.settled.then(() => this.schedule(IDLE_MS));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Work now rather than at the next tick (a job was created or asked to run). */
  wake(): void {
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.running) return this.schedule(IDLE_MS);
      this.running = this.workWhileThereIsWork().finally(() => {
        this.running = undefined;
        this.schedule(IDLE_MS);
      });
    }, delayMs);
  }

  private async workWhileThereIsWork(): Promise<void> {
    try {
      await this.keepUp();
      while (!this.stopped && (await this.step())) {
        // a trainees job's next batches (or one job's submissions) per step
      }
    } catch (error) {
      // The database went away for a moment (a restart, a failover): the next tick tries again.
      this.logger.error(`imports: ${(error as Error).name}: ${(error as Error).message}`);
    }
  }

  private async keepUp(): Promise<void> {
    const now = this.clock.now().getTime();
    if (now < this.upkeepDue) return;
    this.upkeepDue = now + UPKEEP_EVERY_MS;
    for (const jobId of await this.upkeep.failSilentJobs(ANSWER_TIMEOUT_SECONDS)) this.logger.error(`import ${jobId}: failed, its batches were not answered in time`);
    await this.upkeep.forgetOldRows(KEEP_ROWS_DAYS);
    await this.upkeep.forgetOldLookupQuestions(QUESTIONS_KEPT_DAYS);
  }

  /** One step of the oldest job with work that no other runner holds; false when there is none. */
  private async step(): Promise<boolean> {
    const lease = await leaseNextJob(this.database, this.jobs);
    if (!lease) return false;
    const { job } = lease;
    try {
      if (job.kind === 'trainees') await runWithCorrelation(job.jobId, () => this.applyNextBatchesHere(job));
      else await this.database.transaction((tx) => this.submit(tx, job));
      this.failures.delete(job.jobId);
    } catch (error) {
      if (error instanceof BatchAnsweredMeanwhile) return true;
      // A deadlock (with another job's batches) or a serialization failure is no fault of the batch's:
      // tried again, not counted. Anything else counts, a lost connection too (a batch that brings its
      // backend down each time must not be tried for ever).
      const code = (error as { code?: string }).code;
      if (code === PG_DEADLOCK || code === PG_SERIALIZATION_FAILURE) {
        this.logger.warn(`import ${job.jobId}: batch interrupted (SQLSTATE ${code}), tried again`);
        return false;
      }
      // Counted per batch: a step that answered one batch and then failed the next failed that one once.
      const at = (await this.jobs.find(this.database, job.jobId).catch(() => undefined))?.submitted ?? job.submitted;
      const last = this.failures.get(job.jobId);
      const failures = (last?.at === at ? last.count : 0) + 1;
      this.failures.set(job.jobId, { at, count: failures });
      // The error's class and message only: a row's personal data is never in a log line.
      this.logger.error(`import ${job.jobId}: batch failed (${failures} of ${ATTEMPTS}): ${(error as Error).name}${code ? ` (SQLSTATE ${code})` : ''}`);
      if (failures >= ATTEMPTS) await this.jobs.fail(job.jobId, 'batch_failed', 'a batch could not be applied; nothing of it was written');
      return false;
    } finally {
      await lease.release();
    }
    return true;
  }

  /**
   * The next trainees batches, BATCHES_AT_ONCE of them, each in its own transaction with its answer: one
   * is prepared in Node while Postgres writes the other. They are answered in order all the same: a
   * batch is answered only once the one before it has been (or not), and is refused if that one was not,
   * so the job's count of answered batches stays the one cursor a restart resumes from. The first
   * failure is the step's (a batch refused because the one before it failed is not a failure).
   *
   * Every wait of a batch holding locks is one Postgres sees, so its deadlock detector can break a cycle
   * with another job's batches (two schools importing the same people at once): the step's first batch
   * locks its job's row with its first statement; the others, started only once that lock is held, do
   * their work and then wait for the same lock to answer. A dry run's batch holds nothing when it
   * answers (its work is rolled back first): the next one waits for it in Node.
   */
  private async applyNextBatchesHere(job: ImportJobRecord): Promise<void> {
    const batches = Array.from({ length: Math.min(BATCHES_AT_ONCE, job.batches - job.answered) }, (_, n) => job.answered + n);
    const applied: Promise<void>[] = [];
    for (const batch of batches) {
      let jobHeld!: () => void;
      const held = new Promise<void>((resolve) => (jobHeld = resolve));
      const applying = this.applyHere(job, batch, { before: applied.at(-1), jobHeld });
      applied.push(applying);
      await Promise.race([held, applying.catch(() => undefined)]);
    }
    const failures = (await Promise.allSettled(applied)).flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    const failure = failures.find((reason) => !(reason instanceof BatchAnsweredMeanwhile)) ?? failures[0];
    if (failure !== undefined) throw failure;
  }

  /**
   * One trainees batch, in one transaction with its answer, after `before` (the batch before it in the
   * step, if any); `jobHeld` is called once the next batch may start. A batch not next when it is
   * answered (the one before failed, or another runner answered it) is rolled back.
   */
  private async applyHere(job: ImportJobRecord, batch: number, order: { before?: Promise<void>; jobHeld: () => void }): Promise<void> {
    const rows = await this.jobs.batchRows(this.database, job, batch);
    const submitted = this.submission(job, batch, rows);
    const holdsTheJobFirst = job.phase === 'apply' && order.before === undefined;
    if (!holdsTheJobFirst) order.jobHeld();
    const lockTheJob = async (tx: PoolClient) => {
      await this.jobs.find(tx, job.jobId, true);
      order.jobHeld();
    };
    await applyImportBatch(
      this.transactions,
      submitted,
      this.trainees,
      async (tx, answer) => {
        // Applied, the batch before holds the job's row until it ends: the lock below waits for it.
        if (job.phase === 'judge') await order.before?.catch(() => undefined);
        const current = await this.jobs.find(tx, job.jobId, true);
        if (current?.answered !== batch || current.phase !== job.phase) throw new BatchAnsweredMeanwhile();
        await this.jobs.markSubmitted(tx, job.jobId, batch + 1);
        await this.jobs.recordAnswer(tx, answer);
      },
      holdsTheJobFirst ? lockTheJob : undefined,
    );
  }

  /** Every batch of this phase not yet submitted, through the outbox in one transaction; an empty one is answered at once. */
  private async submit(tx: PoolClient, job: ImportJobRecord): Promise<void> {
    const locked = await this.jobs.find(tx, job.jobId, true);
    if (!locked || locked.submitted !== job.submitted || locked.phase !== job.phase) return;
    const messages: OutboxMessage[] = [];
    const empty: number[] = [];
    for (let batch = job.submitted; batch < job.batches; batch++) {
      const rows = await this.jobs.batchRows(tx, job, batch);
      if (rows.length === 0) empty.push(batch);
      else messages.push(this.message(job, this.submission(job, batch, rows)));
    }
    await enqueueMessages(tx, this.database.schema, messages);
    await this.jobs.markSubmitted(tx, job.jobId, job.batches);
    for (const batch of empty) await this.jobs.recordAnswer(tx, { jobId: job.jobId, batch, mode: job.phase, outcomes: [] });
  }

  private submission(job: ImportJobRecord, batch: number, rows: JobRow[]): ImportRowsSubmittedV1 {
    // Only trainees rows keep the person's fields, and they never leave this service.
    const fieldsOf = (row: JobRow) => (job.kind === 'trainees' ? row.fields : Object.fromEntries(Object.entries(row.fields).filter(([field]) => !PERSON_FIELDS.includes(field))));
    return {
      jobId: job.jobId,
      batch,
      mode: job.phase,
      kind: job.kind,
      organisationId: job.organisationId,
      courseId: job.courseId,
      startedBy: job.startedBy,
      rows: rows.map((row) => ({ row: row.row, naturalKey: row.naturalKey, key: row.key, traineeId: row.traineeId, fields: fieldsOf(row), ...(row.lastKeyInFile ? { lastKeyInFile: row.lastKeyInFile } : {}) })),
    };
  }

  private message(job: ImportJobRecord, payload: ImportRowsSubmittedV1): OutboxMessage {
    const now = this.clock.now().toISOString();
    const envelope: IntegrationEnvelope<'ImportRowsSubmitted', ImportRowsSubmittedV1> = {
      eventId: randomUUID(),
      type: 'ImportRowsSubmitted',
      schemaVersion: 1,
      aggregateId: job.jobId,
      aggregateVersion: payload.batch + (payload.mode === 'apply' ? job.batches : 0),
      occurredAt: now,
      recordedAt: now,
      correlationId: job.jobId,
      payload,
    };
    return { topic: TRAINEE_TOPIC, key: job.jobId, envelope };
  }
}
