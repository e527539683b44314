import { ErasePersonalDataStep } from '../../components/erase-personal-data-step';
import { TraineeCorrectionForm, type CorrectableTrainee } from '../../components/trainee-correction-form';
import { useI18n } from '../../i18n/i18n';
import type { Me } from '../../session/session-context';

/**
 * What the archive page offers about correcting the trainee's name or mobile number (domain.md section 9:
 * the trainee, staff of the organisation that registered them, platform_admin; the server judges the same,
 * trainee.aggregate.ts mayChangeRegistration): the form; to the staff of another school or employer, who
 * correct the trainees their own organisation registered, a line saying who corrects this one (`unrecorded`:
 * a registration of before the registering organisation was kept, which only a platform admin changes); else nothing.
 */
export function correctionOffer(me: Me | null, trainee: { registeredBy: string | null }): 'form' | 'note' | 'unrecorded' | null {
  if (me?.role === 'platform_admin') return 'form';
  if (me?.role !== 'school_staff' && me?.role !== 'employer_staff') return null;
  if (trainee.registeredBy === null) return 'unrecorded';
  return me.organisationId !== null && me.organisationId === trainee.registeredBy ? 'form' : 'note';
}

/** Staff correcting a trainee's name or mobile number on the archive page, or the line saying who may (correctionOffer). */
export function CorrectTraineeStep({ offer, trainee, onCorrected }: { offer: 'form' | 'note' | 'unrecorded'; trainee: CorrectableTrainee; onCorrected(): void }) {
  const { t } = useI18n();
  if (offer === 'note') return <p className="hint">{t('archive.correct.notRegisteredHere')}</p>;
  if (offer === 'unrecorded') return <p className="hint">{t('archive.correct.notRecorded')}</p>;
  return (
    <TraineeCorrectionForm
      trainee={trainee}
      idPrefix="archive-correct"
      words={{ title: t('archive.correct.title'), intro: t('archive.correct.intro'), nameRequired: t('archive.correct.nameRequired') }}
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
