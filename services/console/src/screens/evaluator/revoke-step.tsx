import { useState } from 'react';
import { api, type Problem } from '../../api/client';
import { BusinessDateField, useBusinessDate } from '../../components/business-date-field';
import { ConfirmStep } from '../../components/confirm-step';
import { showRefusal, useIdempotencyKey } from '../../components/idempotency-key';
import { KeptReasonField, useKeptReason } from '../../components/kept-reason-field';
import { useOneAtATime } from '../../components/one-at-a-time';
import { useStepFocus } from '../../components/use-step-focus';
import { useI18n } from '../../i18n/i18n';

/**
 * Revoking one certificate the evaluator issued: the button opens, in place, the reason, the revocation's
 * business date (today by default; a revocation decided earlier is entered with its own date) and the confirmation.
 */
export function RevokeCertificateStep({ number, certifiedOn, onRevoked }: { number: string; certifiedOn: string; onRevoked(): Promise<void> }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const reason = useKeptReason();
  // A revocation may fall on the day of issue, never before it (the API refuses revoked_before_certification):
  // said at the date's field as it is typed, and the confirmation stops there, rather than a refusal after sending.
  const revokedOn = useBusinessDate({ date: certifiedOn, words: t('evaluator.revoke.notBeforeCertified', { certifiedOn }) });
  const [problem, setProblem] = useState<Problem | null>(null);
  const focus = useStepFocus<HTMLInputElement>(confirming);
  // One revocation however often it is sent: pressed again after a lost answer, the API answers the first (not certificate_already_revoked).
  const idempotency = useIdempotencyKey();
  const sending = useOneAtATime();
  if (!confirming)
    return (
      <button type="button" className="danger" ref={focus.back} aria-label={t('evaluator.revoke.startFor', { number })} onClick={() => setConfirming(true)}>
        {t('evaluator.revoke.start')}
      </button>
    );
  const revoke = async () => {
    // Said at the field (the reason's, or the date's): the focus goes there, and no earlier refusal stays beside it.
    if (reason.refuseIfEmpty()) {
      focus.into.current?.focus();
      return setProblem(null);
    }
    if (revokedOn.focusIfWrong()) return setProblem(null);
    await sending.once(async () => {
      const { data, error, response } = await api.POST('/api/v1/certificates/{number}/revocation', {
        params: { path: { number }, header: { 'Idempotency-Key': idempotency.key } },
        body: { reason: reason.trimmed, revokedOn: revokedOn.value },
      });
      idempotency.settle(response, error);
      // An earlier sending that got no answer did arrive (the form changed since): the list read again shows it.
      if (!data) return showRefusal(error, setProblem, () => void onRevoked());
      await onRevoked();
    });
  };
  return (
    <ConfirmStep
      title={t('evaluator.revoke.confirmTitle', { number })}
      problem={problem}
      confirmText={t('evaluator.revoke.confirm')}
      busy={sending.busy}
      onConfirm={() => void revoke()}
      onCancel={() => setConfirming(false)}
    >
      <KeptReasonField id={`revoke-reason-${number}`} label={t('evaluator.revoke.reason')} requiredText={t('evaluator.revoke.reasonRequired')} reason={reason} inputRef={focus.into} />
      <BusinessDateField id={`revoke-date-${number}`} label={t('evaluator.revoke.date')} date={revokedOn} />
    </ConfirmStep>
  );
}
