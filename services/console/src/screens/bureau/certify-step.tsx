import { useState } from 'react';
import { api, problemOf, type Problem } from '../../api/client';
import { useIdempotencyKey } from '../../components/idempotency-key';
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

/**
 * Certifying a brand: a first press shows, on the page, the figures the decision will keep (those as of
 * the decision date); only the second sends it. A refusal names each criterion the decision date's figures
 * fail, with the actual and the required figure; after any answer (`onAnswered`) the page reads the brand
 * and the figures again, so the verdict and the history beside it are those the API decided on.
 * `standing`: a certification of this tier stands, which the API would refuse (tier_already_certified):
 * nothing is offered then, only the line saying it was just made, if it was.
 */
export function CertifyStep({
  brandId,
  tier,
  decidedOn,
  qualification,
  standing,
  onAnswered,
}: {
  brandId: string;
  tier: Tier;
  decidedOn: string;
  qualification: Qualification;
  standing: boolean;
  onAnswered(): Promise<void>;
}) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState(false);
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
      setDone(false);
      setProblem(null);
    }
  }
  // One certification however often it is sent: pressed again after a lost answer, the API answers the first (not tier_already_certified).
  const idempotency = useIdempotencyKey();
  const sending = useOneAtATime();

  const certify = () =>
    sending.once(async () => {
      const { data, error, response } = await api.POST('/api/v1/brands/{id}/certifications', {
        params: { path: { id: brandId }, header: { 'Idempotency-Key': idempotency.key } },
        body: { tier, decidedOn },
      });
      idempotency.settle(response, error);
      setConfirming(false);
      if (data) {
        setProblem(null);
        setDone(true);
        afterCertifying.focusTarget();
      } else setProblem(problemOf(error));
      // Decided or refused (409), the figures or the history shown may be older than those the API judged by.
      if (data || response?.status === 409) await onAnswered();
      if (!data) afterRefusal.focusTarget();
    });

  // Nothing to offer once the tier stands, unless there is something to say: it was just made, or refused.
  if (standing && !done && !problem) return null;
  const unmet = unmetOf(problem);
  return (
    <section className="panel" aria-labelledby="certify-title">
      <h2 id="certify-title" tabIndex={-1} ref={afterRefusal.target}>{t('certify.title', { tier: t(`tier.${tier}`) })}</h2>
      {done && (
        <p role="status" className="success" tabIndex={-1} ref={afterCertifying.target}>
          {t('certify.done', { tier: t(`tier.${tier}`), date: decidedOn })}
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
      {standing ? null : confirming ? (
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
            <li>{t('certify.keeps', { date: decidedOn, trained: qualification.trained, passRate: (qualification.passRate * 100).toFixed(1), employmentRate: (qualification.employmentRate * 100).toFixed(1) })}</li>
          </ul>
        </ConfirmStep>
      ) : (
        <button type="button" className="primary" ref={focus.back} onClick={() => setConfirming(true)}>
          {t('certify.start', { date: decidedOn })}
        </button>
      )}
    </section>
  );
}
