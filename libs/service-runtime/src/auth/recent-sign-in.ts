import { applyDecorators, HttpException, HttpStatus } from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import type { TokenSession } from './auth.guard';
import { PermissionName } from './permissions';

/** How recent the sign-in of a token must be for what cannot be undone or outlives the session (RecentSignIn). */
export const RECENT_SIGN_IN_MINUTES = 10;

/** 403 recent_sign_in_required, naming the permission of what was refused. */
export class RecentSignInRequired extends HttpException {
  constructor(permission: PermissionName) {
    super(
      { message: `${permission} needs a sign-in of the last ${RECENT_SIGN_IN_MINUTES} minutes: sign in again, then do it`, rule: 'recent_sign_in_required', permission },
      HttpStatus.FORBIDDEN,
    );
  }
}

/**
 * Refuses (RecentSignInRequired) unless the token comes from a sign-in of the last RECENT_SIGN_IN_MINUTES
 * (its auth_time, kept across a session's renewals): a session left open on a shared or stolen device, or
 * a token that outlives the password change that ended its session, must not do it long after. A token
 * got with an API key is no sign-in (its auth_time is the key's own request), and one without auth_time
 * is of no known sign-in: both are refused alike.
 */
export function requireRecentSignIn(permission: PermissionName, caller: Caller, { signedInAt }: TokenSession, now: Date): void {
  if (caller.via === 'apiKey' || !signedInAt || now.getTime() - signedInAt.getTime() > RECENT_SIGN_IN_MINUTES * 60_000) {
    throw new RecentSignInRequired(permission);
  }
}

/** The route's 403 of requireRecentSignIn in its OpenAPI operation (joined with the permission's own 403). */
export const ApiRecentSignIn = () =>
  applyDecorators(
    ApiForbiddenResponse({
      description: `recent_sign_in_required: the token's sign-in (auth_time, kept across refresh renewals) is more than ${RECENT_SIGN_IN_MINUTES} minutes old, or the token was got with an API key: sign in again`,
    }),
  );
