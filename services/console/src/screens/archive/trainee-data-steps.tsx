import { useState } from 'react';
import { api, problemOf, type Problem } from '../../api/client';
import { ConfirmStep } from '../../components/confirm-step';
import { useOneAtATime } from '../../components/one-at-a-time';
import { TraineeCorrectionForm, type CorrectableTrainee } from '../../components/trainee-correction-form';
import { useStepFocus } from '../../components/use-step-focus';
import { useI18n } from '../../i18n/i18n';

/**
 * The roles holding trainees:correct besides the trainee (libs/service-runtime permissions.ts). Which
 * organisation registered the trainee is not in any answer the console reads, so the step is offered to
 * every staff role that may hold it, and the server's 403 (only the registering organisation) is said in
 * the console's words (`archive.correct.notRegisteredHere`).
 */
export const ROLES_CORRECTING = ['platform_admin', 'school_staff', 'employer_staff'] as const;

/** Staff correcting a trainee's name or mobile number on the archive page (domain.md section 9). */
export function CorrectTraineeStep({ trainee, onCorrected }: { trainee: CorrectableTrainee; onCorrected(): void }) {
  const { t } = useI18n();
  return (
    <TraineeCorrectionForm
      trainee={trainee}
      idPrefix="archive-correct"
      words={{ title: t('archive.correct.title'), intro: t('archive.correct.intro'), nameRequired: t('archive.correct.nameRequired') }}
      refusalNote={(problem) => (problem.rule === 'permission_denied' ? <p>{t('archive.correct.notRegisteredHere')}</p> : null)}
      onCorrected={onCorrected}
    />
  );
}

/**
 * A platform admin erasing a trainee's personal data (PIPL article 47; domain.md section 9: the trainee or
 * platform_admin), also of a person who has no account to do it themself: the button opens a step saying
 * that it cannot be undone and what stays. Once erased the page reads the archive again and shows the
 * erased state (`onErased`), where the focus goes; this step is gone with the personal data.
 */
export function EraseTraineeStep({ traineeId, onErased }: { traineeId: string; onErased(): void }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const focus = useStepFocus<HTMLButtonElement>(confirming);
  const sending = useOneAtATime();

  // No Idempotency-Key: an erasure sent again after a lost answer erases nothing more and answers 204 again.
  const erase = () =>
    sending.once(async () => {
      const { error, response } = await api.DELETE('/api/v1/trainees/{id}/personal-data', { params: { path: { id: traineeId } } });
      if (response.status !== 204) return setProblem(problemOf(error));
      onErased();
    });

  return (
    <section className="panel" aria-labelledby="archive-erase-title">
      <h2 id="archive-erase-title">{t('archive.erase.title')}</h2>
      <p>{t('archive.erase.intro')}</p>
      {confirming ? (
        <ConfirmStep
          title={t('archive.erase.confirmTitle')}
          label={t('archive.erase.confirmLabel')}
          problem={problem}
          confirmText={t('archive.erase.confirm')}
          confirmRef={focus.into}
          busy={sending.busy}
          onConfirm={() => void erase()}
          onCancel={() => {
            setProblem(null);
            setConfirming(false);
          }}
        />
      ) : (
        <button type="button" className="danger" ref={focus.back} onClick={() => setConfirming(true)}>
          {t('archive.erase.start')}
        </button>
      )}
    </section>
  );
}
