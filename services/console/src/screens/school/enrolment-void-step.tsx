import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { ConfirmStep } from '../../components/confirm-step';
import { showRefusal } from '../../components/idempotency-key';
import { KeptReasonField } from '../../components/kept-reason-field';
import { useKeptReasonStep } from '../../components/kept-reason-step';
import { useI18n } from '../../i18n/i18n';

type RosterEntry = components['schemas']['RosterEntryAnswer'];

/**
 * Voiding an enrolment the school recorded in error (the wrong person, the wrong course), withdrawn or not,
 * also after the course ended: the button opens, in place, what voiding does (its results go too, the seat is
 * freed, the person may be enrolled again), how it differs from a withdrawal (which keeps both on record), the
 * result that goes with it if there is one, the reason and the confirmation. The roster entry's enrollmentId
 * is sent, so a retry after the void finds none rather than voiding an earlier enrolment of the same person.
 * A refusal reads the roster again (`onRefused`): a 404 says it was voided meanwhile, in another tab say.
 */
export function VoidEnrolmentStep({ courseId, entry, name, onVoided, onRefused }: { courseId: string; entry: RosterEntry; name: string; onVoided(): Promise<void>; onRefused(): Promise<void> }) {
  const { t } = useI18n();
  const { confirming, setConfirming, reason, problem, setProblem, focus, idempotency, sending, refuseWithoutReason } = useKeptReasonStep();
  // Its name starts with the words it shows (WCAG 2.5.3), then says whose enrolment.
  if (!confirming)
    return (
      <button type="button" className="danger" ref={focus.back} aria-label={t('enrolment.void.startFor', { name })} onClick={() => setConfirming(true)}>
        {t('enrolment.void.start')}
      </button>
    );
  const voidIt = async () => {
    if (refuseWithoutReason()) return;
    await sending.once(async () => {
      const { data, error, response } = await api.POST('/api/v1/courses/{id}/enrollments/{traineeId}/void', {
        params: { path: { id: courseId, traineeId: entry.traineeId }, header: { 'Idempotency-Key': idempotency.key } },
        body: { reason: reason.trimmed, enrollmentId: entry.enrollmentId },
      });
      idempotency.settle(response, error);
      if (data) return onVoided();
      showRefusal(error, setProblem, () => void onRefused());
      if (response.status === 404) await onRefused();
    });
  };
  const ids = { what: `void-what-${entry.enrollmentId}`, result: `void-result-${entry.enrollmentId}`, notWithdrawal: `void-not-withdrawal-${entry.enrollmentId}` };
  const result = entry.assessment;
  return (
    <ConfirmStep title={t('enrolment.void.confirmTitle', { name })} problem={problem} confirmText={t('enrolment.void.confirm')} busy={sending.busy} onConfirm={() => void voidIt()} onCancel={() => setConfirming(false)}>
      <p id={ids.what}>{t('enrolment.void.what')}</p>
      {result && (
        <p id={ids.result}>
          {t('enrolment.void.withResult', { result: t(result.passed ? 'results.passedWithScore' : 'results.failedWithScore', { score: result.score }), assessedOn: result.assessedOn })}
        </p>
      )}
      <p id={ids.notWithdrawal}>{t('enrolment.void.notWithdrawal')}</p>
      <KeptReasonField
        id={`void-reason-${entry.enrollmentId}`}
        label={t('enrolment.void.reason')}
        requiredText={t('enrolment.void.reasonRequired')}
        reason={reason}
        inputRef={focus.into}
        describedBy={[ids.what, ...(result ? [ids.result] : []), ids.notWithdrawal].join(' ')}
      />
    </ConfirmStep>
  );
}
