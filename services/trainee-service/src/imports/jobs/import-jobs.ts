import { Injectable } from '@nestjs/common';
import { ImportFailureRule, ImportKind, ImportRowOutcome, ImportRowsAnsweredV1 } from '@skills/contracts';
import { UnknownEntity } from '@skills/domain-kernel';
import { Database, Sql } from '@skills/postgres';
import { seal, Sealed, unseal } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { PersonalDataKeys } from '../../personal-data/personal-data-keys';
import type { RefusedFileRow } from '../files';
import { IMPORT_BATCH_ROWS, ImportJobAnswer, ImportJobRecord, ImportState, ImportUploadedBy, ImportUploader } from './import-job';
import { JobScope, PreparedRow } from './prepare-rows';
import { RUN_WAITED_FOR } from './run-order';

/** A row of a batch as its applier needs it: cells and fields unsealed. */
export interface JobRow {
  row: number;
  naturalKey: string;
  key: string;
  traineeId: string | null;
  cells: Record<string, string>;
  fields: Record<string, string | undefined>;
  /** The key of the file's last row with its natural key, when a later one (ImportRowSubmitted.lastKeyInFile). */
  lastKeyInFile?: string;
}

const JOB_COLUMNS = `job_id AS "jobId", organisation_id AS "organisationId", kind, course_id AS "courseId", started_by AS "startedBy", state, phase,
  run_requested AS "runRequested", skip_refused AS "skipRefused", batches, submitted, answered`;

/**
 * The rows of `job` refused because its uploader had no lookup left (PrepareRows.withRegistry): refused
 * when the file was read, so in no batch: found by import_job_rows_by_batch among the rows refused then.
 */
const TOO_MANY_LOOKUPS = "(SELECT count(*)::int FROM import_job_rows r WHERE r.job_id = job.job_id AND r.batch IS NULL AND r.rule = 'too_many_lookups')";

/** A job as GET /api/v1/imports/{id} answers it, and the run's seconds by the database's clock, which stamped its start and end. */
const ANSWER_COLUMNS = `job_id AS id, kind, course_id AS "courseId", state, run_from AS "runFrom", total, done, created, already_present AS "alreadyPresent", corrected, refused, failure, failure_rule AS "failureRule",
  created_at AS "createdAt", extract(epoch FROM coalesce(finished_at, now()) - started_at)::float8 AS seconds, finished_at AS finished,
  ${RUN_WAITED_FOR} AS "waitingFor", ${TOO_MANY_LOOKUPS} AS "tooManyLookups", started_by AS "startedBy", uploaded_by AS "uploader"`;

type AnsweredJobRow = Omit<ImportJobAnswer, 'uploadedBy'> & {
  seconds: number | null;
  finished: Date | null;
  runFrom: number;
  startedBy: ImportJobRecord['startedBy'];
  uploader: Partial<{ username: string; apiKey: { clientId: string } }> | null;
};

/** A job in its organisation's list: its answer, with the file's name as uploaded (null before jobs kept it). */
export interface ListedImportJob extends ImportJobAnswer {
  fileName: string | null;
}

/** Who uploaded the job: its user and role, and their username or the key as kept since (none before). */
function uploaderOf(startedBy: ImportJobRecord['startedBy'], uploader: AnsweredJobRow['uploader']): ImportUploader {
  return { userId: startedBy.userId, role: startedBy.role, username: uploader?.username ?? null, apiKey: uploader?.apiKey ? { clientId: uploader.apiKey.clientId } : null };
}

function answerOf({ seconds, finished, runFrom, startedBy, uploader, ...job }: AnsweredJobRow): ImportJobAnswer {
  // The run's rate: what it applied, not the rows the dry run had settled (refused, already present);
  // none while it waits for another run, or has applied nothing yet.
  const applied = job.done - runFrom;
  const measured = seconds && job.waitingFor === null && (job.state !== 'running' || applied > 0);
  return {
    ...job,
    createdAt: new Date(job.createdAt).toISOString(),
    finishedAt: finished ? finished.toISOString() : null,
    rowsPerSecond: measured ? Math.round(applied / seconds) : null,
    uploadedBy: uploaderOf(startedBy, uploader),
  };
}

/**
 * The import jobs of trainee-service's database: created from a read file, advanced by the answers of
 * each batch (recordAnswer, in the transaction that applied the batch or consumed its answer, so
 * progress is exactly what was applied, through crashes), read by their organisation only.
 */
@Injectable()
export class ImportJobs {
  constructor(
    private readonly database: Database,
    private readonly keys: PersonalDataKeys,
  ) {}

  async create(
    scope: JobScope,
    startedBy: ImportJobRecord['startedBy'],
    rows: PreparedRow[],
    options: { run: boolean; skipRefused: boolean; fileName: string | null; uploadedBy: ImportUploadedBy },
  ): Promise<string> {
    const jobId = randomUUID();
    const dataKey = this.keys.newKey();
    let accepted = 0;
    const batchOf = rows.map((row) => (row.refusal ? null : Math.floor(accepted++ / IMPORT_BATCH_ROWS)));
    const batches = Math.ceil(accepted / IMPORT_BATCH_ROWS);
    const refused = rows.length - accepted;
    await this.database.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO import_jobs (job_id, organisation_id, kind, course_id, started_by, state, run_requested, run_requested_at, skip_refused, total, batches, refused, wrapped_key, file_name, uploaded_by)
         VALUES ($1, $2, $3, $4, $5, 'validating', $6, CASE WHEN $6 THEN clock_timestamp() END, $7, $8, $9, $10, $11, $12, $13)`,
        [jobId, scope.organisationId, scope.kind, scope.courseId, startedBy, options.run, options.skipRefused, rows.length, batches, refused, this.keys.wrap(dataKey), options.fileName, options.uploadedBy],
      );
      for (let from = 0; from < rows.length; from += 5000) {
        const chunk = rows.slice(from, from + 5000);
        await tx.query(
          `INSERT INTO import_job_rows (job_id, row, batch, natural_key, key, trainee_id, sealed, outcome, field, rule, detail, person_key, phone_key)
           SELECT $1, * FROM unnest($2::int[], $3::int[], $4::text[], $5::text[], $6::uuid[], $7::jsonb[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])`,
          [
            jobId,
            chunk.map((row) => row.row),
            chunk.map((_, n) => batchOf[from + n]),
            chunk.map((row) => row.naturalKey),
            chunk.map((row) => row.key),
            chunk.map((row) => row.traineeId),
            chunk.map((row) => JSON.stringify(seal(dataKey, { cells: row.cells, fields: row.fields }))),
            chunk.map((row) => row.refusal?.outcome ?? null),
            chunk.map((row) => row.refusal?.field ?? null),
            chunk.map((row) => row.refusal?.rule ?? null),
            chunk.map((row) => row.refusal?.detail ?? null),
            chunk.map((row) => row.personKey),
            chunk.map((row) => row.phoneKey),
          ],
        );
      }
      if (batches === 0) await this.endPhase(tx, jobId);
    });
    return jobId;
  }

  /** The job as its organisation sees it; 404 for anyone else's (it is not theirs to know of). */
  async answer(jobId: string, organisationId: string | null): Promise<ImportJobAnswer> {
    const { rows } = await this.database.query<AnsweredJobRow>(`SELECT ${ANSWER_COLUMNS} FROM import_jobs job WHERE job_id = $1 AND organisation_id = $2`, [jobId, organisationId]);
    if (!rows[0]) throw new UnknownEntity('import', jobId);
    return answerOf(rows[0]);
  }

  /**
   * A page of an organisation's jobs, newest first, each as `answer` gives it, with the file's name and
   * who uploaded it; `after` is the last job of the previous page (its creation to the microsecond, and id).
   */
  async listOf(organisationId: string, filter: { state?: ImportState; after: [string, string] | null; rows: number }): Promise<Array<ListedImportJob & { createdKey: string }>> {
    const { rows } = await this.database.query<AnsweredJobRow & { fileName: string | null; createdKey: string }>(
      `SELECT ${ANSWER_COLUMNS}, file_name AS "fileName",
              to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdKey"
       FROM import_jobs job
       WHERE organisation_id = $1 AND ($2::text IS NULL OR state = $2)
         AND ($3::timestamptz IS NULL OR (created_at, job_id) < ($3::timestamptz, $4::uuid))
       ORDER BY created_at DESC, job_id DESC LIMIT $5`,
      [organisationId, filter.state ?? null, filter.after?.[0] ?? null, filter.after?.[1] ?? null, filter.rows],
    );
    return rows.map(({ fileName, createdKey, ...row }) => ({ ...answerOf(row), fileName, createdKey }));
  }

  async find(sql: Sql, jobId: string, lock = false): Promise<ImportJobRecord | undefined> {
    const { rows } = await sql.query<ImportJobRecord>(`SELECT ${JOB_COLUMNS} FROM import_jobs WHERE job_id = $1${lock ? ' FOR UPDATE' : ''}`, [jobId]);
    return rows[0];
  }

  /** A batch's rows still to go in this phase: all of them to judge; to apply, those not refused. */
  async batchRows(sql: Sql, job: ImportJobRecord, batch: number): Promise<JobRow[]> {
    const dataKey = await this.dataKey(sql, job.jobId);
    // `lastKeyInFile`: the key of the file's last row, not refused, with the row's natural key, when it is a later one (in any batch).
    const { rows } = await sql.query<{ row: number; naturalKey: string; key: string; traineeId: string | null; sealed: Sealed; lastKeyInFile: string | null }>(
      `SELECT r.row, r.natural_key AS "naturalKey", r.key, r.trainee_id AS "traineeId", r.sealed,
              (SELECT l.key FROM import_job_rows l
                WHERE l.natural_key = r.natural_key AND l.sealed IS NOT NULL AND l.job_id = r.job_id AND l.row > r.row
                  AND l.outcome IS DISTINCT FROM 'refused'
                ORDER BY l.row DESC LIMIT 1) AS "lastKeyInFile"
         FROM import_job_rows r
        WHERE r.job_id = $1 AND r.batch = $2 AND ($3 = 'judge' OR r.outcome = 'accepted') AND r.sealed IS NOT NULL ORDER BY r.row`,
      [job.jobId, batch, job.phase],
    );
    return rows.map(({ sealed, lastKeyInFile, ...row }) => ({ ...row, ...(lastKeyInFile ? { lastKeyInFile } : {}), ...unseal<Pick<JobRow, 'cells' | 'fields'>>(dataKey, sealed) }));
  }

  /**
   * The batches submitted so far. The run's clock starts with its first batch's transaction, not when the
   * run was asked: a run may wait for another before its first batch (RUN_AHEAD).
   */
  async markSubmitted(sql: Sql, jobId: string, submitted: number): Promise<void> {
    await sql.query(
      `UPDATE import_jobs SET submitted = $2, progressed_at = now(), started_at = CASE WHEN phase = 'apply' AND submitted = 0 THEN now() ELSE started_at END
       WHERE job_id = $1`,
      [jobId, submitted],
    );
  }

  /**
   * One batch's answer: its rows' outcomes and the job's counts; the last answer of a phase ends it. An
   * answer of another phase, or one already counted (its batch is behind the job's), changes nothing.
   *
   * A row a person's erasure refused while its batch was out (ImportJobUpkeep.forgetRowsOf) was counted
   * refused then. Judged, that refusal stands: the judgement wrote nothing, and the row is applied by no
   * run. Applied, the owner's outcome is what happened to the row (it had the cells before the erasure),
   * so it replaces the erasure's, in the row and in the counts: `done` never passes `total`.
   */
  async recordAnswer(tx: Sql, answer: ImportRowsAnsweredV1): Promise<void> {
    const job = await this.find(tx, answer.jobId, true);
    if (!job || job.phase !== answer.mode || job.state === 'failed') return;
    const { rowCount } = await tx.query('INSERT INTO import_job_answers (job_id, batch, mode) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [answer.jobId, answer.batch, answer.mode]);
    if (rowCount === 0) return;
    const erased = await this.erasedRowsOf(tx, answer.jobId, answer.batch);
    const outcomes = answer.mode === 'judge' ? answer.outcomes.filter((each) => !erased.has(each.row)) : answer.outcomes;
    const replaced = outcomes.filter((each) => erased.has(each.row)).length;
    await this.recordOutcomes(tx, answer.jobId, answer.batch, outcomes);
    const count = (outcome: ImportRowOutcome['outcome']) => outcomes.filter((each) => each.outcome === outcome).length;
    await tx.query(
      `UPDATE import_jobs SET answered = answered + 1, progressed_at = now(), refused = refused + $2 - $7,
         created = created + $3, already_present = already_present + $4, corrected = corrected + $5, done = done + $6 - $7
       WHERE job_id = $1`,
      [answer.jobId, count('refused'), count('created'), count('already_present'), count('corrected'), answer.mode === 'apply' ? outcomes.length : 0, replaced],
    );
    if (job.answered + 1 >= job.batches) await this.endPhase(tx, answer.jobId);
  }

  /** The rows of a batch that a person's erasure refused (personal_data_erased). */
  private async erasedRowsOf(tx: Sql, jobId: string, batch: number): Promise<Set<number>> {
    const { rows } = await tx.query<{ row: number }>("SELECT row FROM import_job_rows WHERE job_id = $1 AND batch = $2 AND rule = 'personal_data_erased'", [jobId, batch]);
    return new Set(rows.map((each) => each.row));
  }

  /**
   * A batch's outcomes onto its rows. Found by the batch (import_job_rows_by_batch), not by the job alone:
   * by the job, the planner joined every row of the job to the answer's 500, so each answer read all the
   * job's rows (docs/benchmarks.md, Bulk import).
   */
  private async recordOutcomes(tx: Sql, jobId: string, batch: number, outcomes: ImportRowOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await tx.query(
      `UPDATE import_job_rows r SET outcome = o.outcome, field = o.field, rule = o.rule, detail = o.detail
       FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[]) AS o(row, outcome, field, rule, detail)
       WHERE r.job_id = $1 AND r.batch = $2 AND r.row = o.row`,
      [jobId, batch, outcomes.map((each) => each.row), outcomes.map((each) => each.outcome), outcomes.map((each) => each.field ?? null), outcomes.map((each) => each.rule ?? null), outcomes.map((each) => each.detail ?? null)],
    );
  }

  /**
   * The end of the dry run: `ready`, and on into the run when it was asked for and nothing was refused
   * (or refused rows may be skipped). The end of the run: `done`, and the personal data of every row
   * that went in is dropped from the job (the refused rows stay, for the error file).
   */
  private async endPhase(tx: Sql, jobId: string): Promise<void> {
    const job = (await this.find(tx, jobId, true)) as ImportJobRecord;
    if (job.phase === 'apply') {
      // The clock's time, not the transaction's start: a run of one batch starts and ends in one transaction.
      await tx.query("UPDATE import_jobs SET state = 'done', finished_at = clock_timestamp() WHERE job_id = $1", [jobId]);
      await tx.query("UPDATE import_job_rows SET sealed = NULL WHERE job_id = $1 AND outcome <> 'refused'", [jobId]);
      return;
    }
    await tx.query("UPDATE import_jobs SET state = 'ready' WHERE job_id = $1", [jobId]);
    if (job.runRequested) await this.startRun(tx, jobId);
  }

  /**
   * Asks for the run (POST …/run): from `ready` straight away, from `validating` once the dry run ends.
   * Refused rows block it unless `skipRefused`: nobody gets half a file by accident.
   */
  async requestRun(jobId: string, organisationId: string, skipRefused: boolean): Promise<void> {
    await this.database.transaction(async (tx) => {
      const { rows } = await tx.query<{ state: string }>('SELECT state FROM import_jobs WHERE job_id = $1 AND organisation_id = $2 FOR UPDATE', [jobId, organisationId]);
      if (!rows[0]) throw new UnknownEntity('import', jobId);
      // Its place among the organisation's runs (WAITS_FOR_ANOTHER_RUN): asked during its dry run, from
      // the first time it was asked; asked once ready (its dry run stopped it, or nobody had asked), now.
      await tx.query(
        `UPDATE import_jobs SET run_requested = true, skip_refused = skip_refused OR $2,
           run_requested_at = CASE WHEN state = 'ready' THEN clock_timestamp() ELSE coalesce(run_requested_at, clock_timestamp()) END
         WHERE job_id = $1`,
        [jobId, skipRefused],
      );
      if (rows[0].state === 'ready') await this.startRun(tx, jobId);
    });
  }

  /**
   * The run, with the job's stored consent to skip refused rows (given with this request or an earlier
   * one). The rows the dry run settled, refused or already present, are done before it starts: the run
   * applies the rest, so `done` reaches `total`.
   */
  private async startRun(tx: Sql, jobId: string): Promise<void> {
    const { rows } = await tx.query<{ refused: number; state: string; skip_refused: boolean }>('SELECT refused, state, skip_refused FROM import_jobs WHERE job_id = $1', [jobId]);
    if (rows[0].state !== 'ready' || (rows[0].refused > 0 && !rows[0].skip_refused)) return;
    await tx.query(
      `UPDATE import_jobs SET state = CASE WHEN batches = 0 THEN 'done' ELSE 'running' END, phase = 'apply', submitted = 0, answered = 0,
         done = refused + already_present, run_from = refused + already_present, started_at = now(), progressed_at = now(),
         finished_at = CASE WHEN batches = 0 THEN now() END WHERE job_id = $1`,
      [jobId],
    );
  }

  /** The refused rows with their cells and reasons, in file order (the error file), and the job's kind (its columns). */
  async refusedRowsOf(jobId: string, organisationId: string | null): Promise<{ kind: ImportKind; rows: RefusedFileRow[] }> {
    const { kind } = await this.answer(jobId, organisationId);
    const dataKey = await this.dataKey(this.database, jobId);
    const { rows } = await this.database.query<{ row: number; sealed: Sealed; field: string | null; rule: string | null; detail: string | null }>(
      "SELECT row, sealed, field, rule, detail FROM import_job_rows WHERE job_id = $1 AND outcome = 'refused' ORDER BY row",
      [jobId],
    );
    return {
      kind,
      rows: rows.map((row) => ({
        row: row.row,
        cells: row.sealed ? unseal<{ cells: Record<string, string> }>(dataKey, row.sealed).cells : {},
        field: row.field ?? '',
        rule: row.rule ?? '',
        detail: row.detail ?? '',
      })),
    };
  }

  /**
   * The first `limit` refused rows' reasons, in file order, and how many were refused: for a screen, so
   * without cells (personal data it has no need of).
   */
  async refusalsOf(jobId: string, organisationId: string | null, limit: number): Promise<{ items: Array<{ row: number; field: string; rule: string; detail: string }>; total: number }> {
    await this.answer(jobId, organisationId);
    const { rows } = await this.database.query<{ row: number; field: string; rule: string; detail: string }>(
      "SELECT row, coalesce(field, '') AS field, coalesce(rule, '') AS rule, coalesce(detail, '') AS detail FROM import_job_rows WHERE job_id = $1 AND outcome = 'refused' ORDER BY row LIMIT $2",
      [jobId, limit],
    );
    const { rows: counted } = await this.database.query<{ total: number }>("SELECT count(*)::int AS total FROM import_job_rows WHERE job_id = $1 AND outcome = 'refused'", [jobId]);
    return { items: rows, total: counted[0].total };
  }

  /** Fails a job still at work (a job that ended meanwhile keeps its end), with the rule and its sentence. */
  async fail(jobId: string, rule: ImportFailureRule, failure: string): Promise<void> {
    await this.database.query(
      "UPDATE import_jobs SET state = 'failed', failure_rule = $2, failure = $3, finished_at = clock_timestamp() WHERE job_id = $1 AND state IN ('validating', 'running')",
      [jobId, rule, failure],
    );
  }

  private async dataKey(sql: Sql, jobId: string): Promise<Buffer> {
    const { rows } = await sql.query<{ wrapped_key: Sealed }>('SELECT wrapped_key FROM import_jobs WHERE job_id = $1', [jobId]);
    return this.keys.unwrap(rows[0].wrapped_key);
  }
}
