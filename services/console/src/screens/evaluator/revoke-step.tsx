import { useRef, useState } from 'react';
import { api, problemOf, type Problem } from '../../api/client';
import { BusinessDateField, dateProblem } from '../../components/business-date-field';
import { today } from '../../components/dates';
import { useOneAtATime } from '../../components/one-at-a-time';
import { ProblemMessage } from '../../components/problem-message';
import { useStepFocus } from '../../components/use-step-focus';
import { useI18n } from '../../i18n/i18n';

/**
 * Revoking one certificate the evaluator issued: the button opens, in place, the reason, the revocation's
 * business date (today by default; a revocation decided earlier is entered with its own date) and the confirmation.
 */
export function RevokeCertificateStep({ number, onRevoked }: { number: string; onRevoked(): Promise<void> }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [revokedOn, setRevokedOn] = useState(today);
  const dateField = useRef<HTMLInputElement>(null);
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
    // Said at the field already: the focus goes there, and no earlier refusal stays beside it.
    if (dateProblem(revokedOn)) {
      setProblem(null);
      return dateField.current?.focus();
    }
    await sending.once(async () => {
      const { data, error } = await api.POST('/api/v1/certificates/{number}/revocation', { params: { path: { number } }, body: { reason: reason.trim(), revokedOn } });
      if (!data) return setProblem(problemOf(error));
      await onRevoked();
    });
  };
  return (
    <div className="confirm-step" role="group" aria-label={t('evaluator.revoke.confirmTitle', { number })}>
      <p>{t('evaluator.revoke.confirmTitle', { number })}</p>
      <label htmlFor={`revoke-reason-${number}`}>{t('evaluator.revoke.reason')}</label>
      <input id={`revoke-reason-${number}`} ref={focus.into} maxLength={500} value={reason} onChange={(event) => setReason(event.target.value)} />
      <BusinessDateField id={`revoke-date-${number}`} label={t('evaluator.revoke.date')} value={revokedOn} onChange={setRevokedOn} inputRef={dateField} />
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
