import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { OCCUPATION_CODE, type EvaluatorKind, type SkillLevel } from '@skills/domain-kernel';
import { api, problemOf, type Problem } from '../../api/client';
import { BusinessDateField, dateProblem, useBusinessDate } from '../../components/business-date-field';
import { today } from '../../components/dates';
import { newIdempotencyKey } from '../../components/idempotency-key';
import { KeptForGoodHint } from '../../components/kept-for-good-hint';
import { useOneAtATime } from '../../components/one-at-a-time';
import { ProblemMessage } from '../../components/problem-message';
import { useFocusAfterSuccess } from '../../components/use-step-focus';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session-context';
import type { FoundPerson } from './certify';
import { EXCEPTIONAL_REASONS, levelHeldOn, listedLevels, openRoutes, reachableLevels, type CertificationRoute, type ExceptionalReason, type LadderRung } from './ladder-routes';

/** What the dry run answered for the values it was asked about: refused (the rule), or would succeed. */
type Check = { key: string; problem: Problem } | { key: string; passed: { level: SkillLevel; previousLevel: SkillLevel | null }; idempotencyKey: string };

/**
 * The certify form for one person: their current level in the occupation chosen and, where it differs,
 * the one held on the certification date (what the certification service judges a record of an earlier
 * date against), the routes that reach a level from the latter and each route's targets (those it does
 * not reach marked); every level of each route where the ladder read does not tell. "Check" runs the command as
 * a dry run and shows the rule that would refuse it in words; the certify button is active only once the
 * check passed for exactly the values on the form, and sends them with the check's Idempotency-Key.
 * The routes are those of the evaluator's kind (`evaluatorKind`: undefined while it is read, null when it
 * could not be, and every route is offered). `onIssued` hears that a certificate was issued.
 */
export function CertifyForm({ person, evaluatorKind, onIssued }: { person: FoundPerson; evaluatorKind: EvaluatorKind | null | undefined; onIssued(): void }) {
  const { t } = useI18n();
  const { me } = useSession();
  // null until read, and while a read failed: not "no level yet", which would offer the unrated routes.
  const [rungs, setRungs] = useState<LadderRung[] | null>(null);
  const [ladderProblem, setLadderProblem] = useState<Problem | null>(null);
  const [occupationCode, setOccupationCode] = useState('');
  const [route, setRoute] = useState<CertificationRoute>('assessment');
  const [level, setLevel] = useState<SkillLevel | ''>('');
  const certifiedOn = useBusinessDate();
  const [reason, setReason] = useState<ExceptionalReason | ''>('');
  const [evidence, setEvidence] = useState('');
  const [justification, setJustification] = useState('');
  const [check, setCheck] = useState<Check | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [issued, setIssued] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  // A certificate issued clears the check, which disables the focused certify button: focus goes to the line with its number.
  const afterCertifying = useFocusAfterSuccess<HTMLParagraphElement>();
  // A read after "Try again" that succeeds takes the focused button away: focus goes to the current-level line.
  const retrying = useRef(false);
  const afterRetry = useFocusAfterSuccess<HTMLParagraphElement>();
  const { focusTarget: focusAfterRetry } = afterRetry;
  // One at a time for the check and the certification alike: neither is sent while the other is on its way.
  const sending = useOneAtATime();

  useEffect(() => {
    let cancelled = false;
    void api.GET('/api/v1/ladder/trainees/{traineeId}', { params: { path: { traineeId: person.id }, query: { consistent: 'true' } } }).then(({ data, error }) => {
      if (cancelled) return;
      setRungs(data ? data.map(({ occupationCode, level, certifiedOn, history }) => ({ occupationCode, level, certifiedOn, history })) : null);
      setLadderProblem(data ? null : problemOf(error));
      if (data && retrying.current) focusAfterRetry();
      retrying.current = false;
    });
    return () => {
      cancelled = true;
    };
  }, [person.id, version, focusAfterRetry]);

  const occupationValid = OCCUPATION_CODE.test(occupationCode);
  const rung = rungs?.find((one) => one.occupationCode === occupationCode);
  const current = rung?.level ?? null;
  // The date the field refuses (cleared, after today) is said there: meanwhile the form builds on today's level.
  const asOf = dateProblem(certifiedOn.value) ? today() : certifiedOn.value;
  const held = levelHeldOn(rung, asOf);
  const routes = openRoutes(held, evaluatorKind ?? null);
  // Routes are offered once both the level and the evaluator's kind are read (or its read failed): none appears, then goes.
  const routesKnown = rungs !== null && evaluatorKind !== undefined;
  const chosenRoute = routes.includes(route) ? route : routes[0];
  const levels = chosenRoute ? listedLevels(chosenRoute, held) : [];
  const reachable = chosenRoute ? reachableLevels(chosenRoute, held) : [];
  const chosenLevel = level && levels.includes(level) ? level : reachable[0];
  const body = {
    traineeId: person.id,
    occupationCode,
    level: chosenLevel,
    route: chosenRoute,
    evaluatorId: me?.organisationId ?? '',
    certifiedOn: certifiedOn.value,
    ...(chosenRoute === 'exceptional' ? { reason: reason || undefined, evidence: evidence.trim() || undefined } : {}),
    ...(chosenRoute === 'direct' ? { justification: justification.trim() || undefined } : {}),
  };
  const key = JSON.stringify(body);
  const currentCheck = check?.key === key ? check : null;
  const ready = occupationValid && routesKnown && chosenRoute !== undefined && chosenLevel !== undefined;

  const runCheck = async () => {
    if (!ready) return;
    // Said at the field already (cleared, or after today): the focus goes there, and nothing is asked.
    if (certifiedOn.focusIfWrong()) return;
    await sending.once(async () => {
      setProblem(null);
      setIssued(null);
      // The dry run answers what the command would: its refusal to the letter, or what it would issue.
      const { data, error } = await api.POST('/api/v1/certifications', { params: { query: { dryRun: 'true' } }, body });
      setCheck(data ? { key, passed: { level: data.level as SkillLevel, previousLevel: data.previousLevel as SkillLevel | null }, idempotencyKey: newIdempotencyKey() } : { key, problem: problemOf(error) });
    });
  };

  const certify = async () => {
    if (!currentCheck || !('passed' in currentCheck)) return;
    await sending.once(async () => {
      const { data, error } = await api.POST('/api/v1/certifications', { params: { header: { 'Idempotency-Key': currentCheck.idempotencyKey } }, body });
      if (!data) {
        setProblem(problemOf(error));
        // Refused, or no answer: the ladder may have changed meanwhile (another certification, or this one
        // made though its answer was lost), so the level shown is read again.
        setVersion((count) => count + 1);
        return;
      }
      setProblem(null);
      setCheck(null);
      setIssued(data.certificateNumber);
      setVersion((current) => current + 1);
      afterCertifying.focusTarget();
      onIssued();
    });
  };

  return (
    <section className="panel" aria-labelledby="certify-form-title">
      <h2 id="certify-form-title">{t('evaluator.certify.formTitle', { name: person.nameMasked ?? t('trainee.erased') })}</h2>
      <ProblemMessage problem={ladderProblem} />
      {ladderProblem && (
        <button
          type="button"
          onClick={() => {
            retrying.current = true;
            setVersion((count) => count + 1);
          }}
        >
          {t('common.tryAgain')}
        </button>
      )}
      {issued && (
        <p role="status" className="success" tabIndex={-1} ref={afterCertifying.target}>
          {t('evaluator.certify.issued')} <Link to={`/verify/${issued}`}>{issued}</Link>
        </p>
      )}
      <form onSubmit={(event) => event.preventDefault()} noValidate>
        <label htmlFor="certify-occupation">{t('course.occupation')}</label>
        <input
          id="certify-occupation"
          required
          placeholder="6-18-02-04"
          value={occupationCode}
          aria-describedby="certify-current"
          aria-invalid={occupationCode && !occupationValid ? true : undefined}
          onChange={(event) => setOccupationCode(event.target.value.trim())}
        />
        <p id="certify-current" className="hint" aria-live="polite" tabIndex={-1} ref={afterRetry.target}>
          {!occupationValid
            ? t('course.occupationHint')
            : rungs === null
              ? ladderProblem
                ? t('evaluator.certify.levelNotRead')
                : t('common.loading')
              : (
                <>
                  <span>{current ? t('evaluator.certify.currentLevel', { level: t(`level.${current}`) }) : t('evaluator.certify.noLevel')}</span>
                  {/* Said only where it differs from today's: a record of an earlier year, or a date before the current level's when the history is not shown. */}
                  {held !== current && (
                    <>
                      {' '}
                      <span>
                        {held === 'unknown'
                          ? t('evaluator.certify.levelOnUnknown', { date: asOf })
                          : held
                            ? t('evaluator.certify.levelOn', { date: asOf, level: t(`level.${held}`) })
                            : t('evaluator.certify.noLevelOn', { date: asOf })}
                      </span>
                    </>
                  )}
                </>
              )}
        </p>
        {occupationValid && routesKnown && routes.length === 0 && (
          // No route of this evaluator's kind, though an employer's would go on (appointment): said so, not "the highest level".
          <p role="status">{openRoutes(held).length > 0 ? t('evaluator.kind.noRouteForKind') : t('evaluator.certify.topReached')}</p>
        )}
        {occupationValid && routesKnown && chosenRoute && (
          <>
            <label htmlFor="certify-route">{t('evaluator.certify.route')}</label>
            <select
              id="certify-route"
              value={chosenRoute}
              aria-describedby={evaluatorKind === 'social_organisation' ? 'certify-route-kind' : undefined}
              onChange={(event) => setRoute(event.target.value as CertificationRoute)}
            >
              {routes.map((option) => (
                <option key={option} value={option}>
                  {t(`evaluator.route.${option}`)}
                </option>
              ))}
            </select>
            {evaluatorKind === 'social_organisation' && (
              <p id="certify-route-kind" className="hint">
                {t('evaluator.kind.employerOnlyRoutes')}
              </p>
            )}
            <label htmlFor="certify-level">{t('evaluator.certify.level')}</label>
            <select id="certify-level" value={chosenLevel ?? ''} onChange={(event) => setLevel(event.target.value as SkillLevel)}>
              {levels.map((option) => (
                <option key={option} value={option}>
                  {reachable.includes(option) ? t(`level.${option}`) : t('evaluator.certify.beyondRoute', { level: t(`level.${option}`) })}
                </option>
              ))}
            </select>
          </>
        )}
        {/* Whenever the level is read, even at the top: a record of an earlier year is entered by moving the date, and the routes follow it. */}
        {occupationValid && rungs !== null && <BusinessDateField id="certify-date" label={t('evaluator.certify.certifiedOn')} date={certifiedOn} />}
        {occupationValid && routesKnown && chosenRoute && (
          <>
            {chosenRoute === 'exceptional' && (
              <>
                <label htmlFor="certify-reason">{t('evaluator.certify.reason')}</label>
                <select id="certify-reason" value={reason} onChange={(event) => setReason(event.target.value as ExceptionalReason | '')}>
                  <option value="">{t('evaluator.certify.chooseReason')}</option>
                  {EXCEPTIONAL_REASONS.map((option) => (
                    <option key={option} value={option}>
                      {t(`evaluator.reason.${option}`)}
                    </option>
                  ))}
                </select>
                <label htmlFor="certify-evidence">{t('evaluator.certify.evidence')}</label>
                <input
                  id="certify-evidence"
                  maxLength={200}
                  value={evidence}
                  aria-describedby="certify-evidence-hint certify-evidence-kept"
                  onChange={(event) => setEvidence(event.target.value)}
                />
                <p id="certify-evidence-hint" className="hint">
                  {t('evaluator.certify.evidenceHint')}
                </p>
                <KeptForGoodHint id="certify-evidence-kept" />
              </>
            )}
            {chosenRoute === 'direct' && (
              <>
                <label htmlFor="certify-justification">{t('evaluator.certify.justification')}</label>
                <textarea
                  id="certify-justification"
                  maxLength={2000}
                  rows={4}
                  value={justification}
                  aria-describedby="certify-justification-hint"
                  onChange={(event) => setJustification(event.target.value)}
                />
                <KeptForGoodHint id="certify-justification-hint" />
              </>
            )}
          </>
        )}
        <div aria-live="polite">
          {currentCheck && 'problem' in currentCheck && (
            <>
              <p>
                <strong>{t('evaluator.certify.wouldRefuse')}</strong>
              </p>
              <ProblemMessage problem={currentCheck.problem} />
            </>
          )}
          {currentCheck && 'passed' in currentCheck && (
            <p role="status" className="success">
              {t('evaluator.certify.wouldPass', {
                from: currentCheck.passed.previousLevel ? t(`level.${currentCheck.passed.previousLevel}`) : t('evaluator.certify.none'),
                to: t(`level.${currentCheck.passed.level}`),
              })}
            </p>
          )}
        </div>
        <ProblemMessage problem={problem} />
        <div className="actions">
          {/* aria-disabled, not disabled, while a request is on its way: a disabled button loses the keyboard's focus. */}
          <button type="button" onClick={() => void runCheck()} disabled={!ready} aria-disabled={sending.busy}>
            {t('evaluator.certify.check')}
          </button>
          <button type="button" className="primary" onClick={() => void certify()} disabled={!currentCheck || !('passed' in currentCheck)} aria-disabled={sending.busy} aria-describedby="certify-submit-hint">
            {t('evaluator.certify.submit')}
          </button>
        </div>
        <p id="certify-submit-hint" className="hint">
          {t('evaluator.certify.submitHint')}
        </p>
      </form>
    </section>
  );
}
