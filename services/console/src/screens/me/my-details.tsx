import { useEffect, useState } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { api, problemOf, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { ErasePersonalDataStep } from '../../components/erase-personal-data-step';
import { TraineeCorrectionForm } from '../../components/trainee-correction-form';
import { ProblemMessage } from '../../components/problem-message';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session-context';

type Trainee = components['schemas']['TraineeAnswerDoc'];

/**
 * `/me/details`: the signed-in trainee's own personal details, read in full (`GET /api/v1/trainees/{id}`,
 * which answers the trainee themself), corrected (`PATCH`, PIPL article 46), or erased
 * (`DELETE …/personal-data`, article 47) behind a step saying what goes and that it cannot be undone.
 */
export function MyDetailsPage() {
  const { t } = useI18n();
  const traineeId = useSession().me?.traineeId;
  const [trainee, setTrainee] = useState<Trainee | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  // Read again after a correction (the PATCH answers only the id): the trainee's own stream, so it shows the correction at once.
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!traineeId) return;
    let stale = false;
    void api.GET('/api/v1/trainees/{id}', { params: { path: { id: traineeId } } }).then(({ data, error }) => {
      if (stale) return;
      if (data) setTrainee(data);
      else setProblem(problemOf(error));
    });
    return () => {
      stale = true;
    };
  }, [traineeId, version]);

  if (!traineeId) return <p role="alert">{t('me.noTrainee')}</p>;
  if (!trainee) return problem ? <ProblemMessage problem={problem} /> : <p role="status">{t('common.loading')}</p>;
  return (
    <section className="me-page">
      <h1>{t('me.detailsTitle')}</h1>
      <dl className="facts">
        <dt>{t('trainee.name')}</dt>
        <dd data-field="name">{trainee.name ?? t('archive.erased')}</dd>
        <dt>{t('trainee.phone')}</dt>
        <dd data-field="phone">{trainee.phone ?? '—'}</dd>
        <dt>{t('trainee.idNumber')}</dt>
        <dd>{trainee.idNumberMasked ?? '—'}</dd>
      </dl>
      {!trainee.personalDataErased && (
        <>
          <TraineeCorrectionForm
            trainee={trainee}
            idPrefix="my"
            ownDetails
            words={{ title: t('me.correct.title'), intro: t('me.correct.intro'), nameRequired: t('me.correct.nameRequired') }}
            onCorrected={() => setVersion((current) => current + 1)}
          />
          <EraseStep traineeId={trainee.id} />
        </>
      )}
    </section>
  );
}

/**
 * Erasing the trainee's personal data: the button opens a step saying what goes (and what stays) and that
 * it cannot be undone. Once erased, the trainee's own account is closed with it (README "Personal data"):
 * the console forgets the session and says it was done on a page of its own.
 */
function EraseStep({ traineeId }: { traineeId: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  // The page saying it was done signs out (the account is closed): signed out here, this page would send to the sign-in page first.
  return <ErasePersonalDataStep traineeId={traineeId} idPrefix="erase" words={{ title: t('me.erase.title'), intro: t('me.erase.intro'), start: t('me.erase.start'), confirmTitle: t('me.erase.confirmTitle'), confirmLabel: t('me.erase.confirmLabel'), confirm: t('me.erase.confirm') }} onErased={() => navigate('/me/erased', { replace: true, state: { erased: true } })} />;
}

/**
 * `/me/erased`, public: said once the erasure is done, and the session forgotten, as the account is closed
 * with it (README "Personal data"); reached otherwise, the start page.
 */
export function ErasedPage() {
  const { t } = useI18n();
  const { signOut } = useSession();
  const erased = (useLocation().state as { erased?: boolean } | null)?.erased === true;
  useEffect(() => {
    if (erased) signOut();
  }, [erased, signOut]);
  if (!erased) return <Navigate to="/" replace />;
  return (
    <section className="narrow">
      <h1>{t('me.erased.title')}</h1>
      <p role="status" className="success">
        {t('me.erased.text')}
      </p>
      <p>
        <Link to="/">{t('me.erased.back')}</Link>
      </p>
    </section>
  );
}
