import { Injectable } from '@nestjs/common';
import { ImportKind, ImportNaturalKey } from '@skills/contracts';
import { Database, Sql } from '@skills/postgres';
import { ImportRowPlace } from '@skills/service-runtime';
import { identityHash } from '../../trainees/identity-hash';
import { ErasableFacts } from '../../trainees/trainee-answer';
import { phoneRowKey, traineesRowKey } from './prepare-rows';

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
      `UPDATE import_jobs SET state = 'failed', finished_at = now(), failure_rule = 'owner_silent',
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
   * stay, the error file's cells go, and the file's name (a clerk may name a file after a person). Personal
   * data is kept only as long as someone may still act on it.
   */
  async forgetOldRows(days: number): Promise<number> {
    // A dry run nobody ran in that time is closed too: its rows cannot be applied once forgotten.
    const { rows } = await this.database.query<{ forgotten: string }>(
      `WITH closed AS (
         UPDATE import_jobs SET state = 'failed', finished_at = now(), failure_rule = 'dry_run_not_run', failure = 'not run within ' || $1::int || ' days of its dry run; upload the file again', file_name = NULL
         WHERE state = 'ready' AND progressed_at < now() - make_interval(days => $1::int)
         RETURNING job_id),
       -- The ended ones' names (those closed above are in the snapshot as ready: one update a row).
       unnamed AS (
         UPDATE import_jobs SET file_name = NULL
         WHERE file_name IS NOT NULL AND state IN ('done', 'failed') AND coalesce(finished_at, progressed_at) < now() - make_interval(days => $1::int)),
       forgotten AS (
         UPDATE import_job_rows r SET sealed = NULL, phone_key = NULL FROM import_jobs j
         WHERE r.job_id = j.job_id AND r.sealed IS NOT NULL
           AND ((j.state IN ('done', 'failed') AND coalesce(j.finished_at, j.progressed_at) < now() - make_interval(days => $1::int)) OR j.job_id IN (SELECT job_id FROM closed))
         RETURNING 1)
       SELECT count(*) AS forgotten FROM forgotten`,
      [days],
    );
    return Number(rows[0].forgotten);
  }

  /**
   * The person's cells in every job (personal data erasure): rows that name them by trainee (results,
   * certificates), by identity number (trainees files, by each organisation's natural key), by the
   * keyed hash of it (results and certificates rows refused before a trainee was matched), or by a phone
   * they had (trainees rows refused for a number that is none: PreparedRow.phoneKey); and the names of
   * files named after them (forgetRowsAndFileNamesNaming). A row
   * still to be judged or applied is refused (`personal_data_erased`) and counted so; the others keep
   * their outcome, not the data nor the keyed hashes of their number and cells (a job that ended keeps
   * those after its cells are forgotten). If the row's batch is out, its answer settles it (ImportJobs.recordAnswer:
   * judged, this refusal stands; applied, the owner's outcome replaces it). Each row keeps whose it was.
   * Answers the natural keys its rows of other services' kinds held (PersonalDataErasedV1.importNaturalKeys):
   * the services that applied them find by these the keys they kept before keys named their trainee.
   */
  async forgetRowsOf(tx: Sql, traineeId: string, person: Pick<ErasableFacts, 'idNumber' | 'names' | 'phones'>): Promise<ImportNaturalKey[]> {
    const { idNumber } = person;
    const { rows: organisations } = await tx.query<{ organisation_id: string }>("SELECT DISTINCT organisation_id FROM import_jobs WHERE kind = 'trainees'");
    const naturalKeys = idNumber ? organisations.map((each) => traineesRowKey(each.organisation_id, idNumber)) : [];
    const personKey = idNumber ? identityHash(idNumber) : null;
    const forgotten = await this.forget(tx, NAMES_THE_PERSON, [traineeId, naturalKeys, personKey, person.phones.map(phoneRowKey)], traineeId);
    await this.unnameFilesNaming(tx, person.names, forgotten);
    await this.forgetLookupQuestionsOf(tx, traineeId);
    // Their trainees rows' keys too: kept, the same file imported again would answer them already
    // present, where the person, erased, is someone new to register.
    if (idNumber) await this.forgetRegistrationRowKeys(tx, idNumber, organisations);
    return naturalKeysAppliedElsewhere(forgotten);
  }

  /**
   * What names the person beside their number, as an erasure forgets it (forgetRowsOf): the trainees rows
   * refused for a number that is none that give a phone they had (marked `traineeId`'s), and the names of
   * files named after them. A void's: the voided registration's name and phones, read before its key goes.
   */
  async forgetRowsAndFileNamesNaming(tx: Sql, traineeId: string, person: Pick<ErasableFacts, 'names' | 'phones'>): Promise<void> {
    if (person.phones.length === 0) return;
    const forgotten = await this.forget(tx, WITH_THEIR_PHONE, [person.phones.map(phoneRowKey)], traineeId);
    await this.unnameFilesNaming(tx, person.names, forgotten);
  }

  /**
   * The names of the jobs whose file is named after the person (张三_报名.xlsx; kept-file-name.ts refuses only
   * the numbers): any of their names, spaces and case aside, among the jobs holding a row that named them (`rows`,
   * just forgotten); not every job whose name holds the same two characters, another person's or a place's
   * (建华区名单). A name of one character is in too many files' names to tell them.
   */
  private async unnameFilesNaming(tx: Sql, names: string[], rows: ForgottenRow[]): Promise<void> {
    const telling = names.map(nameInFileName).filter((name) => Array.from(name).length > 1);
    const jobIds = [...new Set(rows.map((row) => row.job_id))];
    if (telling.length === 0 || jobIds.length === 0) return;
    await tx.query(
      `UPDATE import_jobs SET file_name = NULL
        WHERE job_id = ANY($2::uuid[]) AND file_name IS NOT NULL
          AND EXISTS (SELECT 1 FROM unnest($1::text[]) AS n(name) WHERE strpos(lower(regexp_replace(file_name, '\\s', '', 'g')), n.name) > 0)`,
      [telling, jobIds],
    );
  }

  /**
   * Every organisation's trainees rows' keys for the identity number: the registration they made is gone
   * (erased, voided). Kept, the same row imported again would be answered already present and register
   * nobody, and a changed one taken as a correction of whoever holds the number now.
   */
  async forgetRegistrationRowKeys(tx: Sql, idNumber: string, organisations?: Array<{ organisation_id: string }>): Promise<void> {
    organisations ??= (await tx.query<{ organisation_id: string }>("SELECT DISTINCT organisation_id FROM import_jobs WHERE kind = 'trainees'")).rows;
    await tx.query(
      `DELETE FROM import_row_keys k USING unnest($1::uuid[], $2::text[]) AS p(organisation_id, natural_key)
        WHERE k.organisation_id = p.organisation_id AND k.kind = 'trainees' AND k.natural_key = p.natural_key`,
      [organisations.map((each) => each.organisation_id), organisations.map((each) => traineesRowKey(each.organisation_id, idNumber))],
    );
  }

  /**
   * The keyed hashes of what imports asked of the trainee's number (`trainee_lookups.question`, kept so the
   * same question costs nothing again), at their erasure or void: the lookups stay, counted and audited, but
   * nothing any more that a number could be tried against.
   */
  async forgetLookupQuestionsOf(tx: Sql, traineeId: string): Promise<void> {
    await tx.query('UPDATE trainee_lookups SET question = NULL WHERE trainee_id = $1 AND question IS NOT NULL', [traineeId]);
  }

  /** The questions older than `days` (misses name nobody, so no erasure finds them): kept no longer than a job's refused rows. */
  async forgetOldLookupQuestions(days: number): Promise<number> {
    const { rowCount } = await this.database.query('UPDATE trainee_lookups SET question = NULL WHERE question IS NOT NULL AND looked_up_at < now() - make_interval(days => $1::int)', [days]);
    return rowCount ?? 0;
  }

  /** Where the trainee's rows were (an erasure's), as the erasure ledger keeps them: their places, without their cells. */
  async placesOf(sql: Sql, traineeId: string): Promise<ImportRowPlace[]> {
    const { rows } = await sql.query<ImportRowPlace>('SELECT job_id AS "jobId", row FROM import_job_rows WHERE trainee_id = $1 ORDER BY job_id, row', [traineeId]);
    return rows;
  }

  /**
   * The rows at these places that still hold cells, forgotten as an erasure forgets them: an erasure
   * made again after a backup taken before it was restored (ErasureLedgerUpkeep), where the row of a
   * job left running, or ready, would otherwise register the person again. Answers how many.
   */
  async forgetRowsAt(tx: Sql, places: ImportRowPlace[]): Promise<number> {
    if (places.length === 0) return 0;
    return (await this.forget(tx, AT_THE_PLACES, [places.map((place) => place.jobId), places.map((place) => place.row)], null)).length;
  }

  /**
   * The rows `which` names ($1…, `values`): their cells and keyed hashes dropped; one still to be judged
   * or applied refused and counted so; each marked as `traineeId`'s (when given), so the erasure ledger
   * finds where they were. The jobs are locked first, in order, as a batch's answer locks its job before
   * its rows: so an erasure and an answer queue rather than deadlock, and the phase read is the job's current one.
   */
  private async forget(tx: Sql, which: string, values: unknown[], traineeId: string | null): Promise<ForgottenRow[]> {
    await tx.query(`SELECT 1 FROM import_jobs WHERE job_id IN (SELECT r.job_id FROM import_job_rows r WHERE ${which}) ORDER BY job_id FOR UPDATE`, values);
    const { rows } = await tx.query<ForgottenRow>(
      `WITH named AS (
         SELECT r.job_id, r.row, j.organisation_id, j.kind, r.natural_key, r.sealed IS NOT NULL AND j.state IN ('validating', 'ready', 'running') AND (r.outcome IS NULL OR r.outcome = 'accepted') AS pending
           FROM import_job_rows r JOIN import_jobs j ON j.job_id = r.job_id
          WHERE ${which}
          FOR UPDATE OF r)
       UPDATE import_job_rows r SET sealed = NULL, natural_key = NULL, key = NULL, person_key = NULL, phone_key = NULL,
              trainee_id = coalesce(r.trainee_id, $${values.length + 1}::uuid),
              outcome = CASE WHEN named.pending THEN 'refused' ELSE r.outcome END,
              field = CASE WHEN named.pending THEN 'idNumber' ELSE r.field END,
              rule = CASE WHEN named.pending THEN 'personal_data_erased' ELSE r.rule END,
              detail = CASE WHEN named.pending THEN 'this person''s personal data was erased meanwhile' ELSE r.detail END
         FROM named WHERE r.job_id = named.job_id AND r.row = named.row
       RETURNING named.job_id, named.pending, named.organisation_id, named.kind, named.natural_key`,
      [...values, traineeId],
    );
    for (const { job_id: jobId } of rows.filter((row) => row.pending)) {
      // A run counts the refused rows done (startRun); a dry run counts nothing done.
      await tx.query("UPDATE import_jobs SET refused = refused + 1, done = done + CASE WHEN phase = 'apply' THEN 1 ELSE 0 END WHERE job_id = $1", [jobId]);
    }
    return rows;
  }
}

/** A job row as `forget` found it: its job, whether it was still to be judged or applied, and the natural key it held. */
interface ForgottenRow {
  job_id: string;
  pending: boolean;
  organisation_id: string;
  kind: ImportKind;
  natural_key: string | null;
}

/** The distinct natural keys of forgotten rows of the kinds other services apply (trainees rows' keys are this service's, forgotten by number). */
function naturalKeysAppliedElsewhere(rows: ForgottenRow[]): ImportNaturalKey[] {
  const keys = new Map<string, ImportNaturalKey>();
  for (const row of rows) {
    if (row.kind === 'trainees' || !row.natural_key) continue;
    keys.set(`${row.organisation_id}|${row.kind}|${row.natural_key}`, { organisationId: row.organisation_id, kind: row.kind, naturalKey: row.natural_key });
  }
  return [...keys.values()];
}

/** A job row that still holds cells, or keyed hashes of a number and cells. */
const HOLDS_DATA = '(r.sealed IS NOT NULL OR r.natural_key IS NOT NULL OR r.key IS NOT NULL OR r.person_key IS NOT NULL OR r.phone_key IS NOT NULL)';

/**
 * A job row that still holds the cells of the person, or keyed hashes of their number and cells: $1 their
 * trainee id (a row matched to them), $2 their trainees files' natural keys, $3 the keyed hash of their
 * identity number (a results or certificates row refused before it was matched), $4 the keyed hashes of
 * their phones (a trainees row refused for a number that is none; rows uploaded before phone_key have none,
 * and their cells go with their job's 30 days, forgetOldRows).
 */
const NAMES_THE_PERSON = `${HOLDS_DATA} AND (r.trainee_id = $1 OR r.natural_key = ANY($2::text[]) OR r.person_key = $3 OR r.phone_key = ANY($4::text[]))`;

/** The trainees rows refused for a number that is none that still hold data and give one of the phones $1 (keyed hashes). */
const WITH_THEIR_PHONE = `${HOLDS_DATA} AND r.phone_key = ANY($1::text[])`;

/** A name as unnameFilesNaming looks for it in a file's name (which the query takes without spaces, in lower case). */
const nameInFileName = (name: string): string => name.replace(/\s/g, '').toLowerCase();

/** The job rows at the places $1 (job ids) and $2 (row numbers) that still hold data. */
const AT_THE_PLACES = `${HOLDS_DATA} AND (r.job_id, r.row) IN (SELECT * FROM unnest($1::uuid[], $2::int[]))`;

/** How many of the rows at these places still hold data (what forgetRowsAt would forget). */
export async function rowsHoldingDataAt(sql: Sql, places: ImportRowPlace[]): Promise<number> {
  if (places.length === 0) return 0;
  const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM import_job_rows r WHERE ${AT_THE_PLACES}`, [places.map((place) => place.jobId), places.map((place) => place.row)]);
  return rows[0].n;
}
