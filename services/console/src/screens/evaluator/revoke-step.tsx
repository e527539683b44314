import { api } from '../../api/client';
import { BusinessDateField, useBusinessDate } from '../../components/business-date-field';
import { ConfirmStep } from '../../components/confirm-step';
import { showRefusal } from '../../components/idempotency-key';
import { KeptReasonField } from '../../components/kept-reason-field';
import { useKeptReasonStep } from '../../components/kept-reason-step';
import { useI18n } from '../../i18n/i18n';

/**
 * Revoking one certificate the evaluator issued: the button opens, in place, the reason, the revocation's
 * business date (today by default; a revocation decided earlier is entered with its own date) and the confirmation.
 */
export function RevokeCertificateStep({ number, certifiedOn, onRevoked }: { number: string; certifiedOn: string; onRevoked(): Promise<void> }) {
  const { t } = useI18n();
  const { confirming, setConfirming, reason, problem, setProblem, focus, idempotency, sending, refuseWithoutReason } = useKeptReasonStep();
  // A revocation may fall on the day of issue, never before it (the API refuses revoked_before_certification):
  // said at the date's field as it is typed, and the confirmation stops there, rather than a refusal after sending.
  const revokedOn = useBusinessDate({ date: certifiedOn, words: t('evaluator.revoke.notBeforeCertified', { certifiedOn }) });
  if (!confirming)
    return (
      <button type="button" className="danger" ref={focus.back} aria-label={t('evaluator.revoke.startFor', { number })} onClick={() => setConfirming(true)}>
        {t('evaluator.revoke.start')}
      </button>
    );
  const revoke = async () => {
    // Said at the field (the reason's, or the date's): the focus goes there, and no earlier refusal stays beside it.
    if (refuseWithoutReason()) return;
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
