import { useState } from 'react';
import { api, problemOf, type Problem } from '../../api/client';
import { earlierSendingArrived, useIdempotencyKey } from '../../components/idempotency-key';
import { useOneAtATime } from '../../components/one-at-a-time';
import { ConfirmStep } from '../../components/confirm-step';
import { ProblemMessage } from '../../components/problem-message';
import { useFocusAfterSuccess, useStepFocus } from '../../components/use-step-focus';
import { useI18n } from '../../i18n/i18n';
import type { Qualification, Tier } from './brand';
import { criterionFigure } from './criterion-figure';

type Unmet = Qualification['unmet'];

/** The criteria a brand_does_not_qualify refusal names (api.md: its 409 carries `unmet` at its top level), or none. */
const unmetOf = (problem: Problem | null): Unmet => (problem?.rule === 'brand_does_not_qualify' && Array.isArray((problem as { unmet?: unknown }).unmet) ? (problem as { unmet: Unmet }).unmet : []);

/** Figures complete (every fact accepted so far counted) that fail: the API would refuse a certification on them. */
const failsOnCompleteFigures = (qualification: Qualification): boolean => qualification.freshness.completeUpTo !== null && !qualification.qualifies;

/** The figures of the decision date read consistently (`figures`), or why not (`problem`: a 503 while they catch up); null if a newer read of the page's figures superseded it. */
export type KeptFiguresRead = { figures: Qualification; problem?: undefined } | { figures?: undefined; problem: Problem } | null;

/**
 * The figures the confirmation lists, as the figures table shows them (criterionFigure): a rate short of its
 * threshold rounded down, as the API judges it, so 84.96 % reads 84.9 % there too, never the 85.0 % it misses.
 */
export function keptFigures(qualification: Qualification, t: Parameters<typeof criterionFigure>[2]) {
  const short = new Set(qualification.unmet.map(({ criterion }) => criterion));
  return {
    trained: qualification.trained,
    passRate: criterionFigure('minPassRate', qualification.passRate, t, short.has('minPassRate')),
    employmentRate: criterionFigure('minEmploymentRate', qualification.employmentRate, t, short.has('minEmploymentRate')),
  };
}

/**
 * Certifying a brand: a first press reads the figures of the decision date consistently (`readKeptFigures`:
 * every event accepted so far applied, as the API decides on them; the page's table shows them too) and
 * shows them, the figures the decision will keep; only the second press sends it. A 503 while the figures
 * catch up is said, with a button to read them again. A refusal names each criterion the decision date's figures
 * fail, with the actual and the required figure; after any answer (`onAnswered`) the page reads the brand
 * and the figures again, so the verdict and the history beside it are those the API decided on.
 * `standing`: a certification of this tier stands, which the API would refuse (tier_already_certified):
 * nothing is offered then, only the line saying it was just made, if it was. Complete figures that fail
 * (the page's, or those the first press read) are not offered either: the step lists their unmet criteria.
 */
export function CertifyStep({
  brandId,
  tier,
  decidedOn,
  qualification,
  standing,
  readKeptFigures,
  onAnswered,
}: {
  brandId: string;
  tier: Tier;
  decidedOn: string;
  qualification: Qualification;
  standing: boolean;
  readKeptFigures(): Promise<KeptFiguresRead>;
  onAnswered(): Promise<void>;
}) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  // The date the certification was decided on, kept with the line saying it was made: not the page's as-of date, which may move on.
  const [decided, setDecided] = useState<string | null>(null);
  const done = decided !== null;
  // The consistent read of the figures failed (503 while they catch up): said, with a button to read again.
  const [readProblem, setReadProblem] = useState<Problem | null>(null);
  const afterReadFailed = useFocusAfterSuccess<HTMLButtonElement>();
  const focus = useStepFocus<HTMLButtonElement>(confirming);
  // The start button goes once the certification stands: focus goes to the line saying it was made.
  const afterCertifying = useFocusAfterSuccess<HTMLParagraphElement>();
  // A refusal once the tier stands (another officer certified first) leaves no button: focus goes to the heading.
  const afterRefusal = useFocusAfterSuccess<HTMLHeadingElement>({ onlyIfLost: true });
  // The tier revoked since (the history's revocation): what this step said of it is over.
  const [wasStanding, setWasStanding] = useState(standing);
  if (wasStanding !== standing) {
    setWasStanding(standing);
    if (!standing) {
      setDecided(null);
      setProblem(null);
    }
  }
  // One certification however often it is sent: pressed again after a lost answer, the API answers the first (not tier_already_certified).
  const idempotency = useIdempotencyKey();
  const sending = useOneAtATime();
  const reading = useOneAtATime();

  const start = () =>
    reading.once(async () => {
      const read = await readKeptFigures();
      if (!read) return;
      setReadProblem(read.problem ?? null);
      if (read.figures) {
        // The confirmation asks anew: the last refusal is not left beside it, as if it answered this one.
        setProblem(null);
        // Complete figures that fail are not offered for confirming: the step says their unmet criteria instead, and the focus goes to its heading.
        if (failsOnCompleteFigures(read.figures)) afterRefusal.focusTarget();
        else setConfirming(true);
      } else afterReadFailed.focusTarget();
    });

  const certify = () =>
    sending.once(async () => {
      // A refusal said again (the same criteria unmet) is then a new alert, announced again.
      setProblem(null);
      const { data, error, response } = await api.POST('/api/v1/brands/{id}/certifications', {
        params: { path: { id: brandId }, header: { 'Idempotency-Key': idempotency.key } },
        body: { tier, decidedOn },
      });
      idempotency.settle(response, error);
      setConfirming(false);
      const refusal = data ? null : problemOf(error);
      setProblem(refusal);
      if (data) {
        setDecided(decidedOn);
        afterCertifying.focusTarget();
      }
      // Decided or refused (409), the figures or the history shown may be older than those the API judged by;
      // an earlier sending that got no answer did arrive (idempotency_key_reused): the history read again shows it.
      if (data || response?.status === 409 || (refusal && earlierSendingArrived(refusal))) await onAnswered();
      if (!data) afterRefusal.focusTarget();
    });

  // Nothing to offer once the tier stands, unless there is something to say: it was just made, or refused.
  if (standing && !done && !problem) return null;
  const unmet = unmetOf(problem);
  // The decision date's figures are complete and fail: the API would refuse, so its criteria are said instead of
  // a button (said once: a refusal already naming them stands for them). Incomplete figures keep the button: the API judges.
  const failsHere = failsOnCompleteFigures(qualification);
  return (
    <section className="panel" aria-labelledby="certify-title">
      <h2 id="certify-title" tabIndex={-1} ref={afterRefusal.target}>{t('certify.title', { tier: t(`tier.${tier}`) })}</h2>
      {done && (
        <p role="status" className="success" tabIndex={-1} ref={afterCertifying.target}>
          {t('certify.done', { tier: t(`tierInText.${tier}`), date: decided })}
        </p>
      )}
      <ProblemMessage problem={problem}>
        {unmet.length > 0 && (
          <>
            <p>{t('certify.unmetTitle')}</p>
            <ul data-testid="unmet-criteria">
              {unmet.map(({ criterion, actual, required }) => (
                <li key={criterion}>
                  {t('certify.unmetCriterion', { criterion: t(`criterion.${criterion}`), actual: criterionFigure(criterion, actual, t, true), required: criterionFigure(criterion, required, t) })}
                </li>
              ))}
            </ul>
          </>
        )}
      </ProblemMessage>
      <ProblemMessage problem={readProblem} />
      {standing ? null : failsHere ? (
        unmet.length === 0 && (
          <div role="status">
            <p>{t('certify.notOnTheseFigures', { date: decidedOn })}</p>
            <ul data-testid="unmet-on-figures">
              {qualification.unmet.map(({ criterion, actual, required }) => (
                <li key={criterion}>
                  {t('certify.unmetCriterion', { criterion: t(`criterion.${criterion}`), actual: criterionFigure(criterion, actual, t, true), required: criterionFigure(criterion, required, t) })}
                </li>
              ))}
            </ul>
          </div>
        )
      ) : confirming ? (
        <ConfirmStep
          title={t('certify.confirmTitle')}
          confirmText={t('certify.confirm')}
          tone="primary"
          confirmRef={focus.into}
          busy={sending.busy}
          onConfirm={() => void certify()}
          onCancel={() => setConfirming(false)}
        >
          <ul>
            <li>{t('certify.keeps', { date: decidedOn, ...keptFigures(qualification, t) })}</li>
          </ul>
        </ConfirmStep>
      ) : readProblem ? (
        <button type="button" ref={afterReadFailed.target} aria-disabled={reading.busy} onClick={() => void start()}>
          {t('common.tryAgain')}
        </button>
      ) : (
        <button type="button" className="primary" ref={focus.back} aria-disabled={reading.busy} onClick={() => void start()}>
          {t('certify.start', { date: decidedOn })}
        </button>
      )}
    </section>
  );
}
