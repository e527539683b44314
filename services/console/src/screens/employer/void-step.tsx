import { api } from '../../api/client';
import { ConfirmStep } from '../../components/confirm-step';
import { showRefusal } from '../../components/idempotency-key';
import { KeptReasonField } from '../../components/kept-reason-field';
import { useKeptReasonStep } from '../../components/kept-reason-step';
import { ProblemMessage } from '../../components/problem-message';
import { useI18n } from '../../i18n/i18n';

/**
 * Voiding a hire the employer recorded in error (the wrong person, the wrong placement), active or ended: the
 * button opens, in place, what voiding does and how it differs from ending the employment (which keeps it on
 * record with its end), the reason and the confirmation. Once voided the employment is as if never recorded
 * and its opening free; `onVoided` is told so, and also when a refusal says an earlier sending, which got no
 * answer, did void it, or that it is gone (404: voided meanwhile by someone else): the list read again shows it gone. No date: a void corrects the record, it is no
 * business fact of its own.
 */
export function VoidEmploymentStep({ employmentId, name, onVoided }: { employmentId: string; name: string; onVoided(): Promise<void> }) {
  const { t } = useI18n();
  const { confirming, setConfirming, reason, problem, setProblem, focus, idempotency, sending, refuseWithoutReason } = useKeptReasonStep();
  // Its name starts with the words it shows (WCAG 2.5.3), then says whose employment.
  if (!confirming)
    return (
      <button type="button" className="danger" ref={focus.back} aria-label={t('employer.void.startFor', { name })} onClick={() => setConfirming(true)}>
        {t('employer.void.start')}
      </button>
    );
  const voidIt = async () => {
    if (refuseWithoutReason()) return;
    await sending.once(async () => {
      const { data, error, response } = await api.POST('/api/v1/employments/{id}/void', {
        params: { path: { id: employmentId }, header: { 'Idempotency-Key': idempotency.key } },
        body: { reason: reason.trimmed },
      });
      idempotency.settle(response, error);
      // 404: voided meanwhile (in another tab, by a colleague): the list read again shows it gone, as the line says.
      if (!data && response.status !== 404) return showRefusal(error, setProblem, () => void onVoided());
      await onVoided();
    });
  };
  const whatId = `employment-void-what-${employmentId}`;
  const notEndingId = `employment-void-not-ending-${employmentId}`;
  return (
    <ConfirmStep
      title={t('employer.void.confirmTitle', { name })}
      confirmText={t('employer.void.confirm')}
      busy={sending.busy}
      onConfirm={() => void voidIt()}
      onCancel={() => setConfirming(false)}
    >
      <p id={whatId}>{t('employer.void.what')}</p>
      <p id={notEndingId}>{t('employer.void.notEnding')}</p>
      <KeptReasonField id={`employment-void-reason-${employmentId}`} label={t('employer.void.reason')} requiredText={t('employer.void.reasonRequired')} reason={reason} inputRef={focus.into} describedBy={`${whatId} ${notEndingId}`} />
      <ProblemMessage problem={problem} />
    </ConfirmStep>
  );
}
