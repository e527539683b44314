import { Navigate, Outlet, useLocation } from 'react-router';
import type { Me } from '../../session/session-context';
import { useSession } from '../../session/session-context';
import { useI18n } from '../../i18n/i18n';
import { SessionPending } from '../../layout/session-pending';
import type { components } from '../../api/schema';

export type Organisation = components['schemas']['OrganisationAnswer'];
export type OrganisationKind = Organisation['kind'];

/** The staff role that acts for each kind of organisation (a user is created with the role of its organisation's kind). */
export const ROLE_OF_KIND: Record<OrganisationKind, Me['role']> = {
  bureau: 'bureau_officer',
  provider: 'school_staff',
  evaluator: 'evaluator_staff',
  employer: 'employer_staff',
};

/** Who administers users (domain.md section 9): a platform admin, a bureau officer (its region's organisations), an organisation's administrator. */
export const managesUsers = (me: Me) => me.role === 'platform_admin' || me.role === 'bureau_officer' || me.orgAdmin;
/** Who reads the audit log: a platform admin, an organisation's administrator (its organisation's). */
export const readsAudit = (me: Me) => me.role === 'platform_admin' || me.orgAdmin;
/** Whose audit log `me` opens: a platform admin any organisation's; an organisation's administrator only its own. */
export const readsAuditOf = (me: Me, organisationId: string) => readsAudit(me) && (me.role === 'platform_admin' || me.organisationId === organisationId);
/** Who registers providers, evaluators and employers: a platform admin, a bureau officer (in its region). */
export const registersOrganisations = (me: Me) => me.role === 'platform_admin' || me.role === 'bureau_officer';
/** API keys are any staff user's own (an administrator also sees its organisation's). */
export const holdsApiKeys = (me: Me) => me.role !== 'trainee';
/** The token-signing keys sign every user's session, so only a platform admin rotates or retires them. */
export const managesSigningKeys = (me: Me) => me.role === 'platform_admin';

/**
 * An administration page: signed out → the sign-in page (and back here after); a user the page is not
 * for (staff who do not administer their organisation) → told so, like RequireRole.
 */
export function RequireAdministration({ allows }: { allows(me: Me): boolean }) {
  const { me } = useSession();
  const { t } = useI18n();
  const location = useLocation();
  if (me === undefined) return <SessionPending />;
  if (me === null) return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (!allows(me)) return <p role="alert">{t('common.notForYourRole')}</p>;
  return <Outlet />;
}
