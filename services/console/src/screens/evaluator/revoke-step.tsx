import { useState } from 'react';
import { api, problemOf, type Problem } from '../../api/client';
import { useOneAtATime } from '../../components/one-at-a-time';
import { ProblemMessage } from '../../components/problem-message';
import { useStepFocus } from '../../components/use-step-focus';
import { useI18n } from '../../i18n/i18n';

/** Revoking one certificate the evaluator issued: the button opens, in place, the reason and the confirmation. */
export function RevokeCertificateStep({ number, onRevoked }: { number: string; onRevoked(): Promise<void> }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const focus = useStepFocus<HTMLInputElement>(confirming);
  const sending = useOneAtATime();
  if (!confirming)
    return (
      <button type="button" className="danger" ref={focus.back} aria-label={t('evaluator.revoke.startFor', { number })} onClick={() => setConfirming(true)}>
        {t('evaluator.revoke.start')}
      </button>
    );
  const revoke = async () => {
    if (!reason.trim()) return setProblem({ message: t('evaluator.revoke.reasonRequired') });
    await sending.once(async () => {
      const { data, error } = await api.POST('/api/v1/certificates/{number}/revocation', { params: { path: { number } }, body: { reason: reason.trim() } });
      if (!data) return setProblem(problemOf(error));
      await onRevoked();
    });
  };
  return (
    <div className="confirm-step" role="group" aria-label={t('evaluator.revoke.confirmTitle', { number })}>
      <p>{t('evaluator.revoke.confirmTitle', { number })}</p>
      <label htmlFor={`revoke-reason-${number}`}>{t('evaluator.revoke.reason')}</label>
      <input id={`revoke-reason-${number}`} ref={focus.into} maxLength={500} value={reason} onChange={(event) => setReason(event.target.value)} />
      <ProblemMessage problem={problem} />
      <button type="button" className="danger" aria-disabled={sending.busy} onClick={() => void revoke()}>
        {t('evaluator.revoke.confirm')}
      </button>
      <button type="button" onClick={() => setConfirming(false)}>
        {t('common.cancel')}
      </button>
    </div>
  );
}
