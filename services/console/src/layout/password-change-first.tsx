import type { ReactNode } from 'react';
import { matchPath, Navigate, useLocation } from 'react-router';
import { useSession } from '../session/session-context';

/** Where a user whose password someone else set chooses their own (screens/me-password). */
export const MY_PASSWORD_PATH = '/me/password';

/**
 * A user signed in with a password someone else set (GET /api/v1/me says passwordChangeRequired) is taken
 * to choose their own from every page: every service refuses their token elsewhere (403
 * password_change_required). Signing out still works: it clears the session before it leaves the page.
 * The public pages (`publicPaths`, app.tsx's list: verifying a certificate, activating an account) are left
 * alone: they need no signed-in user, and their API calls are public.
 */
export function PasswordChangeFirst({ publicPaths, children }: { publicPaths: readonly string[]; children: ReactNode }) {
  const { me } = useSession();
  const { pathname } = useLocation();
  const isPublic = publicPaths.some((path) => matchPath(path, pathname) !== null);
  if (me?.passwordChangeRequired && pathname !== MY_PASSWORD_PATH && !isPublic) return <Navigate to={MY_PASSWORD_PATH} replace />;
  return children;
}
