import { useState } from 'react';
import { api, problemOf, type Problem } from '../../api/client';
import { useOneAtATime } from '../../components/one-at-a-time';
import { ConfirmStep } from '../../components/confirm-step';
import { ProblemMessage } from '../../components/problem-message';
import { useStepFocus } from '../../components/use-step-focus';
import { useI18n } from '../../i18n/i18n';
import type { Qualification, Tier } from './brand';

/**
 * Certifying a brand: a first press shows, on the page, the figures the decision will keep (those as of
 * the decision date); only the second sends it. A refusal shows the unmet criteria.
 */
export function CertifyStep({ brandId, tier, decidedOn, qualification, onDecided }: { brandId: string; tier: Tier; decidedOn: string; qualification: Qualification; onDecided(): Promise<void> }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState(false);
  const focus = useStepFocus<HTMLButtonElement>(confirming);
  const sending = useOneAtATime();

  const certify = () =>
    sending.once(async () => {
      const { data, error } = await api.POST('/api/v1/brands/{id}/certifications', { params: { path: { id: brandId } }, body: { tier, decidedOn } });
      setConfirming(false);
      if (!data) return setProblem(problemOf(error));
      setProblem(null);
      setDone(true);
      await onDecided();
    });

  return (
    <section className="panel" aria-labelledby="certify-title">
      <h2 id="certify-title">{t('certify.title', { tier: t(`tier.${tier}`) })}</h2>
      {done && (
        <p role="status" className="success">
          {t('certify.done', { tier: t(`tier.${tier}`), date: decidedOn })}
        </p>
      )}
      <ProblemMessage problem={problem} />
      {confirming ? (
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
