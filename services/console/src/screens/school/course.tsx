import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, problemOf, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { today } from '../../components/dates';
import { showRefusal, useIdempotencyKey } from '../../components/idempotency-key';
import { LARGEST_PAGE, loadAllPages } from '../../components/load-all-pages';
import { useOneAtATime } from '../../components/one-at-a-time';
import { ConfirmStep } from '../../components/confirm-step';
import { ProblemMessage } from '../../components/problem-message';
import { useFocusAfterSuccess, useStepFocus } from '../../components/use-step-focus';
import { nameInWords, useTraineeNames } from '../../components/use-trainee-names';
import { useI18n } from '../../i18n/i18n';
import { uploadPath } from '../imports/import-kinds';

type Course = components['schemas']['CourseAnswer'];
type RosterEntry = components['schemas']['RosterEntryAnswer'];
type TraineeItem = NonNullable<Awaited<ReturnType<typeof searchTrainees>>['data']>['items'][number];

const SEARCH_LIMIT = 10;
const searchTrainees = (q: string) => api.POST('/api/v1/trainees/search', { body: { q, limit: SEARCH_LIMIT } });
/** The enrol search's last answer: the trainees found (and whether more match than are shown), or why it failed. */
type Search = { matches: TraineeItem[]; more: boolean } | { problem: Problem };
/** How long typing must pause before the enrol search asks the server. */
const SEARCH_PAUSE_MS = 300;

/** A course: its seats taken of its capacity (read again after every change), its roster, enrol and withdraw. */
export function CoursePage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const [course, setCourse] = useState<Course | null>(null);
  const [roster, setRoster] = useState<RosterEntry[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const names = useTraineeNames(roster.map((entry) => entry.traineeId));
  // A withdrawal's step goes with its row's change: focus goes on to the roster's heading.
  const afterWithdrawal = useFocusAfterSuccess<HTMLHeadingElement>();
  // Read again after each change: only the latest reading counts, whichever answers last.
  const latestLoad = useRef(0);

  const load = useCallback(async () => {
    const request = ++latestLoad.current;
    const [courseAnswer, rosterAnswer] = await Promise.all([
      api.GET('/api/v1/courses/{id}', { params: { path: { id } } }),
      // The whole roster, page after page (a course may have thousands of seats), with the clerk's own last change in it.
      loadAllPages((cursor) => api.GET('/api/v1/courses/{id}/enrollments', { params: { path: { id }, query: { limit: LARGEST_PAGE, cursor, consistent: 'true' } } })),
    ]);
    if (request !== latestLoad.current) return;
    if (!courseAnswer.data) return setProblem(problemOf(courseAnswer.error));
    setCourse(courseAnswer.data);
    setRoster(rosterAnswer.data ?? []);
    setProblem(rosterAnswer.data ? null : problemOf(rosterAnswer.error));
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  if (!course) return problem ? <ProblemMessage problem={problem} /> : <p role="status">{t('common.loading')}</p>;
  const full = course.enrolled >= course.capacity;
  return (
    <section>
      <div className="page-title">
        <h1>{course.title}</h1>
        <div className="actions">
          <Link className="button-link primary" to={`/school/courses/${id}/results`}>
            {t('course.enterResults')}
          </Link>
          <Link className="button-link" to={uploadPath('enrolments_and_results', id)}>
            {t('imports.kind.enrolments_and_results')}
          </Link>
        </div>
      </div>
      <dl className="facts">
        <dt>{t('course.occupation')}</dt>
        <dd>{course.occupationCode}</dd>
        <dt>{t('course.dates')}</dt>
        <dd>
          {course.startDate} – {course.endDate}
        </dd>
        <dt>{t('course.seats')}</dt>
        <dd aria-live="polite" data-testid="seats">
          {t('course.seatsTaken', { enrolled: course.enrolled, capacity: course.capacity })}
          {full ? ` · ${t('course.full')}` : ''}
        </dd>
      </dl>
      <EnrolForm courseId={id} endDate={course.endDate} disabled={full} onEnrolled={load} />
      <h2 ref={afterWithdrawal.target} tabIndex={-1}>
        {t('course.roster')}
      </h2>
      <ProblemMessage problem={problem} />
      <table>
        <caption className="visually-hidden">{t('course.roster')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('trainee.name')}</th>
            <th scope="col">{t('roster.enrolledOn')}</th>
            <th scope="col">{t('roster.status')}</th>
            <th scope="col">{t('roster.result')}</th>
            <th scope="col">{t('roster.action')}</th>
          </tr>
        </thead>
        <tbody>
          {roster.map((entry) => (
            <tr key={entry.enrollmentId}>
              <td>{nameInWords(names[entry.traineeId], t)}</td>
              <td>{entry.enrolledOn}</td>
              <td>{entry.status === 'withdrawn' ? t('roster.withdrawnOn', { date: entry.withdrawnOn ?? '' }) : t('roster.enrolled')}</td>
              <td>{entry.assessment ? t(entry.assessment.passed ? 'results.passedWithScore' : 'results.failedWithScore', { score: entry.assessment.score }) : '—'}</td>
              <td>
                {entry.status === 'enrolled' && (
                  <WithdrawStep
                    courseId={id}
                    traineeId={entry.traineeId}
                    name={nameInWords(names[entry.traineeId], t)}
                    onWithdrawn={async () => {
                      await load();
                      afterWithdrawal.focusTarget();
                    }}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {roster.length === 0 && !problem && <p role="status">{t('course.nobodyEnrolled')}</p>}
    </section>
  );
}

/**
 * Enrolling: find one of the school's trainees by name or last digits, pick, give the date, enrol. The search
 * says what it found (how many, or nobody) in a live region, and why it failed (too few digits, no answer).
 */
function EnrolForm({ courseId, endDate, disabled, onEnrolled }: { courseId: string; endDate: string; disabled: boolean; onEnrolled(): Promise<void> }) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState<Search | null>(null);
  const matches = search && 'matches' in search ? search.matches : [];
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // The enrolment that fills the course disables the focused submit: focus goes to the line saying who was enrolled.
  const afterEnrolment = useFocusAfterSuccess<HTMLParagraphElement>();
  const sending = useOneAtATime();
  // One enrolment however often it is sent: pressed again after a lost answer, the API answers the first.
  const idempotency = useIdempotencyKey();

  // Searches once typing pauses, not on every key; an answer for what was typed before is dropped.
  useEffect(() => {
    const q = query.trim();
    if (q.length < 2) {
      setSearch(null);
      return;
    }
    let stale = false;
    const timer = setTimeout(() => {
      void searchTrainees(q)
        .catch((failure: unknown) => ({ data: undefined, error: failure }))
        .then(({ data, error }) => !stale && setSearch(data ? { matches: data.items, more: Boolean(data.nextCursor) } : { problem: problemOf(error) }));
    }, SEARCH_PAUSE_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [query]);

  const enrol = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // Kept before the first await: React clears the event's currentTarget once the handler yields.
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const traineeId = String(form.get('traineeId') ?? '');
    if (!traineeId) return setProblem({ message: t('enrol.pickTrainee') });
    let enrolled = false;
    await sending.once(async () => {
      const { data, error, response } = await api.POST('/api/v1/courses/{id}/enrollments', {
        params: { path: { id: courseId }, header: { 'Idempotency-Key': idempotency.key } },
        body: { traineeId, enrolledOn: String(form.get('enrolledOn')) },
      });
      idempotency.settle(response, error);
      if (!data) {
        // Changed after a sending that got no answer, which did arrive: the roster shows whom it enrolled.
        return showRefusal(error, setProblem, () => void onEnrolled());
      }
      setProblem(null);
      setDone(matches.find((match) => match.id === traineeId)?.name ?? '');
      setQuery('');
      setSearch(null);
      formElement.reset();
      afterEnrolment.focusTarget();
      enrolled = true;
    });
    // The roster read again outside: the clerk may enrol the next person meanwhile.
    if (enrolled) await onEnrolled();
  };

  const defaultDate = today() < endDate ? today() : endDate;
  return (
    <form className="panel" onSubmit={enrol} noValidate aria-labelledby="enrol-title">
      <h2 id="enrol-title">{t('enrol.title')}</h2>
      <label htmlFor="enrol-search">{t('trainees.search')}</label>
      <input id="enrol-search" autoComplete="off" value={query} onChange={(event) => setQuery(event.target.value)} aria-describedby="enrol-hint" />
      <p id="enrol-hint" className="hint">
        {t('trainees.searchHint')}
      </p>
      {/* Always there, so what the search found is announced as it changes. */}
      <p role="status" data-testid="enrol-found">
        {search && 'matches' in search
          ? search.matches.length === 0
            ? t('enrol.nobodyFound')
            : search.more
              ? t('enrol.manyFound', { count: search.matches.length })
              : t('enrol.found', { count: search.matches.length })
          : ''}
      </p>
      <ProblemMessage problem={search && 'problem' in search ? search.problem : null} />
      {matches.length > 0 && (
        <fieldset>
          <legend>{t('enrol.pickTrainee')}</legend>
          {matches.map((match) => (
            <label key={match.id} className="check">
              <input type="radio" name="traineeId" value={match.id} /> {match.name} · {match.idNumberMasked}
            </label>
          ))}
        </fieldset>
      )}
      <label htmlFor="enrolledOn">{t('enrol.enrolledOn')}</label>
      <input id="enrolledOn" name="enrolledOn" type="date" defaultValue={defaultDate} max={today()} required />
      <ProblemMessage problem={problem} />
      {done !== null && (
        <p role="status" className="success" tabIndex={-1} ref={afterEnrolment.target}>
          {t('enrol.done', { name: done })}
        </p>
      )}
      <button type="submit" className="primary" disabled={disabled} aria-disabled={sending.busy}>
        {disabled ? t('course.full') : t('enrol.submit')}
      </button>
    </form>
  );
}

/** Withdrawal, confirmed inline: the step shows who leaves and on which date before anything is sent. */
function WithdrawStep({ courseId, traineeId, name, onWithdrawn }: { courseId: string; traineeId: string; name: string; onWithdrawn(): Promise<void> }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [date, setDate] = useState(today());
  const [problem, setProblem] = useState<Problem | null>(null);
  const focus = useStepFocus<HTMLInputElement>(confirming);
  const sending = useOneAtATime();
  if (!confirming)
    return (
      <button type="button" ref={focus.back} onClick={() => setConfirming(true)}>
        {t('withdraw.start', { name })}
      </button>
    );
  const confirm = () =>
    sending.once(async () => {
      const { error, response } = await api.DELETE('/api/v1/courses/{id}/enrollments/{traineeId}', { params: { path: { id: courseId, traineeId }, query: { withdrawnOn: date } } });
      if (!response.ok) return setProblem(problemOf(error));
      await onWithdrawn();
    });
  return (
    <ConfirmStep
      title={t('withdraw.confirmTitle', { name })}
      problem={problem}
      confirmText={t('withdraw.confirm')}
      busy={sending.busy}
      onConfirm={() => void confirm()}
      onCancel={() => setConfirming(false)}
    >
      <label htmlFor={`withdrawn-${traineeId}`}>{t('withdraw.date')}</label>
      <input id={`withdrawn-${traineeId}`} ref={focus.into} type="date" value={date} max={today()} onChange={(event) => setDate(event.target.value)} />
    </ConfirmStep>
  );
}
