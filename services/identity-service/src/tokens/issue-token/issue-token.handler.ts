import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Role } from '@skills/contracts';
import { Clock } from '@skills/domain-kernel';
import { allows, CLOCK, InvalidInput } from '@skills/service-runtime';
import { ApiKeys } from '../../api-keys/api-keys';
import { UNMATCHABLE_HASH, verifyPassword } from '../../users/passwords';
import { REQUIRE_TOTP_ROLES, Totps } from '../../users/totps';
import { Users } from '../../users/users';
import { AccessTokens } from '../access-tokens';
import { RefreshTokens } from '../refresh-tokens';
import { SignInLimits } from '../sign-in-limits';
import { IssueTokenDto } from './issue-token.dto';
import type { KnownUser } from '../../users/user.aggregate';

export interface TokenAnswer {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
  /** `totp_enrolment` on a token for enrolling a second factor only. */
  scope?: 'totp_enrolment';
}

const REFUSALS = {
  invalid_grant: 'wrong username or password, or the session has ended',
  invalid_client: 'unknown client or wrong secret',
  account_closed: 'this account is closed (an administrator disabled it): staff ask their organisation’s administrator; a trainee the training provider or employer that registered them',
  totp_required: 'this user signs in with a second factor: send the code of the authenticator app as totp',
  totp_enrolment_required: 'users of this role must enrol a second factor (TOTP) before signing in: ask again with scope totp_enrolment for a token that only enrols it',
} as const;

/**
 * 401 naming the OAuth error (`invalid_grant`, `invalid_client`): the same answer whatever was wrong. After
 * the right password only: `totp_required` (send `totp`), `totp_enrolment_required` (REQUIRE_TOTP_ROLES) or
 * `account_closed` (a disabled user; an erased one's username is gone, so invalid_grant).
 */
class TokenRefused extends HttpException {
  constructor(rule: keyof typeof REFUSALS) {
    super({ message: REFUSALS[rule], rule }, HttpStatus.UNAUTHORIZED);
  }
}

/** The fields a grant needs, in order; 400 naming each one that is missing. */
const required = (body: IssueTokenDto, ...fields: Exclude<keyof IssueTokenDto, 'grant_type'>[]): string[] => {
  const missing = fields.filter((field) => !body[field]);
  if (missing.length > 0) throw new InvalidInput(missing.map((field) => ({ field, rule: 'required', message: `${field} is required for grant_type ${body.grant_type}` })));
  return fields.map((field) => body[field] as string);
};

/** POST /oauth/token: the password, refresh-token and client-credentials grants. */
@Injectable()
export class IssueTokenHandler {
  constructor(
    private readonly users: Users,
    private readonly tokens: AccessTokens,
    private readonly refreshTokens: RefreshTokens,
    private readonly limits: SignInLimits,
    private readonly apiKeys: ApiKeys,
    private readonly totps: Totps,
    @Inject(REQUIRE_TOTP_ROLES) private readonly totpRoles: Role[],
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(body: IssueTokenDto, address: string): Promise<TokenAnswer> {
    switch (body.grant_type) {
      case 'password':
        return this.signIn(...(required(body, 'username', 'password') as [string, string]), { totp: body.totp, scope: body.scope }, address);
      case 'refresh_token': {
        const [refreshToken] = required(body, 'refresh_token');
        const session = await this.refreshTokens.use(refreshToken);
        const user = session ? await this.users.byId(session.userId) : undefined;
        // A renewal that began before a password change (or a second factor's reset) committed passes that
        // change's end of the sessions: the session's credential is judged here too, against the user as they now are.
        if (!session || !user || user.status !== 'active' || !this.refreshTokens.opensWith(session, user)) throw new TokenRefused('invalid_grant');
        // The session's sign-in, not this renewal: a renewed token is no fresh sign-in (AccessTokens). It counts the
        // user's session ends as read here, where the session's credential was judged: a change committing later ends it.
        return { ...(await this.tokens.issue(await this.signedInCallerOf(user), session.signedInAt, user.sessionEnds.length)), refresh_token: await this.refreshTokens.renew(session) };
      }
      case 'client_credentials': {
        const [clientId, clientSecret] = required(body, 'client_id', 'client_secret');
        const userId = await this.apiKeys.authenticate(clientId, clientSecret);
        const user = userId ? await this.users.byId(userId) : undefined;
        // A key made by a role that may no longer make one (a platform admin's, of before domain.md section 9
        // was enforced) gets no token: it would act as its creator, second factor skipped, for good.
        if (!user || user.status !== 'active' || !allows('api-keys:create', user.user.role)) throw new TokenRefused('invalid_client');
        // A key's token is its own sign-in (and may not make keys anyway: SIGNED_IN_ONLY).
        return this.tokens.issue(await this.users.callerOf(user.user, 'apiKey'), this.clock.now(), user.sessionEnds.length, clientId);
      }
    }
  }

  private async signIn(username: string, password: string, { totp, scope }: Pick<IssueTokenDto, 'totp' | 'scope'>, address: string): Promise<TokenAnswer> {
    const user = await this.users.byUsername(username);
    // Counted as failed from here, judged against the limits, and taken back below when it is none.
    const attempt = await this.limits.begin(username, address, user?.user.userId);
    // An unknown user costs a hash too: the answer's timing does not tell which usernames exist.
    const matches = await verifyPassword(password, user?.user.passwordHash ?? UNMATCHABLE_HASH);
    if (!user || !matches) throw new TokenRefused('invalid_grant');
    // The right password of a closed account is told so, not "wrong password" (which sends the person to try
    // again and again): only one who knows the password learns it, and it is no failed guess.
    if (user.status !== 'active') {
      await this.limits.noFailure(attempt);
      throw new TokenRefused('account_closed');
    }
    if (user.totp === 'confirmed') {
      if (!totp) {
        await this.limits.noFailure(attempt);
        throw new TokenRefused('totp_required');
      }
      // A wrong or already used code is a failed sign-in like a wrong password (it stays counted).
      if (!(await this.totps.use(user.user.userId, totp))) throw new TokenRefused('invalid_grant');
    } else if (this.totpRoles.includes(user.user.role)) {
      if (scope !== 'totp_enrolment') {
        await this.limits.noFailure(attempt);
        throw new TokenRefused('totp_enrolment_required');
      }
      // The password alone opens no session here: a token that enrols the second factor, and no refresh.
      await this.limits.succeeded(attempt, user.user.userId);
      return { ...(await this.tokens.issue({ ...(await this.users.callerOf(user.user, 'token')), purpose: 'totp_enrolment' }, this.clock.now(), user.sessionEnds.length)), scope: 'totp_enrolment' };
    }
    await this.limits.succeeded(attempt, user.user.userId);
    const signedInAt = this.clock.now();
    // Bound to the user as read for the password's check, not to the clock: a reset committing meanwhile
    // (its instant taken before it committed) is later than that read, and ends this session too.
    return { ...(await this.tokens.issue(await this.signedInCallerOf(user), signedInAt, user.sessionEnds.length)), refresh_token: await this.refreshTokens.open(user, signedInAt) };
  }

  /**
   * The caller of a sign-in's (or its renewal's) token: with passwordChangeRequired while the password is a
   * temporary one. Not so an API key's token (the key is the integration's, and outlives password changes)
   * nor the enrolment-only token (which must enrol the second factor before the user can sign in to change it).
   */
  private async signedInCallerOf(user: KnownUser) {
    const caller = await this.users.callerOf(user.user, 'token');
    return user.passwordChangeRequired ? { ...caller, passwordChangeRequired: true as const } : caller;
  }
}
