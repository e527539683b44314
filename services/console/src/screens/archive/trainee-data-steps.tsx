import { ErasePersonalDataStep } from '../../components/erase-personal-data-step';
import { TraineeCorrectionForm, type CorrectableTrainee } from '../../components/trainee-correction-form';
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
  return <ErasePersonalDataStep traineeId={traineeId} idPrefix="archive-erase" words={{ title: t('archive.erase.title'), intro: t('archive.erase.intro'), start: t('archive.erase.start'), confirmTitle: t('archive.erase.confirmTitle'), confirmLabel: t('archive.erase.confirmLabel'), confirm: t('archive.erase.confirm') }} onErased={onErased} />;
}
