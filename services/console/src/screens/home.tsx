import { Link, Navigate } from 'react-router';
import { useI18n } from '../i18n/i18n';
import { SessionPending } from '../layout/session-pending';
import { useSession } from '../session/session-context';

/** Where `/` leads: the workspace of the user's role; a platform admin and visitors a welcome with what they can do (a platform admin also the steps that set the platform up). */
export function HomePage() {
  const { t } = useI18n();
  const { me } = useSession();
  if (me === undefined) return <SessionPending />;
  if (me?.role === 'school_staff') return <Navigate to="/school/trainees" replace />;
  if (me?.role === 'bureau_officer') return <Navigate to="/bureau/brands" replace />;
  if (me?.role === 'evaluator_staff') return <Navigate to="/evaluator" replace />;
  if (me?.role === 'employer_staff') return <Navigate to="/employer" replace />;
  if (me?.role === 'trainee' && me.traineeId) return <Navigate to="/me" replace />;
  return (
    <section>
      <h1>{t('home.title')}</h1>
      <p>{t('home.intro')}</p>
      <ul className="actions">
        <li>
          <Link className="button-link primary" to="/verify">
            {t('nav.verify')}
          </Link>
        </li>
        {!me && (
          <li>
            <Link className="button-link" to="/sign-in">
              {t('layout.signIn')}
            </Link>
          </li>
        )}
      </ul>
      {/* A platform admin signs in first on an empty platform: the way to set it up, rather than verifying certificates. */}
      {me?.role === 'platform_admin' && (
        <>
          <h2>{t('onboarding.nextSteps')}</h2>
          <p>{t('onboarding.nextStepsIntro')}</p>
          <ul className="actions">
            <li>
              <Link className="button-link" to="/admin/organisations">
                {t('onboarding.registerOrganisations')}
              </Link>
            </li>
            <li>
              <Link className="button-link" to="/admin/users">
                {t('onboarding.manageUsers')}
              </Link>
            </li>
          </ul>
        </>
      )}
    </section>
  );
}
