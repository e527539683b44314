import { Inject, Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { createLocalJWKSet, createRemoteJWKSet, errors, JSONWebKeySet, JWTVerifyGetKey } from 'jose';
import { DisabledUsers } from '../disabled-users';
import { RuntimeConfig } from '../runtime-config';
import { RUNTIME_CONFIG } from '../tokens';
import { LocalIssuer } from './local-issuer';
import { TokenVerifier, tokenVerifierFromEnv } from './token-verifier';

/** How long the in-process issuer's public keys are reused before they are read again. */
const LOCAL_KEYS_SECONDS = 60;

/**
 * Who calls: the bearer token verified against the platform's own issuer (in this process, or
 * identity-service's JWKS) or, with OIDC_ISSUER, an external OpenID Connect provider.
 */
@Injectable()
export class Authentication {
  private verifier?: TokenVerifier;

  constructor(
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
    private readonly local: LocalIssuer,
    private readonly disabled: DisabledUsers,
  ) {}

  authenticate(authorization: string | undefined): Promise<Caller> {
    this.verifier ??= tokenVerifierFromEnv(process.env, {
      issuer: this.config.publicOrigin,
      keys: this.ownKeys(),
      isActive: (userId) => this.isActive(userId),
    });
    return this.verifier.fromAuthorizationHeader(authorization);
  }

  /**
   * One answer per deployment: the identity module's own where it runs in this process, else the
   * disabled users this process learnt from identity-service's UserDisabled events.
   */
  private isActive(userId: string): Promise<boolean> {
    const issuer = this.local.get();
    return issuer ? issuer.isActive(userId) : Promise.resolve(!this.disabled.has(userId));
  }

  private ownKeys(): JWTVerifyGetKey {
    const identityUrl = process.env.IDENTITY_SERVICE_URL;
    // Read again every minute too (jose's default is ten), so a key identity retired stops verifying here
    // within one; and a kid not known yet (a rotation) is fetched for after 5 s at most (jose's default is 30).
    const remote = identityUrl ? createRemoteJWKSet(new URL('/.well-known/jwks.json', identityUrl), { cacheMaxAge: LOCAL_KEYS_SECONDS * 1000, cooldownDuration: 5_000 }) : undefined;
    let cached: { keys: JWTVerifyGetKey; until: number; generation: number } | undefined;
    const fresh = async (jwks: () => Promise<JSONWebKeySet>) => {
      const generation = this.local.generation();
      return (cached = { keys: createLocalJWKSet(await jwks()), until: Date.now() + LOCAL_KEYS_SECONDS * 1000, generation }).keys;
    };
    return async (header, token) => {
      const issuer = this.local.get();
      if (!issuer) {
        if (!remote) throw new Error('no token issuer: the identity module is not in this process and IDENTITY_SERVICE_URL is not set');
        return remote(header, token);
      }
      // A key rotated or retired in this process is seen at once; one in another replica within a minute.
      const keys = cached && cached.until > Date.now() && cached.generation === this.local.generation() ? cached.keys : await fresh(() => issuer.jwks());
      // A key made since the cache was filled (a rotation): read the keys once more.
      try {
        return await keys(header, token);
      } catch (error) {
        // Only an unknown key id can mean a key made since; a bad token must not cost a database read.
        if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
        return (await fresh(() => issuer.jwks()))(header, token);
      }
    };
  }
}
