import { Actor, Caller, ImportMode, ImportRowOutcome, ORGANISATION_KIND_OF_ROLE, ImportRowsAnsweredV1, ImportRowsSubmittedV1, ImportRowSubmitted } from '@skills/contracts';
import { lockStreams } from '@skills/event-sourcing';
import { actAs } from '@skills/messaging';
import { SharedTransaction, Statement, Transactions } from '@skills/postgres';
import { PoolClient } from 'pg';

/** What an applier knows of the job a row belongs to. */
export type ImportJobOf = Pick<ImportRowsSubmittedV1, 'jobId' | 'kind' | 'organisationId' | 'courseId' | 'startedBy'>;

/** A row of a batch not present (its key is new, or not its natural key's latest), and whether it changes a row applied before. */
export interface PendingImportRow {
  row: ImportRowSubmitted;
  previouslyImported: boolean;
}

/**
 * Applies a whole batch with a few set-based statements (a trainees batch: 500 registrations in one
 * multi-row insert each of claims, events, keys and messages), in the batch's transaction `tx`. In a
 * `judge` batch it may answer by checks alone, without writing. Answers an outcome for every row given;
 * a refused row leaves nothing, so some of those may be given to it again in the same transaction, as
 * changes of rows imported before (`appliedMeanwhile`).
 */
export interface ImportBatchApplier {
  kind: ImportRowsSubmittedV1['kind'];
  /**
   * The streams every row of the job's batches goes to (an enrolments job: its course), locked before the
   * rows' keys are looked up: a second job of the same file on them waits for the first to commit, then
   * finds its rows already present, instead of taking them all for new ones.
   */
  streamsLockedFirst?(job: ImportJobOf): string[];
  applyAll(tx: PoolClient, rows: PendingImportRow[], job: ImportJobOf, mode: ImportRowsSubmittedV1['mode']): Promise<ImportRowOutcome[]>;
}

/** The actor of an import's commands: the platform, on behalf of the user who started the job (domain.md section 9). */
export const importActor = (batch: Pick<ImportRowsSubmittedV1, 'organisationId' | 'startedBy'>): Actor => ({
  userId: batch.startedBy.userId,
  role: batch.startedBy.role as Actor['role'],
  organisationId: batch.organisationId,
  via: 'system',
  component: 'imports',
});

/**
 * The caller an import's commands are judged as: the organisation's staff user who started the job,
 * acting `via: system` (the job was authorised when it was created); the same checks as their own
 * HTTP command (another school's course, another evaluator's certificate) apply to every row.
 */
export const importCaller = (batch: Pick<ImportRowsSubmittedV1, 'organisationId' | 'startedBy'>): Caller => ({
  userId: batch.startedBy.userId ?? 'import',
  username: 'import',
  role: batch.startedBy.role as Caller['role'],
  organisationId: batch.organisationId,
  organisationKind: batch.startedBy.role ? ORGANISATION_KIND_OF_ROLE[batch.startedBy.role as Caller['role']] : null,
  orgAdmin: false,
  traineeId: null,
  regionCode: null,
  via: 'system',
});

/**
 * One batch of rows in ONE transaction, by the kind's applier (a few set-based statements for all its
 * rows; a refused row leaves nothing): a row whose key was applied last for its natural key is
 * `already_present`, every other row is given to the applier and, unless refused, its key kept. `judge` rolls everything back at
 * the end (the job's dry run, judged by the very rules that will apply it); `apply` commits the rows with
 * `finish`, which records the answer, so a batch is answered exactly once with what it did. `first` runs
 * first in the batch's transaction (a lock the caller wants held from the start).
 */
export async function applyImportBatch(
  transactions: Transactions,
  batch: ImportRowsSubmittedV1,
  applier: ImportBatchApplier,
  finish: (tx: PoolClient, answer: ImportRowsAnsweredV1) => Promise<void>,
  first?: (tx: PoolClient) => Promise<void>,
): Promise<ImportRowsAnsweredV1> {
  actAs(importActor(batch));
  const shared = new SharedTransaction(transactions.database, first);
  const outcomes: ImportRowOutcome[] = [];
  try {
    await transactions.joining(shared, async () => {
      outcomes.push(...(await applyAll(transactions, batch, applier)));
    });
    const answer: ImportRowsAnsweredV1 = { jobId: batch.jobId, batch: batch.batch, mode: batch.mode, outcomes };
    if (batch.mode === 'judge') {
      await shared.rollback();
      await transactions.database.transaction((tx) => finish(tx, answer));
    } else {
      await shared.finish((tx) => finish(tx, answer));
      await shared.commit();
    }
    return answer;
  } catch (error) {
    await shared.rollback();
    throw error;
  }
}

/**
 * The batch at once: the rows' keys looked up in one statement (already present, or a correction), the
 * rest given to the applier together, and the keys of what it applied written in one statement. A row
 * refused because another job applied its natural key (a person, a certificate number) meanwhile is
 * answered as if that job had been first (`appliedMeanwhile`): some are given to the applier again.
 */
async function applyAll(transactions: Transactions, batch: ImportRowsSubmittedV1, applier: ImportBatchApplier): Promise<ImportRowOutcome[]> {
  return transactions.run(async (tx) => {
    const streams = applier.streamsLockedFirst?.(batch) ?? [];
    if (streams.length > 0) await lockStreams(tx, streams);
    const sameAs = await knownKeys(tx, batch, batch.rows);
    const { repeatOf, afterOther } = standingInBatch(batch.rows);
    const present = (row: ImportRowSubmitted) => sameAs.get(row.row) === true && !afterOther.has(row.row);
    const pending = batch.rows
      .filter((row) => !present(row) && !repeatOf.has(row.row))
      .map((row) => ({ row, previouslyImported: sameAs.has(row.row) || afterOther.has(row.row) }));
    const outcomeOf = new Map((await applier.applyAll(tx, pending, batch, batch.mode)).map((outcome) => [outcome.row, outcome]));
    const isRefused = (row: ImportRowSubmitted) => outcomeOf.get(row.row)?.outcome === 'refused';
    // Before this batch's own keys go in: only another job's can be found.
    const meanwhile = await appliedMeanwhile(tx, batch, pending.filter(({ row }) => isRefused(row)));
    if (meanwhile.changed.length > 0) {
      const again = meanwhile.changed.map((row) => ({ row, previouslyImported: true }));
      for (const outcome of await applier.applyAll(tx, again, batch, batch.mode)) outcomeOf.set(outcome.row, outcome);
    }
    const sent = pending.map(({ row }) => row);
    if (batch.mode === 'apply') await keepKeys(tx, batch, sent.filter((row) => !isRefused(row)));
    return batch.rows.map((row) => answerOf(row, { mode: batch.mode, kind: batch.kind, present: present(row), meanwhile: meanwhile.present, repeatOf, outcomeOf }));
  });
}

/**
 * The keys of the rows applied, in one statement, each as its natural key's latest (`applied`, in the
 * batch's order: A, B, A leaves A the latest): uploaded again, they are already present. Each is the
 * trainee's it was last applied for (a person erased and registered again takes the same key on).
 */
async function keepKeys(tx: PoolClient, batch: ImportRowsSubmittedV1, applied: ImportRowSubmitted[]): Promise<void> {
  if (applied.length === 0) return;
  await tx.query(
    // DISTINCT ON: a file may repeat a row (A, B, A), and one statement may not update a row twice; its
    // last place counts. The rows reach nextval in the order of their places.
    `INSERT INTO import_row_keys (organisation_id, kind, natural_key, key, trainee_id, applied)
     SELECT $1::uuid, $2, natural_key, key, trainee_id, nextval('import_row_keys_applied')
       FROM (SELECT * FROM (SELECT DISTINCT ON (natural_key, key) * FROM unnest($3::text[], $4::text[], $5::uuid[]) WITH ORDINALITY AS r(natural_key, key, trainee_id, place)
                             ORDER BY natural_key, key, place DESC) last_places
              ORDER BY place) rows
     ON CONFLICT (organisation_id, kind, natural_key, key) DO UPDATE SET trainee_id = EXCLUDED.trainee_id, applied = EXCLUDED.applied`,
    [batch.organisationId, batch.kind, applied.map((row) => row.naturalKey), applied.map((row) => row.key), applied.map((row) => row.traineeId)],
  );
}

/** What the batch answers for a row, from how it stood before the applier and what the applier did. */
function answerOf(
  row: ImportRowSubmitted,
  { mode, kind, present, meanwhile, repeatOf, outcomeOf }: { mode: ImportMode; kind: string; present: boolean; meanwhile: Set<number>; repeatOf: Map<number, number>; outcomeOf: Map<number, ImportRowOutcome> },
): ImportRowOutcome {
  if (present || meanwhile.has(row.row)) return { row: row.row, outcome: 'already_present' };
  const earlier = repeatOf.get(row.row);
  if (earlier !== undefined) {
    // Its first again: refused as that one was; else present once that one goes in (a dry run says
    // accepted, so the run sends it too and answers it by what its first did then).
    const first = outcomeOf.get(earlier);
    if (first?.outcome === 'refused' && !meanwhile.has(earlier)) return { ...first, row: row.row, detail: `${first.detail} (as row ${earlier}, which this row repeats)` };
    // Its first found present already (nothing to do), the repeat is too, in a dry run as in the run.
    const firstPresent = first?.outcome === 'already_present' || meanwhile.has(earlier);
    return { row: row.row, outcome: mode === 'judge' && !firstPresent ? 'accepted' : 'already_present' };
  }
  const outcome = outcomeOf.get(row.row);
  if (!outcome) throw new Error(`the ${kind} applier answered nothing for row ${row.row}`);
  // A dry run says what the run will do; a row the applier finds present already (nothing to do) is not sent by the run.
  return mode === 'judge' && outcome.outcome !== 'refused' && outcome.outcome !== 'already_present' ? { row: row.row, outcome: 'accepted' } : outcome;
}

/**
 * Of the rows the applier refused, those whose natural key (a person, a certificate number) another job
 * of the organisation applied since the batch looked its keys up: a dry run beside another job's run, or
 * two batches through applyImportBatch itself (the job runner runs an organisation's jobs of one kind
 * and course one after the other). The other's claims (an identity number, a certificate number) came
 * first: a claim that meets another's waits for it to commit, and that job's keys commit with its
 * claims; read committed, this second look sees them. Each row is answered as if that job had been first:
 * - with the same cells (the same file twice), whatever the refusal said, the row is already present;
 * - with other cells, a row that was new when looked up is a change of what that job imported, and is
 *   decided again as one (`changed`): a trainee's name and phone corrected, a certificate refused as
 *   already recorded. (A file of these kinds holds a natural key once: PrepareRows refuses it again.)
 * The second decision may wait on locks the first took in another order (a trainee's stream after
 * claims): a deadlock is retried as a whole batch (ImportRunner). Enrolments lock their course before
 * the keys are looked up instead, so a second job waits for the first and finds its keys.
 */
async function appliedMeanwhile(tx: PoolClient, batch: ImportRowsSubmittedV1, refused: PendingImportRow[]): Promise<{ present: Set<number>; changed: ImportRowSubmitted[] }> {
  const known = await knownKeys(tx, batch, refused.map(({ row }) => row));
  const isChange = ({ row, previouslyImported }: PendingImportRow) => !previouslyImported && known.get(row.row) === false;
  return {
    present: new Set([...known].filter(([, same]) => same).map(([row]) => row)),
    changed: refused.filter(isChange).map(({ row }) => row),
  };
}

/**
 * How each row stands to the latest row before it in the batch with its natural key (an enrolments file
 * may hold a person twice: a result, then its correction). With the same cells it repeats it (a line
 * twice): answered as that row's first, never applied again, which would record a result twice. With
 * other cells it comes after another version: the file's later word, applied as a correction even if its
 * own cells were imported before (A, B, A ends at A). Row by row, each row had looked its key up once
 * the rows before it had gone in.
 */
function standingInBatch(rows: ImportRowSubmitted[]): { repeatOf: Map<number, number>; afterOther: Set<number> } {
  const latest = new Map<string, ImportRowSubmitted>();
  const repeatOf = new Map<number, number>();
  const afterOther = new Set<number>();
  for (const row of rows) {
    const before = latest.get(row.naturalKey);
    if (before?.key === row.key) repeatOf.set(row.row, repeatOf.get(before.row) ?? before.row);
    else if (before) afterOther.add(row.row);
    latest.set(row.naturalKey, row);
  }
  return { repeatOf, afterOther };
}

/** Of these rows, those whose natural key was applied before, by row number: with the same cells (true) or other cells (false). */
async function knownKeys(tx: PoolClient, batch: Pick<ImportRowsSubmittedV1, 'organisationId' | 'kind'>, rows: ImportRowSubmitted[]): Promise<Map<number, boolean>> {
  if (rows.length === 0) return new Map();
  const { rows: known } = await tx.query<{ i: number; same: boolean }>(knownKeysStatement({ ...batch, rows }));
  return new Map(known.map((each) => [rows[each.i - 1].row, each.same]));
}

/**
 * For each of a batch's rows (by its place, from 1) whose natural key was applied before for the same
 * trainee, whether with the same cells (its key) as the natural key's latest version (the key applied
 * last; keys kept before their order was, all 0, each count). An earlier version is other cells: the row
 * is applied again, the file's word. A row followed by another of its natural key in the file
 * (`lastKeyInFile`) is a step the file takes, not its last word: present if any version of it was
 * applied before (the same results file with a result and its correction, uploaded again), or if the
 * file's last word is the latest version already (a first attempt never imported before a retake that
 * was: applied, it would stand over the retake, which the dry run finds present, in another batch or
 * not). A key applied for another trainee is another person's (the same person erased, and registered again under a new id): not theirs.
 * Answered row by row, not by natural key: an enrolments file may hold a person twice (a result and its
 * correction), and the first may be present while the second is new. Each row's natural key probed on
 * its own (OFFSET 0 keeps the planner from turning it into one join): as a join, while a bulk import
 * grew the table faster than its statistics, the planner read every key the organisation had, for every
 * batch (docs/benchmarks.md).
 */
export function knownKeysStatement(batch: Pick<ImportRowsSubmittedV1, 'organisationId' | 'kind' | 'rows'>): Statement {
  return {
    text: `SELECT r.i::int AS i,
              bool_or((k.key = r.key AND (r.last_key IS NOT NULL OR k.applied = k.latest)) OR (r.last_key IS NOT NULL AND k.key = r.last_key AND k.applied = k.latest)) AS same
       FROM unnest($3::text[], $4::text[], $5::uuid[], $6::text[]) WITH ORDINALITY AS r(natural_key, key, trainee_id, last_key, i)
       CROSS JOIN LATERAL (SELECT k.key, k.applied, max(k.applied) OVER () AS latest FROM import_row_keys k
                            WHERE k.organisation_id = $1 AND k.kind = $2 AND k.natural_key = r.natural_key
                              AND (k.trainee_id IS NULL OR r.trainee_id IS NULL OR k.trainee_id = r.trainee_id) OFFSET 0) k
       GROUP BY r.i`,
    values: [
      batch.organisationId,
      batch.kind,
      batch.rows.map((row) => row.naturalKey),
      batch.rows.map((row) => row.key),
      batch.rows.map((row) => row.traineeId),
      batch.rows.map((row) => row.lastKeyInFile ?? null),
    ],
  };
}
