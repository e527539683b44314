import { useEffect, useState, type FormEvent } from 'react';
import { api, problemOf, type Problem } from '../../api/client';
import { BusinessDateField, useBusinessDate } from '../../components/business-date-field';
import { today } from '../../components/dates';
import { showRefusal, useIdempotencyKey } from '../../components/idempotency-key';
import { useOneAtATime } from '../../components/one-at-a-time';
import { PersonLookup, type FoundPerson } from '../../components/person-lookup';
import { ProblemMessage } from '../../components/problem-message';
import { useFocusAfterSuccess } from '../../components/use-step-focus';
import { useI18n } from '../../i18n/i18n';

type TraineeItem = NonNullable<Awaited<ReturnType<typeof searchTrainees>>['data']>['items'][number];

const SEARCH_LIMIT = 10;
const searchTrainees = (q: string) => api.POST('/api/v1/trainees/search', { body: { q, limit: SEARCH_LIMIT } });
/** The enrol search's last answer: the trainees found (and whether more match than are shown), or why it failed. */
type Search = { matches: TraineeItem[]; more: boolean } | { problem: Problem };
/** How long typing must pause before the enrol search asks the server. */
const SEARCH_PAUSE_MS = 300;

/**
 * The default date of a course's enrolment or withdrawal: today, or the course's last day once it has ended
 * (the API refuses either dated after the course's end, enrolled_after_course_end / withdrawn_after_course_end).
 */
export const lastOpenDay = (endDate: string): string => (today() < endDate ? today() : endDate);

/** Someone the enrol form may enrol: found by the search (name, masked identity number) or by the lookup. */
interface Candidate {
  id: string;
  label: string;
}

/**
 * Enrolling: find the trainee, pick, give the date, enrol. Two ways to find them: the search, by name or last
 * digits, among the trainees related to the school (domain.md section 9: it sees no one else's); and the
 * audited lookup by exact identity number and name, for someone registered by another organisation (an
 * employer sending its workers on a course), whom the API enrols all the same. The search says what it found
 * (how many, or nobody) in a live region, and why it failed (too few digits, no answer).
 */
export function EnrolForm({ courseId, endDate, disabled, onEnrolled }: { courseId: string; endDate: string; disabled: boolean; onEnrolled(): Promise<void> }) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState<Search | null>(null);
  const matches = search && 'matches' in search ? search.matches : [];
  // The person the lookup found; a new round clears its form (their full identity number and name) after an enrolment.
  const [lookedUp, setLookedUp] = useState<FoundPerson | null>(null);
  const [lookupRound, setLookupRound] = useState(0);
  const [picked, setPicked] = useState('');
  const enrolledOn = useBusinessDate();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // The enrolment that fills the course disables the focused submit: focus goes to the line saying who was enrolled.
  const afterEnrolment = useFocusAfterSuccess<HTMLParagraphElement>();
  const sending = useOneAtATime();
  // One enrolment however often it is sent: pressed again after a lost answer, the API answers the first.
  const idempotency = useIdempotencyKey();

  const candidates: Candidate[] = [
    ...matches.map((match) => ({ id: match.id, label: `${match.name} · ${match.idNumberMasked}` })),
    ...(lookedUp && !matches.some((match) => match.id === lookedUp.id) ? [{ id: lookedUp.id, label: t('enrol.lookedUp', { name: lookedUp.nameMasked ?? t('trainee.erased') }) }] : []),
  ];
  // Only someone shown is enrolled: a pick the search has since dropped from the list is no pick.
  const chosen = candidates.find((candidate) => candidate.id === picked);

  // useBusinessDate starts at today: a course that has ended takes no later date, so its last day is the default.
  useEffect(() => {
    if (lastOpenDay(endDate) !== today()) enrolledOn.setValue(lastOpenDay(endDate));
    // Once per course (setValue does not change): the clerk's own choice of date is kept from then on.
  }, [endDate, enrolledOn.setValue]);

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

  const found = (person: FoundPerson | null) => {
    setLookedUp(person);
    // Found, they are the pick: the lookup is made to enrol them.
    if (person) setPicked(person.id);
  };

  const enrol = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!chosen) return setProblem({ message: t('enrol.pickTrainee') });
    // Said at the field already (cleared, or after today): the focus goes there, and nothing is sent.
    if (enrolledOn.focusIfWrong()) return setProblem(null);
    let enrolled = false;
    await sending.once(async () => {
      const { data, error, response } = await api.POST('/api/v1/courses/{id}/enrollments', {
        params: { path: { id: courseId }, header: { 'Idempotency-Key': idempotency.key } },
        body: { traineeId: chosen.id, enrolledOn: enrolledOn.value },
      });
      idempotency.settle(response, error);
      if (!data) {
        // Changed after a sending that got no answer, which did arrive: the roster shows whom it enrolled.
        return showRefusal(error, setProblem, () => void onEnrolled());
      }
      setProblem(null);
      setDone(matches.find((match) => match.id === chosen.id)?.name ?? lookedUp?.nameMasked ?? t('trainee.erased'));
      setQuery('');
      setSearch(null);
      setPicked('');
      setLookedUp(null);
      setLookupRound((round) => round + 1);
      afterEnrolment.focusTarget();
      enrolled = true;
    });
    // The roster read again outside: the clerk may enrol the next person meanwhile.
    if (enrolled) await onEnrolled();
  };

  return (
    <section className="panel" aria-labelledby="enrol-title">
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
      {/* A form of its own (forms do not nest), before the enrol form: whom it finds is picked there. */}
      <PersonLookup
        key={lookupRound}
        idPrefix="enrol-lookup"
        words={{ title: 'enrol.lookup.title', intro: 'enrol.lookup.intro', submit: 'enrol.lookup.submit', nameRequired: 'enrol.lookup.nameRequired', notFound: 'enrol.lookup.notFound' }}
        onFound={found}
      />
      <form onSubmit={enrol} noValidate aria-labelledby="enrol-title">
        {candidates.length > 0 && (
          <fieldset>
            <legend>{t('enrol.pickTrainee')}</legend>
            {candidates.map((candidate) => (
              <label key={candidate.id} className="check">
                <input type="radio" name="traineeId" value={candidate.id} checked={picked === candidate.id} onChange={() => setPicked(candidate.id)} /> {candidate.label}
              </label>
            ))}
          </fieldset>
        )}
        <BusinessDateField id="enrolledOn" label={t('enrol.enrolledOn')} date={enrolledOn} />
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
    </section>
  );
}
