import { Link, Navigate } from 'react-router';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session-context';

/** Where `/` leads: a school's or a bureau's workspace by role; everyone else a welcome with what they can do. */
export function HomePage() {
  const { t } = useI18n();
  const { me } = useSession();
  if (me === undefined) return <p role="status">{t('common.loading')}</p>;
  if (me?.role === 'school_staff') return <Navigate to="/school/trainees" replace />;
  if (me?.role === 'bureau_officer') return <Navigate to="/bureau/brands" replace />;
  if (me?.role === 'trainee' && me.traineeId) return <Navigate to={`/trainees/${me.traineeId}/archive`} replace />;
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
      {me && me.role !== 'platform_admin' && <p>{t('home.workspaceComing')}</p>}
    </section>
  );
}
