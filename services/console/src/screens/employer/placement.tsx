import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, problemOf, type Problem } from '../../api/client';
import { BusinessDateField, useBusinessDate } from '../../components/business-date-field';
import { newIdempotencyKey } from '../../components/idempotency-key';
import { LARGEST_PAGE, loadAllPages } from '../../components/load-all-pages';
import { useOneAtATime } from '../../components/one-at-a-time';
import { ProblemMessage } from '../../components/problem-message';
import { useFocusAfterSuccess } from '../../components/use-step-focus';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session-context';
import { PersonLookup, type FoundPerson } from '../../components/person-lookup';
import { placementState, type Placement, type SkillLevel } from './placement-fields';
import { readUntil } from './read-until';
import { OccupationName } from '../../components/occupation-name';

/**
 * The hire as the server's check (dry run) judged it, for the inputs it was asked about; a passed check
 * carries the Idempotency-Key its hire is sent with, so a hire sent twice (a retry after a lost answer) is made once.
 */
type Verdict = { inputs: string; ok: true; idempotencyKey: string } | { inputs: string; ok: false; problem: Problem };

/** What the level rule's refusal carries beside its rule (api: 409 level_too_low). */
interface LevelRefusal extends Problem {
  minLevel?: SkillLevel;
  traineeLevel?: SkillLevel | null;
}

/**
 * What already_employed_by_employer's refusal carries: the employment at this employer the new one overlaps,
 * earlier or later (a hire is open-ended from its start, so it overlaps any stint after it too). Absent when
 * the refusal is the claim of a hire made at the same moment.
 */
interface OverlapRefusal extends Problem {
  existingStartDate?: string;
  existingEndDate?: string | null;
}

/** Who was just hired: the line saying so stays when the hire filled the placement and its form went. */
interface Hired {
  traineeId: string;
  name: string;
}

/** One of the employer's placements: its facts and openings left, and hiring into it with the server's check shown before the hire is sent. */
export function EmployerPlacementPage() {
  const { t, locale } = useI18n();
  const { id = '' } = useParams();
  const { me } = useSession();
  const employerId = me?.organisationId ?? '';
  const [placement, setPlacement] = useState<Placement | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [hired, setHired] = useState<Hired | null>(null);
  // The hire form goes once the hire is made (and for good if it filled the last opening): focus goes to the line saying who was hired.
  const afterHire = useFocusAfterSuccess<HTMLParagraphElement>();

  const readPlacement = useCallback(async () => {
    const { data, error } = await loadAllPages((cursor) => api.GET('/api/v1/placements', { params: { query: { employerId, limit: LARGEST_PAGE, cursor } } }));
    if (!data) {
      setProblem(problemOf(error));
      return null;
    }
    const found = data.find((item) => item.id === id) ?? null;
    setPlacement(found);
    setProblem(found ? null : { message: t('employer.placement.notFound') });
    return found;
  }, [employerId, id, t]);

  useEffect(() => {
    if (employerId) void readPlacement();
  }, [employerId, readPlacement]);

  if (!placement) return problem ? <ProblemMessage problem={problem} /> : <p role="status">{t('common.loading')}</p>;
  const openingsBefore = placement.openingsLeft;
  const state = placementState(placement);
  return (
    <section>
      <div className="page-title">
        <h1>{placement.title}</h1>
        <Link className="button-link" to="/employer/placements">
          {t('employer.placement.back')}
        </Link>
      </div>
      <dl className="facts">
        <dt>{t('employer.placement.occupation')}</dt>
        <dd><OccupationName code={placement.occupationCode} /></dd>
        <dt>{t('employer.placement.region')}</dt>
        <dd>{placement.regionCode}</dd>
        <dt>{t('employer.placement.minLevel')}</dt>
        <dd>{placement.minLevel ? t(`level.${placement.minLevel as SkillLevel}`) : t('employer.placement.anyLevel')}</dd>
        <dt>{t('employer.placement.wage')}</dt>
        <dd>{t('employer.placement.wageRange', { min: placement.wageMin.toLocaleString(locale), max: placement.wageMax.toLocaleString(locale) })}</dd>
        <dt>{t('employer.placement.openingsLeft')}</dt>
        <dd aria-live="polite" data-testid="openings-left">
          {t('employer.placement.openingsOf', { left: placement.openingsLeft, openings: placement.openings })}
        </dd>
        <dt>{t('employer.placement.status')}</dt>
        <dd>{t(`employer.status.${state}`)}</dd>
      </dl>
      {/* Why there is no hire form: said in words, not left to the form's absence. */}
      {state !== 'open' && (
        <p data-testid="placement-state-note">{state === 'filled' ? t('employer.placement.filledNote') : t('employer.placement.closedNote', { date: placement.closedOn ?? '' })}</p>
      )}
      {hired && (
        <p role="status" className="success" tabIndex={-1} ref={afterHire.target}>
          {t('employer.hire.done', { name: hired.name })} <Link to={`/trainees/${hired.traineeId}/archive`}>{t('trainees.openArchive', { name: hired.name })}</Link>
        </p>
      )}
      {state === 'open' && (
        <HireForm
          placement={placement}
          onLookup={() => setHired(null)}
          onHired={async (someone) => {
            setHired(someone);
            afterHire.focusTarget();
            await readUntil(readPlacement, (found) => !found || found.openingsLeft < openingsBefore);
          }}
        />
      )}
    </section>
  );
}

/**
 * Hiring: the person found by exact identity number and name (the audited lookup), the start date and
 * wage; then the server's check (a dry run of the hire: the same rules, nothing recorded) shows whether
 * the hire would be taken, and why not (the level rule with both levels) before the hire is sent.
 */
function HireForm({ placement, onLookup, onHired }: { placement: Placement; onLookup(): void; onHired(someone: Hired): Promise<void> }) {
  const { t } = useI18n();
  const [person, setPerson] = useState<FoundPerson | null>(null);
  // A new round clears the lookup form after a hire.
  const [lookupRound, setLookupRound] = useState(0);
  const startDate = useBusinessDate();
  const [monthlyWage, setMonthlyWage] = useState(String(placement.wageMin));
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [hireProblem, setHireProblem] = useState<Problem | null>(null);
  // One at a time for the check and the hire alike: neither is sent while the other is on its way.
  const sending = useOneAtATime();
  const inputs = `${person?.id}:${startDate.value}:${monthlyWage}`;
  const checked = verdict?.inputs === inputs ? verdict : null;

  const found = (someone: FoundPerson | null) => {
    setPerson(someone);
    setVerdict(null);
    onLookup();
  };

  const hireBody = () => ({ traineeId: person?.id ?? '', startDate: startDate.value, monthlyWage: Number(monthlyWage) });

  const check = async () => {
    if (!person) return;
    // Said at the field already (cleared, or after today): the focus goes there, and nothing is asked.
    if (startDate.focusIfWrong()) return;
    await sending.once(async () => {
      setHireProblem(null);
      // The dry run (?dryRun=true) answers as the hire would, recording nothing.
      const { data, error } = await api.POST('/api/v1/placements/{id}/hires', { params: { path: { id: placement.id }, query: { dryRun: 'true' } }, body: hireBody() });
      setVerdict(data ? { inputs, ok: true, idempotencyKey: newIdempotencyKey() } : { inputs, ok: false, problem: problemOf(error) });
    });
  };

  const hire = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!person || !checked?.ok) return;
    let hired = null as Hired | null;
    await sending.once(async () => {
      const { data, error } = await api.POST('/api/v1/placements/{id}/hires', { params: { path: { id: placement.id }, header: { 'Idempotency-Key': checked.idempotencyKey } }, body: hireBody() });
      if (!data) return setHireProblem(problemOf(error));
      hired = { traineeId: person.id, name: person.nameMasked ?? t('trainee.erased') };
      setPerson(null);
      setLookupRound((round) => round + 1);
      setVerdict(null);
    });
    // The placement read again outside: the next person's check may be sent meanwhile.
    if (hired) await onHired(hired);
  };

  return (
    <>
      <PersonLookup
        key={lookupRound}
        idPrefix="hire-lookup"
        words={{ title: 'employer.hire.lookupTitle', intro: 'employer.hire.lookupIntro', submit: 'employer.hire.lookupSubmit', nameRequired: 'employer.hire.nameRequired', notFound: 'employer.hire.notFound' }}
        onFound={found}
      />
      {/* Employers register the people they hire too (trainees:register): someone not found may be registered here first. */}
      <p className="hint">
        <Link to="/school/trainees/new">{t('employer.hire.registerNew')}</Link>
      </p>
      {person && (
        <form className="panel" onSubmit={hire} noValidate aria-labelledby="hire-title">
          <h2 id="hire-title">{t('employer.hire.title', { name: person.nameMasked ?? t('trainee.erased') })}</h2>
          <BusinessDateField id="hire-startDate" label={t('employer.hire.startDate')} date={startDate} />
          <label htmlFor="hire-wage">{t('employer.hire.monthlyWage')}</label>
          <input id="hire-wage" type="number" min={1} value={monthlyWage} required onChange={(event) => setMonthlyWage(event.target.value)} />
          <div className="actions">
            {/* aria-disabled, not disabled, while a request is on its way: a disabled button loses the keyboard's focus. */}
            <button type="button" aria-disabled={sending.busy} onClick={() => void check()}>
              {t('employer.hire.check')}
            </button>
          </div>
          <div aria-live="polite">{checked && <VerdictMessage verdict={checked} minLevel={placement.minLevel as SkillLevel | null} startDate={startDate.value} />}</div>
          <ProblemMessage problem={hireProblem}>
            <OverlapSpecifics problem={hireProblem} startDate={startDate.value} />
          </ProblemMessage>
          <p className="hint" id="hire-submit-hint">
            {t('employer.hire.submitHint')}
          </p>
          <button type="submit" className="primary" disabled={!checked?.ok} aria-disabled={sending.busy} aria-describedby="hire-submit-hint">
            {t('employer.hire.submit')}
          </button>
        </form>
      )}
    </>
  );
}

/** The check's answer: the hire would be taken, or the rule that refuses it (the level rule in both levels' names, an overlapping employment by its dates). */
function VerdictMessage({ verdict, minLevel, startDate }: { verdict: Verdict; minLevel: SkillLevel | null; startDate: string }) {
  const { t } = useI18n();
  if (verdict.ok)
    return (
      <p className="verdict verdict-good" data-testid="hire-verdict">
        {minLevel ? t('employer.hire.checkPassedLevel', { level: t(`level.${minLevel}`) }) : t('employer.hire.checkPassed')}
      </p>
    );
  const problem = verdict.problem as LevelRefusal;
  return (
    <div data-testid="hire-verdict">
      {problem.rule === 'level_too_low' && problem.minLevel ? (
        <p className="verdict verdict-bad">
          {t('employer.hire.levelRule', {
            minLevel: t(`level.${problem.minLevel}`),
            traineeLevel: problem.traineeLevel ? t(`level.${problem.traineeLevel}`) : t('employer.hire.noLevel'),
          })}
        </p>
      ) : null}
      <ProblemMessage problem={problem}>
        <OverlapSpecifics problem={problem} startDate={startDate} />
      </ProblemMessage>
    </div>
  );
}

/**
 * already_employed_by_employer's specifics: which employment at this employer the start date overlaps, from
 * when (and until when, if it ended); and, when that one starts later, why an earlier stint cannot go in.
 */
function OverlapSpecifics({ problem, startDate }: { problem: OverlapRefusal | null; startDate: string }) {
  const { t } = useI18n();
  if (problem?.rule !== 'already_employed_by_employer' || !problem.existingStartDate) return null;
  const { existingStartDate: from, existingEndDate: until } = problem;
  return (
    <p data-testid="overlapping-employment">
      {until ? t('employer.hire.overlapsEnded', { startDate: from, endDate: until }) : t('employer.hire.overlapsActive', { startDate: from })}
      {from > startDate ? ` ${t('employer.hire.overlapsLater')}` : ''}
    </p>
  );
}
