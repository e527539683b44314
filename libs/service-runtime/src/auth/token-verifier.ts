import { HttpException, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { ACCESS_TOKEN_AUDIENCE, Caller, ORGANISATION_KIND_OF_ROLE, ORGANISATION_KINDS, OrganisationKind, Role, ROLES, TokenPurpose, Via } from '@skills/contracts';
import { createRemoteJWKSet, errors, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';
import { ConfigurationError } from '../runtime-config';
import { canonicalId } from '../http/validation';

/**
 * Access tokens in, `Caller` out (api.md "Identity and access", domain.md section 9). One verifier per
 * accepted issuer: the platform's own by default, or an external OpenID Connect provider (e.g. a Keycloak
 * realm) when `OIDC_ISSUER` is set, whose claims are read by configured names.
 */

/** Why a request is not authenticated. Short and fixed: neither the token nor a claim value ever goes into it. */
export type UnauthenticatedReason =
  | 'no_token'
  | 'token_invalid'
  | 'algorithm_not_allowed'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'unknown_role'
  | 'ambiguous_role'
  | 'ambiguous_organisation'
  | 'invalid_claim'
  | 'user_disabled'
  | 'api_key_revoked';

const DETAIL: Record<UnauthenticatedReason, string> = {
  no_token: 'a Bearer access token is required',
  token_invalid: 'the access token is malformed or not signed by a trusted key',
  algorithm_not_allowed: 'the access token is not signed with an accepted algorithm (ES256, RS256, PS256, EdDSA)',
  token_expired: 'the access token has expired',
  token_not_yet_valid: 'the access token is not valid yet',
  wrong_audience: 'the access token is meant for another audience',
  wrong_issuer: 'the access token was issued by an issuer that is not trusted',
  unknown_role: 'the access token carries no role of the platform',
  ambiguous_role: 'the access token carries more than one role of the platform',
  ambiguous_organisation: 'the access token names more than one organisation',
  invalid_claim: 'a claim of the access token has a value of the wrong shape',
  user_disabled: 'the user has been disabled',
  api_key_revoked: 'the API key the access token was got with has been revoked',
};

/** 401: no token, or one that does not authenticate anybody. Answered as a problem with `reason`. */
export class Unauthenticated extends HttpException {
  constructor(readonly reason: UnauthenticatedReason) {
    super({ message: DETAIL[reason], reason }, HttpStatus.UNAUTHORIZED);
  }
}

/**
 * Where each part of the caller is found in a token's claims. A name is a top-level claim (taken as is,
 * even when it contains dots, if the token has it) or else a dotted path into nested claims
 * (`realm_access.roles`, `organization.id`).
 */
export interface ClaimMapping {
  role: string;
  organisation: string;
  organisationKind: string;
  orgAdmin: string;
  trainee: string;
  username: string;
  region: string;
}

/** The claim names of the platform's own access tokens (`AccessTokenClaims`). */
export const OWN_CLAIMS: ClaimMapping = {
  role: 'role',
  organisation: 'org',
  organisationKind: 'orgKind',
  orgAdmin: 'orgAdmin',
  trainee: 'trainee',
  username: 'username',
  region: 'region',
};

/** Asymmetric only: `none` and the HMAC family (a public key used as a shared secret) are refused. */
const ACCEPTED_ALGORITHMS = ['ES256', 'RS256', 'PS256', 'EdDSA'];

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** The issuer's public keys: what `createRemoteJWKSet` or `createLocalJWKSet` return. */
  keys: JWTVerifyGetKey;
  claims?: ClaimMapping;
  /** Asked after the token checks out; false (a disabled user) is a 401 `user_disabled`. */
  isActive?: (userId: string) => Promise<boolean>;
  /** Asked of a token got with an API key (its `client_id`, the key's id); true (a revoked key) is a 401 `api_key_revoked`. */
  isApiKeyRevoked?: (apiKeyId: string) => boolean;
  /** Where "now" comes from for `exp` and `nbf` (default: the wall clock). */
  now?: () => Date;
  /** Seconds of clock skew allowed on `exp` and `nbf` (default 0). */
  clockToleranceSeconds?: number;
}

/**
 * A verified token: its caller, and when the user signed in to get it (OpenID Connect's `auth_time`, kept
 * by the platform across the renewals of a session; undefined when the issuer does not say).
 */
export interface VerifiedToken {
  caller: Caller;
  signedInAt?: Date;
  /** The user's session ends when it was issued (AccessTokenClaims.sessions_ended); undefined when it does not say. */
  sessionsEnded?: number;
  /** The API key the token was got with (its `client_id`, the key's id); undefined for a sign-in's token. */
  apiKeyId?: string;
}

export class TokenVerifier {
  readonly issuer: string;
  readonly audience: string;
  private readonly claims: ClaimMapping;

  constructor(private readonly options: TokenVerifierOptions) {
    this.issuer = options.issuer;
    this.audience = options.audience;
    this.claims = options.claims ?? OWN_CLAIMS;
  }

  /** The caller of a request from its `Authorization` header; anything but `Bearer <token>` is a 401 `no_token`. */
  async fromAuthorizationHeader(header: string | undefined): Promise<Caller> {
    return (await this.tokenFromAuthorizationHeader(header)).caller;
  }

  /** The caller and the time of its sign-in, as `fromAuthorizationHeader`. */
  async tokenFromAuthorizationHeader(header: string | undefined): Promise<VerifiedToken> {
    const match = /^\s*Bearer +(\S+)\s*$/i.exec(header ?? '');
    if (!match) throw new Unauthenticated('no_token');
    return this.verifyToken(match[1]);
  }

  /**
   * The caller a token authenticates. 401 (`Unauthenticated`) for every fault of the token; 503 when the
   * issuer's keys cannot be fetched (not the caller's fault, so not a 401).
   */
  async verify(token: string): Promise<Caller> {
    return (await this.verifyToken(token)).caller;
  }

  /** The caller and the time of its sign-in, as `verify`. */
  async verifyToken(token: string): Promise<VerifiedToken> {
    if (!token) throw new Unauthenticated('no_token');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.options.keys, {
        issuer: this.issuer,
        audience: this.audience,
        algorithms: ACCEPTED_ALGORITHMS,
        requiredClaims: ['sub', 'exp'],
        currentDate: this.options.now?.(),
        clockTolerance: this.options.clockToleranceSeconds ?? 0,
      }));
    } catch (error) {
      throw refusalOf(error);
    }
    const caller = this.callerOf(payload);
    if (this.options.isActive && !(await this.options.isActive(caller.userId))) throw new Unauthenticated('user_disabled');
    const apiKeyId = apiKeyIdOf(payload.client_id);
    if (apiKeyId && this.options.isApiKeyRevoked?.(apiKeyId)) throw new Unauthenticated('api_key_revoked');
    return { caller, ...signedInAtOf(payload.auth_time), ...sessionsEndedOf(payload.sessions_ended), ...(apiKeyId ? { apiKeyId } : {}) };
  }

  private callerOf(payload: JWTPayload): Caller {
    const userId = payload.sub;
    if (typeof userId !== 'string' || userId === '') throw new Unauthenticated('invalid_claim');
    const role = roleOf(claimAt(payload, this.claims.role));
    // Ids as requests' ids are taken, lower-case: an issuer writing capitals would otherwise be refused its own organisation's resources.
    const organisationId = canonicalId(singleString(claimAt(payload, this.claims.organisation), 'ambiguous_organisation'));
    const organisationKind = organisationId === null ? null : organisationKindOf(claimAt(payload, this.claims.organisationKind), role);
    return {
      userId,
      username: singleString(claimAt(payload, this.claims.username), 'invalid_claim') ?? userId,
      role,
      organisationId,
      organisationKind,
      // An organisation's administrator administers that organisation: without one, the flag means nothing.
      orgAdmin: organisationId !== null && flagOf(claimAt(payload, this.claims.orgAdmin)),
      traineeId: canonicalId(singleString(claimAt(payload, this.claims.trainee), 'invalid_claim')),
      regionCode: organisationId === null ? null : regionCodeOf(claimAt(payload, this.claims.region)),
      via: viaOf(payload.via),
      ...purposeOf(payload.purpose),
      ...passwordChangeRequiredOf(payload.password_change_required),
    };
  }
}

/**
 * The verifier of the deployment. With `OIDC_ISSUER` set, tokens of that issuer are accepted instead of
 * the platform's own: audience `OIDC_AUDIENCE` (default `skills-ladder`), keys from `OIDC_JWKS_URI` or
 * else the issuer's discovery document (fetched on the first token), claim names from `OIDC_*_CLAIM`.
 * `own.isActive` and `own.isApiKeyRevoked` apply to the platform's own users and API keys only: an
 * external issuer's users are not in the platform's user store, and are disabled at that issuer.
 */
export function tokenVerifierFromEnv(
  env: NodeJS.ProcessEnv,
  own: Pick<TokenVerifierOptions, 'issuer' | 'keys' | 'isActive' | 'isApiKeyRevoked'>,
): TokenVerifier {
  const issuer = env.OIDC_ISSUER?.trim();
  if (!issuer) return new TokenVerifier({ issuer: own.issuer, audience: ACCESS_TOKEN_AUDIENCE, keys: own.keys, claims: OWN_CLAIMS, isActive: own.isActive, isApiKeyRevoked: own.isApiKeyRevoked });
  const jwksUri = env.OIDC_JWKS_URI?.trim();
  const problems = [httpUrlProblem('OIDC_ISSUER', issuer), jwksUri ? httpUrlProblem('OIDC_JWKS_URI', jwksUri) : undefined].filter((problem): problem is string => !!problem);
  if (problems.length > 0) throw new ConfigurationError(problems);
  const named = (name: string, fallback: string) => env[name]?.trim() || fallback;
  return new TokenVerifier({
    issuer,
    audience: named('OIDC_AUDIENCE', ACCESS_TOKEN_AUDIENCE),
    keys: jwksUri ? createRemoteJWKSet(new URL(jwksUri)) : discoveredKeys(issuer),
    claims: {
      role: named('OIDC_ROLE_CLAIM', OWN_CLAIMS.role),
      organisation: named('OIDC_ORGANISATION_CLAIM', OWN_CLAIMS.organisation),
      organisationKind: named('OIDC_ORGANISATION_KIND_CLAIM', OWN_CLAIMS.organisationKind),
      orgAdmin: named('OIDC_ORG_ADMIN_CLAIM', OWN_CLAIMS.orgAdmin),
      trainee: named('OIDC_TRAINEE_CLAIM', OWN_CLAIMS.trainee),
      username: named('OIDC_USERNAME_CLAIM', 'preferred_username'),
      region: named('OIDC_REGION_CLAIM', OWN_CLAIMS.region),
    },
  });
}

/**
 * The keys of an issuer found through its discovery document, fetched on the first token (the issuer
 * need not be up when the platform starts). A failed discovery is not remembered: the next token tries again.
 */
function discoveredKeys(issuer: string): JWTVerifyGetKey {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  return async (header, token) => {
    keys ??= discoverJwksUri(issuer).then(
      (jwksUri) => createRemoteJWKSet(jwksUri),
      (error: unknown) => {
        keys = undefined;
        throw error;
      },
    );
    return (await keys)(header, token);
  };
}

async function discoverJwksUri(issuer: string): Promise<URL> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const response = await fetch(url, { signal: AbortSignal.timeout(5000), headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`the OpenID Connect discovery document ${url} answered ${response.status}`);
  const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
  // OpenID Connect Discovery 1.0, 4.3: the document must name exactly the issuer it was fetched for.
  if (document.issuer !== issuer) throw new Error(`the OpenID Connect discovery document ${url} names another issuer`);
  if (typeof document.jwks_uri !== 'string' || httpUrlProblem('jwks_uri', document.jwks_uri)) {
    throw new Error(`the OpenID Connect discovery document ${url} has no http(s) jwks_uri`);
  }
  return new URL(document.jwks_uri);
}

function httpUrlProblem(name: string, value: string): string | undefined {
  try {
    const { protocol } = new URL(value);
    if (protocol === 'http:' || protocol === 'https:') return undefined;
  } catch {
    // reported below
  }
  return `${name} must be an http(s) URL (got "${value}")`;
}

/** A fault of the token is a 401; trouble getting the issuer's keys is a 503 (logged, with its cause). */
function refusalOf(error: unknown): HttpException {
  if (error instanceof errors.JWTExpired) return new Unauthenticated('token_expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return new Unauthenticated('wrong_audience');
    if (error.claim === 'iss') return new Unauthenticated('wrong_issuer');
    if (error.claim === 'nbf' && error.reason === 'check_failed') return new Unauthenticated('token_not_yet_valid');
    return new Unauthenticated('token_invalid');
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new Unauthenticated('algorithm_not_allowed');
  if (
    error instanceof errors.JOSENotSupported ||
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JWKInvalid
  ) {
    return new Unauthenticated('token_invalid');
  }
  if (error instanceof HttpException) return error;
  return new ServiceUnavailableException({ message: 'the token issuer’s keys could not be fetched', reason: 'keys_unavailable' }, { cause: error });
}

/** A claim by its name: a top-level claim of that exact name, else a dotted path into nested objects. */
function claimAt(payload: JWTPayload, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(payload, name)) return payload[name];
  let value: unknown = payload;
  for (const segment of name.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.prototype.hasOwnProperty.call(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** One role of the platform: a string, or a list of roles (Keycloak's `realm_access.roles`) holding exactly one of ours. */
function roleOf(value: unknown): Role {
  const roles = [...new Set((Array.isArray(value) ? value : [value]).filter(isRole))];
  if (roles.length === 1) return roles[0];
  throw new Unauthenticated(roles.length === 0 ? 'unknown_role' : 'ambiguous_role');
}

/** A string, a list of at most one string (a multivalued attribute), or nothing (null). */
function singleString(value: unknown, ambiguous: UnauthenticatedReason): string | null {
  if (Array.isArray(value)) {
    if (value.length > 1) throw new Unauthenticated(ambiguous);
    value = value[0];
  }
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw new Unauthenticated('invalid_claim');
  return value;
}

/** The claimed kind, or, when the token does not say, the kind the role acts for; never one that contradicts the role. */
function organisationKindOf(value: unknown, role: Role): OrganisationKind | null {
  const claimed = singleString(value, 'invalid_claim');
  const ofRole = ORGANISATION_KIND_OF_ROLE[role];
  if (claimed === null) return ofRole;
  if (!(ORGANISATION_KINDS as readonly string[]).includes(claimed)) throw new Unauthenticated('invalid_claim');
  if (ofRole !== null && claimed !== ofRole) throw new Unauthenticated('invalid_claim');
  return claimed as OrganisationKind;
}

/** A region code of six digits (GB/T 2260), or nothing. */
function regionCodeOf(value: unknown): string | null {
  const region = singleString(value, 'invalid_claim');
  if (region !== null && !/^\d{6}$/.test(region)) throw new Unauthenticated('invalid_claim');
  return region;
}

/** true, or "true" as identity providers map user attributes; absent is false. */
function flagOf(value: unknown): boolean {
  if (Array.isArray(value) && value.length <= 1) value = value[0];
  if (value === true || value === 'true') return true;
  if (value === undefined || value === null || value === false || value === 'false') return false;
  throw new Unauthenticated('invalid_claim');
}

/**
 * `auth_time` (seconds since the epoch, OpenID Connect Core 1.0 section 2): when the user signed in.
 * Absent or of another shape, not known: only what needs a recent sign-in is refused, not every request.
 */
function signedInAtOf(value: unknown): { signedInAt?: Date } {
  return typeof value === 'number' && Number.isFinite(value) ? { signedInAt: new Date(value * 1000) } : {};
}

/** `sessions_ended` (the platform's own claim): a count, or not known. */
function sessionsEndedOf(value: unknown): { sessionsEnded?: number } {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? { sessionsEnded: value } : {};
}

/**
 * A token for one purpose only, the platform's own (`totp_enrolment`), which the AuthGuard holds to it;
 * any other value is none of the platform's (an outside issuer's claim of that name): not a restriction.
 */
function purposeOf(value: unknown): { purpose?: TokenPurpose } {
  return value === 'totp_enrolment' ? { purpose: value } : {};
}

/**
 * `password_change_required` (the platform's own claim): true alone restricts the token (AuthGuard); any
 * other value, or none, is no restriction.
 */
function passwordChangeRequiredOf(value: unknown): { passwordChangeRequired?: true } {
  return value === true ? { passwordChangeRequired: true } : {};
}

/**
 * `client_id` (RFC 9068): the API key a platform token was got with (the client-credentials grant). Absent
 * on a sign-in's token, and on a key's token issued before the platform named the key in it.
 */
function apiKeyIdOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** How the token was obtained; a token can never claim to be the platform itself (`system`). */
function viaOf(value: unknown): Via {
  if (value === undefined || value === null) return 'token';
  if (value === 'token' || value === 'apiKey') return value;
  throw new Unauthenticated('invalid_claim');
}
