import { Inject, Injectable } from '@nestjs/common';
import { ACCESS_TOKEN_AUDIENCE, AccessTokenClaims, Caller } from '@skills/contracts';
import { Clock } from '@skills/domain-kernel';
import { CLOCK, RUNTIME_CONFIG, RuntimeConfig } from '@skills/service-runtime';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { SigningKeys } from './signing-keys';

/**
 * Signs short-lived access tokens carrying the caller (api.md "Identity and access"), living
 * ACCESS_TOKEN_SECONDS (RuntimeConfig.accessTokenSeconds, 5 minutes by default), and when the user signed
 * in for them (`auth_time`, as OpenID Connect names it): kept across a session's renewals, so that what
 * needs a recent sign-in (an API key) is not done with a token renewed hours after it.
 */
@Injectable()
export class AccessTokens {
  constructor(
    private readonly keys: SigningKeys,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  get issuer(): string {
    return this.config.publicOrigin;
  }

  /**
   * `signedInAt`: the sign-in that began the session; a client-credentials token's own issue (now).
   * `sessionsEnded`: how many session ends the user had as read for this issue (AccessTokenClaims.sessions_ended).
   * `apiKeyId`: the API key of a client-credentials grant, named in `client_id` (RFC 9068), by which every
   * service refuses the token once the key is revoked.
   */
  async issue(caller: Caller, signedInAt: Date, sessionsEnded: number, apiKeyId?: string): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number }> {
    if (caller.via === 'system') throw new Error('the platform issues no tokens to itself');
    const { kid, privateKey } = await this.keys.current();
    const claims: Omit<AccessTokenClaims, 'sub'> = {
      username: caller.username,
      role: caller.role,
      org: caller.organisationId,
      orgKind: caller.organisationKind,
      orgAdmin: caller.orgAdmin,
      trainee: caller.traineeId,
      region: caller.regionCode,
      via: caller.via,
      ...(caller.purpose ? { purpose: caller.purpose } : {}),
      ...(caller.passwordChangeRequired ? { password_change_required: true as const } : {}),
      sessions_ended: sessionsEnded,
    };
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const accessToken = await new SignJWT({ ...claims, auth_time: Math.floor(signedInAt.getTime() / 1000), ...(apiKeyId ? { client_id: apiKeyId } : {}) })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
      .setIssuer(this.issuer)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setSubject(caller.userId)
      .setIssuedAt(now)
      .setExpirationTime(now + this.config.accessTokenSeconds)
      .setJti(randomUUID())
      .sign(privateKey);
    return { access_token: accessToken, token_type: 'Bearer', expires_in: this.config.accessTokenSeconds };
  }
}
