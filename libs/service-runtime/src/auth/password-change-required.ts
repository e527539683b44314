import { Caller } from '@skills/contracts';
import { canonicalId } from '../http/validation';
import { ProblemError } from '../http/problem-details.filter';
import type { PermissionName } from './permissions';

/**
 * What a token with password_change_required (a password someone else set, not yet changed) may do: read
 * who it is and its preferences, change those, and change its own password (`users:password` on the
 * caller's own id only: not another's, as an orgAdmin could). Signing out is public (POST /oauth/revoke).
 */
export const PASSWORD_CHANGE_ONLY: readonly PermissionName[] = ['me:read', 'me:preferences', 'users:password'];

/** Whether the request is one the token may make while its user's password is temporary; `pathId` the route's `:id`. */
export function allowedBeforePasswordChange(permission: PermissionName, caller: Caller, pathId: string | undefined): boolean {
  if (!PASSWORD_CHANGE_ONLY.includes(permission)) return false;
  return permission !== 'users:password' || canonicalId(pathId) === caller.userId;
}

/** 403 as the other refusals of the guard (urn:skills:forbidden, the permission asked), with its own rule: the console sends the user to choose their password. */
export const passwordChangeRequired = (permission: PermissionName): ProblemError =>
  new ProblemError({
    type: 'urn:skills:forbidden',
    title: 'Forbidden',
    status: 403,
    detail: 'the password was set by someone else (an administrator): choose your own password (POST /api/v1/users/{your id}/password with currentPassword) to go on',
    permission,
    rule: 'password_change_required',
  });
