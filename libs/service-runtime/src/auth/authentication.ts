import { Inject, Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { createLocalJWKSet, createRemoteJWKSet, errors, JWTVerifyGetKey } from 'jose';
import { DisabledUsers } from '../disabled-users';
import { RuntimeConfig } from '../runtime-config';
import { RUNTIME_CONFIG } from '../tokens';
import { Issuer, LocalIssuer } from './local-issuer';
import { TokenVerifier, tokenVerifierFromEnv } from './token-verifier';

/** How long the in-process issuer's public keys are reused before they are read again. */
const LOCAL_KEYS_SECONDS = 60;
/** How soon after the keys were read a token's unknown kid has them read again (as jose's cooldown for remote keys). */
const UNKNOWN_KID_COOLDOWN_MS = 5_000;

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
    const remote = identityUrl ? createRemoteJWKSet(new URL('/.well-known/jwks.json', identityUrl), { cacheMaxAge: LOCAL_KEYS_SECONDS * 1000, cooldownDuration: UNKNOWN_KID_COOLDOWN_MS }) : undefined;
    let cached: LocalKeys | undefined;
    let reading: Promise<LocalKeys> | undefined;
    // One read at a time: the requests that find the keys stale while they are read wait for that read.
    const read = (issuer: Issuer): Promise<LocalKeys> =>
      (reading ??= (async () => {
        const generation = this.local.generation();
        const readAt = Date.now();
        try {
          return (cached = { keys: createLocalJWKSet(await issuer.jwks()), readAt, generation });
        } finally {
          reading = undefined;
        }
      })());
    // A key rotated or retired in this process (or one it signs with that another made) changes the generation.
    const current = (keys: LocalKeys) => keys.generation === this.local.generation();
    // A read under way since before the generation changed (a key retired meanwhile) is not taken: one begun after.
    const fresh = async (issuer: Issuer): Promise<LocalKeys> => {
      const keys = await read(issuer);
      return current(keys) ? keys : read(issuer);
    };
    return async (header, token) => {
      const issuer = this.local.get();
      if (!issuer) {
        if (!remote) throw new Error('no token issuer: the identity module is not in this process and IDENTITY_SERVICE_URL is not set');
        return remote(header, token);
      }
      // A key rotated or retired in this process is seen at once; one in another replica within a minute.
      const keys = cached && current(cached) && Date.now() - cached.readAt < LOCAL_KEYS_SECONDS * 1000 ? cached : await fresh(issuer);
      try {
        return await keys.keys(header, token);
      } catch (error) {
        // Only an unknown key id can mean a key made since (a rotation in another replica): the keys are read
        // once more, but not within 5 s of the last read, so that a bad token or a made-up kid does not cost
        // a database read at each request. A key rotated in elsewhere is found within those 5 s.
        if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
        if (current(keys) && Date.now() - keys.readAt < UNKNOWN_KID_COOLDOWN_MS) throw error;
        return (await fresh(issuer)).keys(header, token);
      }
    };
  }
}

/** The issuer's public keys as this process read them: when, and at which generation of LocalIssuer. */
interface LocalKeys {
  keys: JWTVerifyGetKey;
  readAt: number;
  generation: number;
}
