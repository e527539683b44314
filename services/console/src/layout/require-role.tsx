import { Navigate, Outlet, useLocation } from 'react-router';
import type { Me } from '../session/session-context';
import { useSession } from '../session/session-context';
import { useI18n } from '../i18n/i18n';
import { SessionPending } from './session-pending';

/** A workspace's pages: signed out → the sign-in page (and back here after, with the address's query); another role → told so. */
export function RequireRole({ roles }: { roles: Me['role'][] }) {
  const { me } = useSession();
  const { t } = useI18n();
  const location = useLocation();
  if (me === undefined) return <SessionPending />;
  if (me === null) return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (!roles.includes(me.role)) return <p role="alert">{t('common.notForYourRole')}</p>;
  return <Outlet />;
}
