import { Caller, OrganisationKind } from '@skills/contracts';
import type { KnownOrganisation } from '@skills/service-runtime';
import { NotPermitted, refuseOutsideBureauRegion } from '@skills/domain-kernel';

/** Whose users someone is: the organisation they act for (none for a platform admin or a trainee). */
export interface UsersOf {
  organisationId: string | null;
  organisationKind: OrganisationKind | null;
}

/**
 * Who manages a user (domain.md section 9), the one rule for creating, disabling, setting passwords and
 * listing users: a platform admin any; a bureau officer the users of the providers, evaluators and
 * employers registered in its region (those it may register); an organisation's administrator the users of
 * that organisation. A bureau's own users are its administrator's (or a platform admin's), as a school's
 * are: an officer who is no orgAdmin would otherwise make administrators and take over its own bureau's
 * accounts, and a province a city bureau's, which only a platform admin registers.
 *
 * `registered` is the register's record of the user's organisation; the bureau officer's reach is judged
 * on it (its kind and region), never on what the request claims.
 */
export function mayManage(by: Caller, user: UsersOf, registered: KnownOrganisation | null, permission: string): void {
  if (by.role === 'platform_admin') return;
  if (by.role === 'bureau_officer' && user.organisationId !== null && user.organisationKind !== 'bureau') {
    if (registered?.kind !== user.organisationKind) throw new NotPermitted(permission, `the register holds no ${user.organisationKind ?? 'organisation'} ${user.organisationId}`);
    refuseOutsideBureauRegion(permission, by, registered.regionCode);
    return;
  }
  mayAdminister(by, user, permission);
}

/** An organisation's administrator (orgAdmin) administers its users and their API keys; a platform admin all. */
export function mayAdminister(by: Caller, user: UsersOf, permission: string): void {
  if (by.role === 'platform_admin') return;
  const ownOrganisation = by.orgAdmin && by.organisationId !== null && user.organisationId === by.organisationId && user.organisationKind === by.organisationKind;
  if (!ownOrganisation) throw new NotPermitted(permission, 'the caller administers no organisation of this user');
}
