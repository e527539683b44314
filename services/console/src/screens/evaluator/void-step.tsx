import type { SkillLevel } from '@skills/domain-kernel';
import { api, type Problem } from '../../api/client';
import { ConfirmStep } from '../../components/confirm-step';
import { showRefusal } from '../../components/idempotency-key';
import { KeptReasonField } from '../../components/kept-reason-field';
import { useKeptReasonStep } from '../../components/kept-reason-step';
import { ProblemMessage } from '../../components/problem-message';
import { useI18n } from '../../i18n/i18n';

/** later_certificate_stands_on_it's specifics (its 409 carries them at its top level): the later certificate judged on this one. */
interface LaterCertificateRefusal extends Problem {
  laterCertificateNumber?: string;
  laterLevel?: SkillLevel;
  laterCertifiedOn?: string;
}

/**
 * Voiding a certificate the evaluator recorded in error (a wrong cell of an imported row: holder, level or
 * date), valid or revoked: the button opens, in place, what voiding does and how it differs from a revocation
 * (which keeps the certificate on record), the reason and the confirmation. Once voided the certificate is as
 * if never recorded and its number free for the corrected row; `onVoided` is told the holder's level left.
 * `onEarlierArrived`: a refusal said that an earlier sending, which got no answer, did void it (its level left
 * unknown here), so the list is read again without it. No date: a void corrects the record, it is no business
 * fact of its own.
 */
export function VoidCertificateStep({ number, onVoided, onEarlierArrived }: { number: string; onVoided(levelAfter: SkillLevel | null): Promise<void>; onEarlierArrived(): void }) {
  const { t } = useI18n();
  const { confirming, setConfirming, reason, problem, setProblem, focus, idempotency, sending, refuseWithoutReason } = useKeptReasonStep();
  // Its name starts with the words it shows (WCAG 2.5.3), then says which certificate.
  if (!confirming)
    return (
      <button type="button" className="danger" ref={focus.back} aria-label={t('evaluator.void.startFor', { number })} onClick={() => setConfirming(true)}>
        {t('evaluator.void.start')}
      </button>
    );
  const voidIt = async () => {
    if (refuseWithoutReason()) return;
    await sending.once(async () => {
      const { data, error, response } = await api.POST('/api/v1/certificates/{number}/void', {
        params: { path: { number }, header: { 'Idempotency-Key': idempotency.key } },
        body: { reason: reason.trimmed },
      });
      idempotency.settle(response, error);
      // An earlier sending that got no answer did arrive (the reason changed since): the list read again shows it gone.
      if (!data) return showRefusal(error, setProblem, onEarlierArrived);
      await onVoided(data.levelAfter ?? null);
    });
  };
  const whatId = `void-what-${number}`;
  const notRevocationId = `void-not-revocation-${number}`;
  return (
    <ConfirmStep
      title={t('evaluator.void.confirmTitle', { number })}
      confirmText={t('evaluator.void.confirm')}
      busy={sending.busy}
      onConfirm={() => void voidIt()}
      onCancel={() => setConfirming(false)}
    >
      <p id={whatId}>{t('evaluator.void.what')}</p>
      <p id={notRevocationId}>{t('evaluator.void.notRevocation')}</p>
      <KeptReasonField id={`void-reason-${number}`} label={t('evaluator.void.reason')} requiredText={t('evaluator.void.reasonRequired')} reason={reason} inputRef={focus.into} describedBy={`${whatId} ${notRevocationId}`} />
      <ProblemMessage problem={problem}>
        <LaterCertificate problem={problem} />
      </ProblemMessage>
    </ConfirmStep>
  );
}

/** Which later certificate stands on this one (later_certificate_stands_on_it), in the reader's words: void it first, or revoke this one instead. */
function LaterCertificate({ problem }: { problem: LaterCertificateRefusal | null }) {
  const { t } = useI18n();
  if (problem?.rule !== 'later_certificate_stands_on_it' || !problem.laterCertificateNumber) return null;
  const later = problem.laterCertificateNumber;
  return (
    <p data-testid="later-certificate">
      {problem.laterLevel && problem.laterCertifiedOn
        ? t('evaluator.void.laterStandsAt', { later, level: t(`level.${problem.laterLevel}`), date: problem.laterCertifiedOn })
        : t('evaluator.void.laterStands', { later })}
    </p>
  );
}
