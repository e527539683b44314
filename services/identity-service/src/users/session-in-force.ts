import { applyDecorators, CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable, UseGuards } from '@nestjs/common';
import { ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { TokenSession } from '@skills/service-runtime';
import { Request } from 'express';
import { Users } from './users';

/**
 * 401 reason `session_ended`: the token comes from a sign-in that a later password change (or reset) or a
 * second factor's reset ended. Answered as the AuthGuard answers a token that no longer authenticates
 * (`reason`, and `WWW-Authenticate: Bearer error="invalid_token"`, RFC 6750 section 3.1): the client signs in again.
 */
export class SessionEnded extends HttpException {
  constructor() {
    super({ message: 'the session of this token was ended by a password change or a second factor’s reset after its sign-in: sign in again', reason: 'session_ended' }, HttpStatus.UNAUTHORIZED);
  }
}

/** What the AuthGuard (which runs first, as the global guard) leaves on the request. */
type AuthenticatedRequest = Request & { caller?: Caller } & TokenSession;

/**
 * A credential (an API key, a user, a password, a second factor) is made or changed only with a token of a
 * sign-in after the caller's last password change and second factor's reset. Those end the sessions signed
 * in before them: their refresh tokens no longer renew, but the access tokens already issued live out their
 * minutes, and with them a thief (or a dismissed administrator) whose password was reset could otherwise
 * make a lasting credential of their own (a key, a user, an enrolled factor).
 *
 * Judged against the caller's user as their stream holds it now (Users.byId reads the log, not a projection
 * that may lag). A token's sign-in (`auth_time`) is known to the second: one of the same second as the change
 * counts as after it, so that a user signing in at once after a reset is never refused (a sign-in in that
 * second before it is the sole one let through, and only by someone who had the password until then). A
 * caller identity does not hold (an external OpenID Connect issuer's) has no such changes here.
 *
 * A change's instant is taken when it is decided, before it commits: a sign-in that read and checked the old
 * password meanwhile signs in later than it. Its token says how many session ends its user had when read
 * (AccessTokenClaims.sessions_ended): one more since ends its session too, whatever its `auth_time`.
 */
@Injectable()
export class SessionInForceGuard implements CanActivate {
  constructor(private readonly users: Users) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { caller, signedInAt, sessionsEnded } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!caller) throw new Error('SessionInForce is only for routes behind the AuthGuard');
    const user = await this.users.byId(caller.userId);
    if (user && sessionEnded(user.sessionEnds, { signedInAt, sessionsEnded })) throw new SessionEnded();
    return true;
  }
}

/**
 * Whether a token's session (TokenSession) was ended by one of its user's session ends (KnownUser.sessionEnds):
 * by now, or by the instant `by` (what an activation code issued then was issued with). Ended when its sign-in
 * (`signedInAt`, its auth_time) is before an end, or, where the token says how many ends its user had when it
 * was issued (`sessionsEnded`), when there are more by then. The sign-in is known to the second: one of the
 * same second as the end counts as after it (SessionInForceGuard says why); the count has no such second, and
 * catches the sign-in that read the old password while the change committed, later than the change's instant.
 * A token that says neither is of no known sign-in: ended by any end.
 */
export function sessionEnded(sessionEnds: readonly string[], { signedInAt, sessionsEnded }: TokenSession, by?: Date): boolean {
  const endsBy = by ? sessionEnds.filter((end) => Date.parse(end) <= by.getTime()) : sessionEnds;
  if (sessionsEnded !== undefined && endsBy.length > sessionsEnded) return true;
  return endsBy.some((end) => !signedInAt || signedInAt.getTime() < Math.floor(Date.parse(end) / 1000) * 1000);
}

/** The route makes or changes a credential: only with a token of a sign-in its user's sessions still hold (SessionInForceGuard). */
export const SessionInForce = () =>
  applyDecorators(
    UseGuards(SessionInForceGuard),
    ApiUnauthorizedResponse({
      description:
        'session_ended (`reason`): the token’s sign-in (auth_time) is before the caller’s last password change or reset, or second factor’s reset, or was made with the password or second factor as they were before it (a sign-in while it committed: its `sessions_ended` claim is less than the user’s), which ended its session: sign in again',
    }),
  );
