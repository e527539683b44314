import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, problemOf, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { inFuture } from '../../components/business-date-field';
import { daysAfter, today } from '../../components/dates';
import { answerSettlesKey, newIdempotencyKey } from '../../components/idempotency-key';
import { LARGEST_PAGE, loadAllPages } from '../../components/load-all-pages';
import { ProblemMessage } from '../../components/problem-message';
import { focusLost, useFocusAfterSuccess } from '../../components/use-step-focus';
import { nameInWords, useTraineeNames } from '../../components/use-trainee-names';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/zh-CN';
import { draftKey } from '../../session/drafts';
import { useSession } from '../../session/session-context';
import { lastOpenDay } from './enrol-form';

type RosterEntry = components['schemas']['RosterEntryAnswer'];
type Recorded = NonNullable<RosterEntry['assessment']>;
/** The result standing when a save was refused as assessment_changed (api.md), or none. */
type Standing = Pick<Recorded, 'assessmentId' | 'passed' | 'score' | 'assessedOn'> | null;
/** The cells of a row, left to right: pass and fail are two radio buttons, one choice. */
const COLUMNS = ['pass', 'fail', 'score', 'assessedOn'] as const;
type Column = (typeof COLUMNS)[number];

interface Row {
  traineeId: string;
  /** Pass or fail as the clerk chose it; none yet on a row without a result: a pass is never assumed. */
  passed: boolean | null;
  score: string;
  assessedOn: string;
  /** What the server holds for this trainee already: a new value for it is a correction. */
  recorded: Recorded | null;
  /**
   * The result the clerk's values were typed over (its assessmentId; null for none), sent as `corrects`:
   * one recorded by someone else meanwhile is then refused (assessment_changed), never silently replaced.
   * Kept in the draft, so a draft replayed after a reload corrects what the clerk saw, not what stands by then.
   */
  seen: string | null;
  /**
   * A replayed draft told at load of a result it did not see: the draft's own `seen` (none in a draft older than
   * `seen`), kept in the draft as it was until the row is edited or refused by the server, so a page loaded again
   * meanwhile tells it again rather than taking it as seen.
   */
  draftedSeen?: Pick<Partial<Row>, 'seen'>;
  /** The trainee's registration is voided: the row says so and offers nothing to record. */
  voided: boolean;
  /** The assessment date far after the course's end the clerk was warned of at saving: saving again sends it. */
  lateWarnedFor?: string;
  state: 'unchanged' | 'changed' | 'saved' | 'refused';
  problem?: Problem;
  /** The cell a refusal is about (the row's first for one about the whole row): the focus goes there after saving. */
  problemCell?: Column;
  /** The refusal is what its cell says already (pass or fail not chosen, a score out of range, a future date): the row does not say it again. */
  saidAtCell?: boolean;
  /**
   * The Idempotency-Key of these values' save, from the first attempt until an answer settles it (kept in
   * the draft too): a save repeated after a lost answer is then recorded once. New values, a new key.
   */
  idempotencyKey?: string;
}

/** A row's draft; one kept before `seen` was has none, and saw no one knows what. */
type Draft = Record<string, Pick<Row, 'passed' | 'score' | 'assessedOn' | 'idempotencyKey'> & Partial<Pick<Row, 'seen'>>>;

/** The clerk's own draft of a course's grid: another clerk on the same computer never sees it (session/drafts.ts). */
const resultsDraftKey = (userId: string, courseId: string) => draftKey(userId, `results.${courseId}`);
const sameValues = (one: Row, other: Row) => one.passed === other.passed && one.score === other.score && one.assessedOn === other.assessedOn;

/**
 * The API's own score rule (0 to 100, at most two decimals, judged by value as the API judges the number
 * sent: 86.50 and .5 are fine), said at the cell as it is typed; an empty score is said at saving.
 */
const SCORE = /^(\d+\.?\d*|\.\d+)$/;
function scoreError(score: string): MessageKey | null {
  const typed = score.trim();
  if (!typed) return null;
  const hundredths = Number(typed) * 100;
  return SCORE.test(typed) && Number(typed) <= 100 && Math.abs(hundredths - Math.round(hundredths)) < 1e-6 ? null : 'results.scoreRange';
}
/** An assessment cannot have happened after today (the API refuses it as date_in_future). */
const dateError = (assessedOn: string): MessageKey | null => (assessedOn && inFuture(assessedOn) ? 'common.dateInFuture' : null);

/** The cell a server refusal is about (a 400 naming `score` or `assessedOn`), else the row's first: focus goes there. */
function cellOfRefusal(refusal: Problem): Column {
  const field = refusal.errors?.[0]?.field;
  return field === 'score' || field === 'assessedOn' ? field : 'pass';
}

/**
 * How long after a course's end an assessment date is still likely: one later is more often a mistyped year
 * (2026 for 2021) than a late assessment, so the clerk is warned at the row and saves it by pressing again.
 */
const LIKELY_DAYS_AFTER_END = 90;
function lateAfterEnd(assessedOn: string, endDate: string): boolean {
  if (!assessedOn || !endDate) return false;
  return assessedOn > daysAfter(endDate, LIKELY_DAYS_AFTER_END);
}

/** A result the clerk did not see standing now (or none where they saw one), in its own words: they name the values. */
function changedMeanwhile(t: ReturnType<typeof useI18n>['t'], standing: Standing): Problem {
  // Not the rule's words (ProblemMessage would say rule.assessment_changed instead). Neutral on who recorded
  // it: it may be the clerk's own earlier save whose answer was lost.
  return {
    message: standing
      ? t('results.changedMeanwhile', {
          result: t(standing.passed ? 'results.passedWithScore' : 'results.failedWithScore', { score: standing.score }),
          assessedOn: standing.assessedOn,
          save: t('results.save'),
        })
      : t('results.removedMeanwhile', { save: t('results.save') }),
  };
}

/**
 * Results for a whole course in one grid: a row per enrolled trainee, each with its own business date.
 * Arrow keys and Enter move from cell to cell (moveFrom); the draft is kept in this tab while it is being typed,
 * so nothing is lost if the session has to be renewed (or signed into again) before saving; it is the
 * clerk's own, and signing out clears it (session/drafts.ts).
 */
export function ResultsGridPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  // Inside RequireRole: who is signed in is known.
  const userId = useSession().me?.userId ?? '';
  const storageKey = resultsDraftKey(userId, id);
  const [title, setTitle] = useState('');
  const [courseEnd, setCourseEnd] = useState('');
  const [rows, setRows] = useState<Row[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saving, setSaving] = useState(false);
  // A save that leaves nothing unsaved disables the focused save button: focus goes to the line saying what is left unsaved (unless the clerk went on to another cell meanwhile).
  const afterSaving = useFocusAfterSuccess<HTMLParagraphElement>({ onlyIfLost: true });
  // A save leaving refused rows: the focus goes from Save to the first one's cell the refusal is about (unless the clerk went on meanwhile).
  const saveButton = useRef<HTMLButtonElement>(null);
  const [refusedCell, setRefusedCell] = useState<{ cell: string } | null>(null);
  useEffect(() => {
    if (refusedCell && (focusLost() || document.activeElement === saveButton.current)) document.querySelector<HTMLInputElement>(`[data-cell="${refusedCell.cell}"]`)?.focus();
  }, [refusedCell]);
  const names = useTraineeNames(rows?.filter((row) => !row.voided).map((row) => row.traineeId) ?? []);
  // The words a replayed draft is told in, as they are when it loads: a new translator is no reason to read the course again.
  const words = useRef(t);
  words.current = t;

  // Only the latest load counts, whichever answers last: an earlier one (of the session before it was renewed, say) would replace the draft's rows.
  const latestLoad = useRef(0);
  const load = useCallback(async () => {
    const request = ++latestLoad.current;
    // Read before the answers, so a load overtaken by another replays the same draft, not one the first has rewritten.
    const draft = JSON.parse(sessionStorage.getItem(storageKey) ?? '{}') as Draft;
    const [course, roster] = await Promise.all([
      api.GET('/api/v1/courses/{id}', { params: { path: { id } } }),
      // Every enrolled trainee, page after page: a course may have thousands of seats.
      loadAllPages((cursor) => api.GET('/api/v1/courses/{id}/enrollments', { params: { path: { id }, query: { limit: LARGEST_PAGE, status: 'enrolled', cursor, consistent: 'true' } } })),
    ]);
    if (request !== latestLoad.current) return;
    if (!course.data || !roster.data) return setProblem(problemOf(course.error ?? roster.error));
    setTitle(course.data.title);
    setCourseEnd(course.data.endDate);
    // The course's last day by default, or today while it runs: an assessment cannot be dated after today.
    const endDate = lastOpenDay(course.data.endDate);
    setRows(
      roster.data.map((entry) => {
        const recorded = entry.assessment ?? null;
        const voided = entry.registrationVoided;
        const standingId = recorded?.assessmentId ?? null;
        const base = { passed: recorded?.passed ?? null, score: recorded ? String(recorded.score) : '', assessedOn: recorded?.assessedOn ?? endDate, seen: standingId };
        // A draft of a row whose registration was voided since is nothing to save.
        const drafted = voided ? undefined : draft[entry.traineeId];
        if (!drafted) return { traineeId: entry.traineeId, recorded, voided, ...base, state: 'unchanged' };
        // Typed over another result than stands now (or, from a draft older than `seen`, over one unknown): said at
        // once, as a refused save says it; the clerk has now seen it, and saving replaces it knowingly.
        const unseen = 'seen' in drafted ? drafted.seen !== standingId : standingId !== null;
        const draftedSeen = 'seen' in drafted ? { seen: drafted.seen } : {};
        const told = unseen
          ? { seen: standingId, draftedSeen, state: 'refused' as const, problem: changedMeanwhile(words.current, recorded), problemCell: 'pass' as const, idempotencyKey: undefined }
          : { state: 'changed' as const };
        return { traineeId: entry.traineeId, recorded, voided, ...base, ...drafted, ...told };
      }),
    );
  }, [id, storageKey]);

  useEffect(() => {
    void load();
  }, [load]);

  // The draft: every changed row, kept until it is saved.
  useEffect(() => {
    if (!rows) return;
    const changed = rows.filter((row) => row.state === 'changed' || row.state === 'refused');
    if (changed.length === 0) sessionStorage.removeItem(storageKey);
    else {
      const draft: Draft = Object.fromEntries(
        changed.map((row) => [row.traineeId, { passed: row.passed, score: row.score, assessedOn: row.assessedOn, ...(row.draftedSeen ?? { seen: row.seen }), idempotencyKey: row.idempotencyKey }]),
      );
      sessionStorage.setItem(storageKey, JSON.stringify(draft));
    }
  }, [rows, storageKey]);

  // New values are another request: they drop the key of the values before.
  const edit = (index: number, changes: Partial<Row>) =>
    setRows((current) => current && current.map((row, at) => (at === index ? { ...row, ...changes, state: 'changed', problem: undefined, problemCell: undefined, saidAtCell: undefined, draftedSeen: undefined, idempotencyKey: undefined } : row)));

  /** A date far after the course's end, unless it is the recorded result's own (warned of when it was saved). */
  const lateUnrecorded = (row: Row) => lateAfterEnd(row.assessedOn, courseEnd) && row.assessedOn !== row.recorded?.assessedOn;

  /**
   * A row's answer, into the grid as it is now: the grid stays editable while saving, so a row typed into
   * meanwhile keeps its newer values, still to save (as a correction of what was just recorded). A result
   * recorded by someone else meanwhile (`standing`) becomes the row's recorded one, whatever the clerk typed
   * since: their values stay, said unsaved at the row, and saving again replaces that result knowingly. A
   * registration voided meanwhile (trainee_voided) makes the row a voided one, as the roster says them: nothing to save.
   */
  type Refusal = { problem: Problem; problemCell: Column; saidAtCell?: boolean; keepKey: boolean; lateWarnedFor?: string };
  const settle = (sent: Row, outcome: { recorded: Recorded } | { standing: Standing; problem: Problem } | { voided: true } | Refusal) =>
    setRows(
      (current) =>
        current &&
        current.map((row) => {
          if (row.traineeId !== sent.traineeId) return row;
          const untouched = sameValues(row, sent);
          if ('recorded' in outcome) {
            const recorded = { recorded: outcome.recorded, seen: outcome.recorded.assessmentId };
            return untouched ? { ...row, ...recorded, state: 'saved', problem: undefined, idempotencyKey: undefined } : { ...row, ...recorded };
          }
          if ('voided' in outcome) return { ...row, voided: true, state: 'unchanged', problem: undefined, problemCell: undefined, saidAtCell: undefined, idempotencyKey: undefined };
          if ('standing' in outcome) {
            const recorded = outcome.standing && { ...outcome.standing, corrected: false, recordedAt: '' };
            return { ...row, recorded, seen: outcome.standing?.assessmentId ?? null, state: 'refused', problem: outcome.problem, problemCell: 'pass', saidAtCell: false, draftedSeen: undefined, idempotencyKey: undefined };
          }
          const { problem, problemCell, saidAtCell = false, keepKey, lateWarnedFor = row.lateWarnedFor } = outcome;
          return untouched ? { ...row, state: 'refused', problem, problemCell, saidAtCell, lateWarnedFor, idempotencyKey: keepKey ? row.idempotencyKey : undefined } : row;
        }),
    );

  const save = async () => {
    if (!rows || saving) return;
    setSaving(true);
    // Each row's key is given before its first attempt and kept with the draft until an answer settles it.
    const toSave = rows
      .map((row, index) => ({ ...row, index, idempotencyKey: row.idempotencyKey ?? newIdempotencyKey() }))
      .filter((row) => row.state === 'changed' || row.state === 'refused');
    const keys = new Map(toSave.map((row) => [row.traineeId, row.idempotencyKey]));
    setRows((current) => current && current.map((row) => (keys.has(row.traineeId) && !row.idempotencyKey ? { ...row, idempotencyKey: keys.get(row.traineeId) } : row)));
    // The first refused row's cell, in the grid's order: where the focus goes once every row is answered.
    let firstRefused: string | null = null;
    const refuse = (row: Row & { index: number }, refusal: Refusal) => {
      settle(row, refusal);
      firstRefused ??= `${row.index}-${refusal.problemCell}`;
    };
    for (const row of toSave) {
      const score = Number(row.score);
      if (row.passed === null) {
        refuse(row, { problem: { message: t('results.passedRequired') }, problemCell: 'pass', saidAtCell: true, keepKey: false });
        continue;
      }
      if (row.score.trim() === '') {
        refuse(row, { problem: { message: t('results.scoreRequired') }, problemCell: 'score', keepKey: false });
        continue;
      }
      // Already said at its cell (a score that is no number too, in the cell's words); the row is not sent.
      const scoreWrong = scoreError(row.score);
      const dateWrong = dateError(row.assessedOn);
      if (scoreWrong || dateWrong) {
        refuse(row, { problem: { message: t((scoreWrong ?? dateWrong) as MessageKey) }, problemCell: scoreWrong ? 'score' : 'assessedOn', saidAtCell: true, keepKey: false });
        continue;
      }
      // Said at its cell as typed; the first press leaves the row unsent with the warning, the next sends it.
      if (lateUnrecorded(row) && row.lateWarnedFor !== row.assessedOn) {
        const problem = { message: t('results.lateAssessmentConfirm', { endDate: courseEnd, save: t('results.save') }) };
        refuse(row, { problem, problemCell: 'assessedOn', keepKey: false, lateWarnedFor: row.assessedOn });
        continue;
      }
      const { data, error, response } = await api
        .POST('/api/v1/courses/{id}/assessments', {
          params: { path: { id }, header: { 'Idempotency-Key': row.idempotencyKey } },
          body: { traineeId: row.traineeId, passed: row.passed, score, assessedOn: row.assessedOn, corrects: row.seen },
        })
        .catch((failure: unknown) => ({ data: undefined, error: failure, response: undefined }));
      // The answer says whether a result was replaced: the row is marked a correction by it, not by what was loaded.
      if (response?.ok && data) settle(row, { recorded: { assessmentId: data.assessmentId, passed: row.passed, score, assessedOn: row.assessedOn, corrected: data.corrects !== undefined, recordedAt: '' } });
      else if (problemOf(error).rule === 'assessment_changed') {
        const standing = (error as { standing?: Standing }).standing ?? null;
        settle(row, { standing, problem: changedMeanwhile(t, standing) });
        firstRefused ??= `${row.index}-pass`;
      } else if (problemOf(error).rule === 'trainee_voided') settle(row, { voided: true });
      // No answer, or the server's own trouble (5xx): the same request may have been recorded, so its retry keeps the key.
      else {
        const refusal = problemOf(error);
        refuse(row, { problem: refusal, problemCell: cellOfRefusal(refusal), keepKey: !answerSettlesKey(response, error) });
      }
    }
    setSaving(false);
    if (firstRefused) setRefusedCell({ cell: firstRefused });
    else afterSaving.focusTarget();
  };

  if (!rows) return problem ? <ProblemMessage problem={problem} /> : <p role="status">{t('common.loading')}</p>;
  const unsaved = rows.filter((row) => row.state === 'changed' || row.state === 'refused').length;
  return (
    <section>
      <div className="page-title">
        <h1>{t('results.title', { course: title })}</h1>
        <Link to={`/school/courses/${id}`}>{t('results.backToCourse')}</Link>
      </div>
      <p className="hint" id="grid-help">
        {t('results.keys')} {t('results.keysChoice')}
      </p>
      <table className="grid" aria-describedby="grid-help">
        <caption className="visually-hidden">{t('results.title', { course: title })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('trainee.name')}</th>
            <th scope="col">{t('results.passed')}</th>
            <th scope="col">{t('results.score')}</th>
            <th scope="col">{t('results.assessedOn')}</th>
            <th scope="col">{t('results.state')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            if (row.voided)
              return (
                <tr key={row.traineeId} data-state={row.state} data-voided="true">
                  <th scope="row">{t('roster.registrationVoided')}</th>
                  <td colSpan={3}>{t('results.registrationVoided')}</td>
                  <td>
                    <RowState row={row} />
                  </td>
                </tr>
              );
            const name = nameInWords(names[row.traineeId], t);
            // A row edited without pass or fail chosen is told so at the choice, before anything is sent.
            const choiceMissing = row.passed === null && row.state !== 'unchanged';
            const errors = { score: scoreError(row.score), assessedOn: dateError(row.assessedOn) };
            const late = !errors.assessedOn && lateUnrecorded(row);
            const described = (cell: 'score' | 'assessedOn') => (errors[cell] ? `${index}-${cell}-error` : cell === 'assessedOn' && late ? `${index}-assessedOn-late` : undefined);
            const choice = (passed: boolean) => (
              <label>
                <input
                  type="radio"
                  name={`passed-${index}`}
                  data-cell={`${index}-${passed ? 'pass' : 'fail'}`}
                  checked={row.passed === passed}
                  onChange={() => edit(index, { passed })}
                  onKeyDown={moveFrom(index, passed ? 'pass' : 'fail')}
                />
                {t(passed ? 'results.pass' : 'results.fail')}
              </label>
            );
            return (
              <tr key={row.traineeId} data-state={row.state}>
                <th scope="row">{name}</th>
                <td>
                  <div role="radiogroup" aria-label={t('results.passedOf', { name })} aria-invalid={choiceMissing ? true : undefined} aria-describedby={choiceMissing ? `${index}-passed-error` : undefined}>
                    {choice(true)} {choice(false)}
                  </div>
                  {choiceMissing && (
                    <p id={`${index}-passed-error`} className="field-error">
                      {t('results.passedRequired')}
                    </p>
                  )}
                </td>
                <td>
                  <input
                    type="text"
                    inputMode="decimal"
                    aria-label={t('results.scoreOf', { name })}
                    data-cell={`${index}-score`}
                    value={row.score}
                    onChange={(event) => edit(index, { score: event.target.value })}
                    onKeyDown={moveFrom(index, 'score')}
                    aria-invalid={errors.score ? true : undefined}
                    aria-describedby={described('score')}
                  />
                  {errors.score && (
                    <p id={described('score')} className="field-error">
                      {t(errors.score)}
                    </p>
                  )}
                </td>
                <td>
                  <input
                    type="date"
                    max={today()}
                    aria-label={t('results.assessedOnOf', { name })}
                    data-cell={`${index}-assessedOn`}
                    value={row.assessedOn}
                    onChange={(event) => edit(index, { assessedOn: event.target.value })}
                    onKeyDown={moveFrom(index, 'assessedOn')}
                    aria-invalid={errors.assessedOn ? true : undefined}
                    aria-describedby={described('assessedOn')}
                  />
                  {errors.assessedOn && (
                    <p id={described('assessedOn')} className="field-error">
                      {t(errors.assessedOn)}
                    </p>
                  )}
                  {late && (
                    <p id={described('assessedOn')} className="hint">
                      {t('results.lateAssessment', { endDate: courseEnd })}
                    </p>
                  )}
                </td>
                <td>
                  <RowState row={row} name={name} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p role="status" tabIndex={-1} ref={afterSaving.target}>
        {unsaved > 0 ? t('results.unsaved', { count: unsaved }) : t('results.allSaved')}
      </p>
      {/* aria-disabled, not disabled, while saving: a disabled button loses the keyboard's focus. */}
      <button type="button" className="primary" ref={saveButton} disabled={unsaved === 0} aria-disabled={saving} onClick={() => void save()}>
        {t('results.save')}
      </button>
    </section>
  );
}

/** A row's state; a refusal is announced with the trainee's name, unless its cell says it already (then only that it is unsaved). */
function RowState({ row, name }: { row: Row; name?: string }) {
  const { t } = useI18n();
  if (row.state === 'refused' && !row.saidAtCell)
    return (
      <ProblemMessage problem={row.problem ?? null}>
        <p>{t('results.refusedRow', { name: name ?? '' })}</p>
      </ProblemMessage>
    );
  const correction = row.recorded !== null && (row.state === 'changed' || row.state === 'refused' || row.recorded.corrected);
  return (
    <span className={`row-state row-${row.state}`}>
      {row.state === 'saved' ? t('results.saved') : row.state === 'changed' || row.state === 'refused' ? t('results.changed') : row.recorded ? t('results.recorded') : t('results.empty')}
      {correction ? ` · ${t('results.correction')}` : ''}
    </span>
  );
}

/**
 * Arrow keys move up and down a column (also from a pass or fail button: they never choose there); from pass or
 * fail, left and right move between the two, and right from fail to the score (results.keysChoice); Enter moves
 * down; Space chooses pass or fail. A row offering no cells (a voided registration) is passed over. A key
 * pressed with Alt, Ctrl, Meta or Shift, or while an input method composes, is not a move (Alt+ArrowDown opens a date cell's picker), and a
 * date cell keeps its up and down keys, which change the date: from there Enter alone moves down (results.keys).
 */
function moveFrom(index: number, column: Column) {
  return (event: KeyboardEvent<HTMLInputElement>) => {
    // Shift selects text; a key pressed while an input method composes (Chinese typed in pinyin) is the method's.
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.nativeEvent.isComposing) return;
    const radio = event.currentTarget.type === 'radio';
    // A radio button's own arrows would choose: in the grid they only move, and Space chooses.
    if (radio && event.key.startsWith('Arrow')) event.preventDefault();
    const arrowsAreTheCells = event.currentTarget.type !== 'date';
    const down = event.key === 'Enter' || (event.key === 'ArrowDown' && arrowsAreTheCells);
    const up = event.key === 'ArrowUp' && arrowsAreTheCells;
    const sideways = (event.key === 'ArrowRight' || event.key === 'ArrowLeft') && radio;
    let next: HTMLInputElement | undefined;
    if (down || up) {
      const cells = Array.from(document.querySelectorAll<HTMLInputElement>(`[data-cell$="-${column}"]`));
      const rowOf = (cell: HTMLInputElement) => Number(cell.dataset.cell?.split('-')[0]);
      next = down ? cells.find((cell) => rowOf(cell) > index) : cells.reverse().find((cell) => rowOf(cell) < index);
    }
    // From pass or fail only, and never round the row's end: the score and date cells keep their left and right keys for the text.
    const beside = COLUMNS[COLUMNS.indexOf(column) + (event.key === 'ArrowRight' ? 1 : -1)];
    if (sideways && beside) next = document.querySelector<HTMLInputElement>(`[data-cell="${index}-${beside}"]`) ?? undefined;
    if (next) {
      event.preventDefault();
      next.focus();
    }
  };
}
