import { Inject, Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { createLocalJWKSet, errors, JSONWebKeySet, JWTPayload, JWTVerifyGetKey } from 'jose';
import { DisabledUsers } from '../disabled-users';
import { RuntimeConfig } from '../runtime-config';
import { RUNTIME_CONFIG } from '../tokens';
import { Issuer, LocalIssuer } from './local-issuer';
import { RevokedApiKeys } from './revoked-api-keys';
import { TokenVerifier, tokenVerifierFromEnv, VerifiedToken } from './token-verifier';

/** How long the issuer's public keys are reused before they are read again (jose's default for remote keys is ten minutes). */
const LOCAL_KEYS_SECONDS = 60;
/** How soon after the keys were read a token's unknown kid has them read again (jose's cooldown for remote keys is 30 s). */
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
    private readonly revokedApiKeys: RevokedApiKeys,
  ) {}

  async authenticate(authorization: string | undefined): Promise<Caller> {
    return (await this.authenticateToken(authorization)).caller;
  }

  /** The caller, and when they signed in (CurrentTokenSession: for what needs a recent sign-in, requireRecentSignIn). */
  authenticateToken(authorization: string | undefined): Promise<VerifiedToken> {
    this.verifier ??= tokenVerifierFromEnv(process.env, {
      issuer: this.config.publicOrigin,
      keys: this.ownKeys(),
      isActive: (userId) => this.isActive(userId),
      // One answer in every process, identity's too: identity-service records its own revocations in its
      // `revoked_api_keys` as it commits them (RevokeApiKeyHandler), every other service on ApiKeyRevoked.
      isApiKeyRevoked: (apiKeyId) => this.revokedApiKeys.has(apiKeyId),
    });
    return this.verifier.tokenFromAuthorizationHeader(authorization);
  }

  /**
   * One answer per deployment: the identity module's own where it runs in this process, else the
   * disabled users this process learnt from identity-service's UserDisabled events.
   */
  private isActive(userId: string): Promise<boolean> {
    const issuer = this.local.get();
    return issuer ? issuer.isActive(userId) : Promise.resolve(!this.disabled.has(userId));
  }

  /**
   * The platform's keys: the identity module's in this process, else identity-service's JWKS. Both are
   * read by one path: again every minute (so a key retired elsewhere stops verifying within one), at once
   * when this process rotates or retires a key, and for a token with an unknown kid.
   */
  private ownKeys(): JWTVerifyGetKey {
    const identityUrl = process.env.IDENTITY_SERVICE_URL;
    const remote = identityUrl ? new URL('/.well-known/jwks.json', identityUrl) : undefined;
    const sourceOf = (issuer: Issuer | undefined): KeySource => {
      if (issuer) return () => issuer.jwks();
      if (!remote) throw new Error('no token issuer: the identity module is not in this process and IDENTITY_SERVICE_URL is not set');
      return () => fetchKeySet(remote);
    };
    let cached: KeysAsRead | undefined;
    let reading: Promise<KeysAsRead> | undefined;
    // One read at a time: the requests that find the keys stale while they are read wait for that read.
    const read = (source: KeySource): Promise<KeysAsRead> =>
      (reading ??= (async () => {
        const generation = this.local.generation();
        const readAt = Date.now();
        try {
          return (cached = { keys: createLocalJWKSet(await source()), readAt, generation });
        } finally {
          reading = undefined;
        }
      })());
    // A key rotated or retired in this process (or one it signs with that another made) changes the generation.
    const current = (keys: KeysAsRead) => keys.generation === this.local.generation();
    // A read under way since before the generation changed (a key retired meanwhile) is not taken: one begun after.
    const fresh = async (source: KeySource): Promise<KeysAsRead> => {
      const keys = await read(source);
      return current(keys) ? keys : read(source);
    };
    return async (header, token) => {
      const asked = Date.now();
      const source = sourceOf(this.local.get());
      // A key rotated or retired in this process is seen at once; one in another replica within a minute.
      const keys = cached && current(cached) && Date.now() - cached.readAt < LOCAL_KEYS_SECONDS * 1000 ? cached : await fresh(source);
      try {
        return await keys.keys(header, token);
      } catch (error) {
        // Only an unknown key id can mean a key made since (a rotation in another replica): the token waits
        // for the keys' next read, which is at most one in 5 s, so that a made-up kid costs no database read
        // of its own, and a token of a key rotated in elsewhere is never refused, only answered up to 5 s late.
        if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
        // An expired token is answered so at once, whatever key signed it (one dropped since, say).
        refuseIfExpired(token.payload);
        const due = keys.readAt + UNKNOWN_KID_COOLDOWN_MS;
        if (current(keys) && Date.now() < due) await delay(due - Date.now());
        let latest = cached && current(cached) && cached.readAt > keys.readAt ? cached : await fresh(source);
        // A read begun before this token came (another's: in the same millisecond, maybe) may predate its key: one begun since is waited for.
        if (latest.readAt <= asked) latest = await fresh(source);
        return latest.keys(header, token);
      }
    };
  }
}

type KeySource = () => Promise<JSONWebKeySet>;

const delay = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds).unref());

/** jose's JWTExpired for a token whose `exp` has passed; nothing for any other (its key decides, or the verification). */
function refuseIfExpired(payload: string | Uint8Array | undefined): void {
  let claims: { exp?: unknown };
  try {
    claims = JSON.parse(typeof payload === 'string' ? Buffer.from(payload, 'base64url').toString('utf8') : Buffer.from(payload ?? []).toString('utf8')) as { exp?: unknown };
  } catch {
    return;
  }
  if (typeof claims?.exp === 'number' && claims.exp * 1000 <= Date.now()) throw new errors.JWTExpired('"exp" claim timestamp check failed', claims as JWTPayload, 'exp', 'check_failed');
}

/** identity-service's JWKS; any failure (down, slow, not a key set) is trouble getting the keys: a 503, not a 401. */
async function fetchKeySet(url: URL): Promise<JSONWebKeySet> {
  // As jose's remote key sets: no redirect followed, and nothing but a 200 taken.
  const response = await fetch(url, { signal: AbortSignal.timeout(5000), redirect: 'error', headers: { accept: 'application/json' } });
  if (response.status !== 200) throw new Error(`${url.href} answered ${response.status}`);
  return (await response.json()) as JSONWebKeySet;
}

/** The issuer's public keys as this process read them: when, and at which generation of LocalIssuer. */
interface KeysAsRead {
  keys: JWTVerifyGetKey;
  readAt: number;
  generation: number;
}
