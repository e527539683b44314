import { HttpException } from '@nestjs/common';
import { ACCESS_TOKEN_AUDIENCE, Caller } from '@skills/contracts';
import { createRemoteJWKSet, exportJWK, exportSPKI, generateKeyPair, JWK, KeyLike, SignJWT } from 'jose';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { TokenVerifier, tokenVerifierFromEnv, Unauthenticated } from './token-verifier';

// Two issuers served over real HTTP on 127.0.0.1: the platform's own (JWKS at /.well-known/jwks.json)
// and an external OpenID Connect provider shaped like a Keycloak realm (discovery document + certs).

interface KeyPair {
  publicKey: KeyLike;
  privateKey: KeyLike;
  kid: string;
}

let server: Server;
let origin: string;
let ownIssuer: string;
let externalIssuer: string;
let own: KeyPair;
let external: KeyPair;
let stranger: KeyPair;
const routes = new Map<string, unknown>();
const hits = new Map<string, number>();

const seconds = () => Math.floor(Date.now() / 1000);
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function keyPair(kid: string): Promise<KeyPair> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  return { publicKey, privateKey, kid };
}

async function publicJwk({ publicKey, kid }: KeyPair): Promise<JWK> {
  return { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
}

interface Signing {
  key?: KeyPair;
  kid?: string | null;
  iss?: string;
  aud?: string;
  sub?: string;
  exp?: number;
}

/** A token as an issuer signs it; by default the platform's own, valid for five minutes. */
async function sign(claims: Record<string, unknown>, signing: Signing = {}): Promise<string> {
  const key = signing.key ?? own;
  const kid = signing.kid === undefined ? key.kid : signing.kid;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...(kid === null ? {} : { kid }) })
    .setSubject(signing.sub ?? 'user-1')
    .setIssuer(signing.iss ?? ownIssuer)
    .setAudience(signing.aud ?? ACCESS_TOKEN_AUDIENCE)
    .setIssuedAt(seconds() - 10)
    .setExpirationTime(signing.exp ?? seconds() + 300)
    .sign(key.privateKey);
}

/** The claims of a school's staff user who administers the school, exactly as the platform issues them. */
const staffClaims = { username: 'li.wei', role: 'school_staff', org: 'provider-1', orgKind: 'provider', orgAdmin: true, trainee: null, region: '430202', via: 'apiKey' };

/** The verifier's refusal: a 401 `Unauthenticated` carrying the reason, never the token or a claim value. */
async function refusalOf(attempt: Promise<unknown>, ...secrets: string[]): Promise<Unauthenticated> {
  const outcome = await attempt.then(
    (caller) => ({ caller }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a refusal, got ${JSON.stringify(outcome.caller)}`);
  expect(outcome.error).toBeInstanceOf(Unauthenticated);
  const refusal = outcome.error as Unauthenticated;
  expect(refusal.getStatus()).toBe(401);
  const answer = JSON.stringify(refusal.getResponse()) + refusal.message;
  for (const secret of secrets) expect(answer).not.toContain(secret);
  return refusal;
}

function ownVerifier(isActive?: (userId: string) => Promise<boolean>): TokenVerifier {
  return new TokenVerifier({ issuer: ownIssuer, audience: ACCESS_TOKEN_AUDIENCE, keys: createRemoteJWKSet(new URL(`${ownIssuer}/.well-known/jwks.json`)), isActive });
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (!routes.has(path)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(routes.get(path)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ownIssuer = `${origin}/own`;
  externalIssuer = `${origin}/realms/skills`;
  [own, external, stranger] = await Promise.all([keyPair('own-1'), keyPair('realm-1'), keyPair('stranger-1')]);
  routes.set('/own/.well-known/jwks.json', { keys: [await publicJwk(own)] });
  routes.set('/realms/skills/.well-known/openid-configuration', {
    issuer: externalIssuer,
    jwks_uri: `${externalIssuer}/protocol/openid-connect/certs`,
    id_token_signing_alg_values_supported: ['ES256'],
  });
  routes.set('/realms/skills/protocol/openid-connect/certs', { keys: [await publicJwk(external)] });
  // An issuer whose discovery document names another issuer: its keys must not be trusted.
  routes.set('/impostor/.well-known/openid-configuration', { issuer: externalIssuer, jwks_uri: `${externalIssuer}/protocol/openid-connect/certs` });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('TokenVerifier, the platform’s own tokens', () => {
  it('maps a valid token of the issuer to the Caller with every field, asking isActive for its user', async () => {
    const asked: string[] = [];
    const verifier = ownVerifier(async (userId) => (asked.push(userId), true));
    const caller = await verifier.verify(await sign(staffClaims, { sub: 'user-42' }));
    expect(caller).toStrictEqual<Caller>({
      userId: 'user-42',
      username: 'li.wei',
      role: 'school_staff',
      organisationId: 'provider-1',
      organisationKind: 'provider',
      orgAdmin: true,
      traineeId: null,
      regionCode: '430202',
      via: 'apiKey',
    });
    expect(asked).toEqual(['user-42']);
  });

  it('maps a trainee user’s token: the trainee, no organisation, via defaulting to token', async () => {
    const caller = await ownVerifier().verify(await sign({ username: 'zhang.san', role: 'trainee', org: null, orgKind: null, orgAdmin: false, trainee: 'trainee-9' }, { sub: 'user-7' }));
    expect(caller).toStrictEqual<Caller>({
      userId: 'user-7',
      username: 'zhang.san',
      role: 'trainee',
      organisationId: null,
      organisationKind: null,
      orgAdmin: false,
      traineeId: 'trainee-9',
      regionCode: null,
      via: 'token',
    });
  });

  it('reads password_change_required: true alone restricts the caller (passwordChangeRequired); another value, or none, does not', async () => {
    const claims = { username: 'handed.over', role: 'platform_admin', org: null, orgKind: null, orgAdmin: false, trainee: null };
    expect(await ownVerifier().verify(await sign({ ...claims, password_change_required: true }))).toMatchObject({ passwordChangeRequired: true });
    for (const value of ['true', 1, false, undefined]) {
      expect(await ownVerifier().verify(await sign({ ...claims, password_change_required: value }))).not.toHaveProperty('passwordChangeRequired');
    }
  });

  it('takes an id claim in capitals in the lower-case form ids are compared in (other claims as they are)', async () => {
    const [organisation, trainee] = ['3F2B6C1E-8A4D-4E5F-9B7A-2C1D0E9F8A76', 'A1B2C3D4-0000-4000-8000-00000000000F'];
    const staff = await ownVerifier().verify(await sign({ ...staffClaims, org: organisation }));
    expect(staff.organisationId).toBe(organisation.toLowerCase());
    const own = await ownVerifier().verify(await sign({ username: 'zhang.san', role: 'trainee', org: null, orgKind: null, orgAdmin: false, trainee }, { sub: 'User-7' }));
    expect({ traineeId: own.traineeId, userId: own.userId }).toEqual({ traineeId: trainee.toLowerCase(), userId: 'User-7' });
  });

  it('refuses a token signed by another key under the issuer’s kid', async () => {
    const refusal = await refusalOf(ownVerifier().verify(await sign(staffClaims, { key: stranger, kid: own.kid })));
    expect(refusal.reason).toBe('token_invalid');
  });

  it('refuses a token signed by another key under an unknown kid', async () => {
    const refusal = await refusalOf(ownVerifier().verify(await sign(staffClaims, { key: stranger })));
    expect(refusal.reason).toBe('token_invalid');
  });

  it('refuses a token signed by another key without a kid', async () => {
    const refusal = await refusalOf(ownVerifier().verify(await sign(staffClaims, { key: stranger, kid: null })));
    expect(refusal.reason).toBe('token_invalid');
  });

  it('refuses an expired token as token_expired', async () => {
    const refusal = await refusalOf(ownVerifier().verify(await sign(staffClaims, { exp: seconds() - 60 })));
    expect(refusal.reason).toBe('token_expired');
  });

  it('refuses an unsecured token (alg: none)', async () => {
    const payload = { ...staffClaims, sub: 'user-1', iss: ownIssuer, aud: ACCESS_TOKEN_AUDIENCE, iat: seconds(), exp: seconds() + 300 };
    for (const header of [{ alg: 'none' }, { alg: 'none', typ: 'JWT', kid: own.kid }]) {
      const refusal = await refusalOf(ownVerifier().verify(`${base64url(header)}.${base64url(payload)}.`));
      expect(refusal.reason).toBe('algorithm_not_allowed');
    }
  });

  it('refuses an HS256 token whose secret is the issuer’s public key (algorithm confusion)', async () => {
    const publicKeyBytes = [new TextEncoder().encode(await exportSPKI(own.publicKey)), new TextEncoder().encode(JSON.stringify(await publicJwk(own)))];
    for (const secret of publicKeyBytes) {
      const token = await new SignJWT(staffClaims)
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: own.kid })
        .setSubject('user-1')
        .setIssuer(ownIssuer)
        .setAudience(ACCESS_TOKEN_AUDIENCE)
        .setExpirationTime(seconds() + 300)
        .sign(secret);
      const refusal = await refusalOf(ownVerifier().verify(token), token);
      expect(refusal.reason).toBe('algorithm_not_allowed');
    }
  });

  it('refuses a token for another audience as wrong_audience', async () => {
    const refusal = await refusalOf(ownVerifier().verify(await sign(staffClaims, { aud: 'another-app' })), 'another-app');
    expect(refusal.reason).toBe('wrong_audience');
  });

  it('refuses a token of another issuer (signed with the issuer’s own key) as wrong_issuer', async () => {
    const refusal = await refusalOf(ownVerifier().verify(await sign(staffClaims, { iss: 'https://elsewhere.example' })), 'elsewhere');
    expect(refusal.reason).toBe('wrong_issuer');
  });

  it('refuses a token whose role is not one of the platform’s as unknown_role, without naming it', async () => {
    const refusal = await refusalOf(ownVerifier().verify(await sign({ ...staffClaims, role: 'superuser' })), 'superuser');
    expect(refusal.reason).toBe('unknown_role');
    const { role: _role, ...withoutRole } = staffClaims;
    expect((await refusalOf(ownVerifier().verify(await sign(withoutRole)))).reason).toBe('unknown_role');
  });

  it('refuses a token that claims to be the platform itself (via: system) or an organisation kind against its role', async () => {
    expect((await refusalOf(ownVerifier().verify(await sign({ ...staffClaims, via: 'system' })))).reason).toBe('invalid_claim');
    expect((await refusalOf(ownVerifier().verify(await sign({ ...staffClaims, orgKind: 'employer' })))).reason).toBe('invalid_claim');
  });

  it('refuses a region that is not six digits, and ignores a region without an organisation', async () => {
    expect((await refusalOf(ownVerifier().verify(await sign({ ...staffClaims, region: '4302' })))).reason).toBe('invalid_claim');
    expect((await refusalOf(ownVerifier().verify(await sign({ ...staffClaims, region: 430202 })))).reason).toBe('invalid_claim');
    const admin = await ownVerifier().verify(await sign({ ...staffClaims, role: 'platform_admin', org: null, orgKind: null, region: '430000' }));
    expect(admin.regionCode).toBeNull();
  });

  it('refuses the token of a disabled user as user_disabled', async () => {
    const asked: string[] = [];
    const verifier = ownVerifier(async (userId) => (asked.push(userId), false));
    const refusal = await refusalOf(verifier.verify(await sign(staffClaims, { sub: 'user-13' })), 'user-13');
    expect(refusal.reason).toBe('user_disabled');
    expect(asked).toEqual(['user-13']);
  });

  it('refuses a token got with a revoked API key (its client_id) as api_key_revoked; another key’s, and a token naming none, pass', async () => {
    const verifier = new TokenVerifier({
      issuer: ownIssuer,
      audience: ACCESS_TOKEN_AUDIENCE,
      keys: createRemoteJWKSet(new URL(`${ownIssuer}/.well-known/jwks.json`)),
      isApiKeyRevoked: (apiKeyId) => apiKeyId === 'key_7c1e90ab',
    });
    const refusal = await refusalOf(verifier.verify(await sign({ ...staffClaims, client_id: 'key_7c1e90ab' })), 'key_7c1e90ab');
    expect(refusal.reason).toBe('api_key_revoked');
    expect((await verifier.verify(await sign({ ...staffClaims, client_id: 'key_52d4f0e3' }))).via).toBe('apiKey');
    // A key's token issued before the platform named the key in it.
    expect((await verifier.verify(await sign(staffClaims))).via).toBe('apiKey');
  });

  it('reads the token of an Authorization header; no header or another scheme is no_token', async () => {
    const verifier = ownVerifier();
    const token = await sign(staffClaims);
    expect((await verifier.fromAuthorizationHeader(`Bearer ${token}`)).userId).toBe('user-1');
    expect((await verifier.fromAuthorizationHeader(`bearer ${token}`)).userId).toBe('user-1');
    for (const header of [undefined, '', 'Bearer', 'Bearer ', `Basic ${Buffer.from('admin:secret').toString('base64')}`, token]) {
      expect((await refusalOf(verifier.fromAuthorizationHeader(header), 'secret')).reason).toBe('no_token');
    }
    expect((await refusalOf(verifier.fromAuthorizationHeader('Bearer not.a.token'))).reason).toBe('token_invalid');
  });
});

describe('tokenVerifierFromEnv', () => {
  /** Keycloak-shaped: roles in realm_access.roles, the organisation under `organization`, the username in preferred_username. */
  const realmClaims = {
    preferred_username: 'wang.fang',
    realm_access: { roles: ['offline_access', 'uma_authorization', 'evaluator_staff'] },
    organization: { id: 'evaluator-7', kind: 'evaluator', admin: 'true', region: '430100' },
    trainee_id: null,
    // A claim of the platform's own name must not be read when another is configured.
    role: 'platform_admin',
  };
  const keycloakEnv = {
    OIDC_ISSUER: '',
    OIDC_ROLE_CLAIM: 'realm_access.roles',
    OIDC_ORGANISATION_CLAIM: 'organization.id',
    OIDC_ORGANISATION_KIND_CLAIM: 'organization.kind',
    OIDC_ORG_ADMIN_CLAIM: 'organization.admin',
    OIDC_TRAINEE_CLAIM: 'trainee_id',
    OIDC_REGION_CLAIM: 'organization.region',
  };
  const ownKeys = () => ({ issuer: ownIssuer, keys: createRemoteJWKSet(new URL(`${ownIssuer}/.well-known/jwks.json`)) });
  const discoveryPath = '/realms/skills/.well-known/openid-configuration';

  it('with OIDC_ISSUER accepts that issuer’s tokens, mapping nested claims by the configured names, and refuses the platform’s own', async () => {
    const before = hits.get(discoveryPath) ?? 0;
    const verifier = tokenVerifierFromEnv({ ...keycloakEnv, OIDC_ISSUER: externalIssuer }, { ...ownKeys(), isActive: async () => false });
    expect(hits.get(discoveryPath) ?? 0).toBe(before); // discovery waits for the first token

    const caller = await verifier.verify(await sign(realmClaims, { key: external, iss: externalIssuer, sub: 'kc-5d1e' }));
    expect(caller).toStrictEqual<Caller>({
      userId: 'kc-5d1e',
      username: 'wang.fang',
      role: 'evaluator_staff',
      organisationId: 'evaluator-7',
      organisationKind: 'evaluator',
      orgAdmin: true,
      traineeId: null,
      regionCode: '430100',
      via: 'token',
    });
    await verifier.verify(await sign(realmClaims, { key: external, iss: externalIssuer }));
    expect(hits.get(discoveryPath)).toBe(before + 1);

    // The platform's own token: signed by a key the external issuer does not publish, naming the own issuer.
    expect((await refusalOf(verifier.verify(await sign(staffClaims)))).reason).toBe('token_invalid');
    // Signed by the external issuer's key but naming the own issuer.
    expect((await refusalOf(verifier.verify(await sign(realmClaims, { key: external, iss: ownIssuer })))).reason).toBe('wrong_issuer');
    // The default audience is the platform's.
    expect((await refusalOf(verifier.verify(await sign(realmClaims, { key: external, iss: externalIssuer, aud: 'account' })))).reason).toBe('wrong_audience');
    // Two of the platform's roles in the list: which one is not for the verifier to guess.
    const twoRoles = { ...realmClaims, realm_access: { roles: ['evaluator_staff', 'platform_admin'] } };
    expect((await refusalOf(verifier.verify(await sign(twoRoles, { key: external, iss: externalIssuer })))).reason).toBe('ambiguous_role');
  });

  it('takes the claim names’ defaults (and preferred_username) when only OIDC_ISSUER is set', async () => {
    const verifier = tokenVerifierFromEnv({ OIDC_ISSUER: externalIssuer }, ownKeys());
    const caller = await verifier.verify(await sign({ ...staffClaims, username: 'not-this', preferred_username: 'li.wei@school' }, { key: external, iss: externalIssuer }));
    expect(caller).toMatchObject({ username: 'li.wei@school', role: 'school_staff', organisationId: 'provider-1', organisationKind: 'provider', orgAdmin: true, via: 'apiKey' });
  });

  it('takes the keys from OIDC_JWKS_URI without discovery, and the audience from OIDC_AUDIENCE', async () => {
    const before = hits.get(discoveryPath) ?? 0;
    const verifier = tokenVerifierFromEnv(
      { ...keycloakEnv, OIDC_ISSUER: externalIssuer, OIDC_JWKS_URI: `${externalIssuer}/protocol/openid-connect/certs`, OIDC_AUDIENCE: 'skills-console' },
      ownKeys(),
    );
    const caller = await verifier.verify(await sign(realmClaims, { key: external, iss: externalIssuer, aud: 'skills-console' }));
    expect(caller.role).toBe('evaluator_staff');
    expect((await refusalOf(verifier.verify(await sign(realmClaims, { key: external, iss: externalIssuer })))).reason).toBe('wrong_audience');
    expect(hits.get(discoveryPath) ?? 0).toBe(before);
  });

  it('answers 503 (not 401) while the issuer’s discovery fails, and never trusts a document naming another issuer', async () => {
    const token = await sign(realmClaims, { key: external, iss: `${origin}/impostor` });
    const verifier = tokenVerifierFromEnv({ ...keycloakEnv, OIDC_ISSUER: `${origin}/impostor` }, ownKeys());
    const outcome = await verifier.verify(token).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(HttpException);
    expect(outcome).not.toBeInstanceOf(Unauthenticated);
    expect((outcome as HttpException).getStatus()).toBe(503);

    const missing = tokenVerifierFromEnv({ ...keycloakEnv, OIDC_ISSUER: `${origin}/nowhere` }, ownKeys());
    const missingOutcome = await missing.verify(token).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((missingOutcome as HttpException).getStatus()).toBe(503);
    // Not remembered: the next token asks again.
    await missing.verify(token).catch(() => undefined);
    expect(hits.get('/nowhere/.well-known/openid-configuration')).toBe(2);
  });

  it('refuses an OIDC_ISSUER that is not an http(s) URL at start-up', () => {
    expect(() => tokenVerifierFromEnv({ OIDC_ISSUER: 'keycloak/realms/skills' }, ownKeys())).toThrow(/OIDC_ISSUER must be an http\(s\) URL/);
  });

  it('without OIDC_ISSUER accepts the platform’s own tokens (asking isActive) and refuses the external issuer’s', async () => {
    const asked: string[] = [];
    const verifier = tokenVerifierFromEnv({ ...keycloakEnv }, { ...ownKeys(), isActive: async (userId) => (asked.push(userId), userId !== 'user-off') });
    const caller = await verifier.verify(await sign(staffClaims));
    expect(caller).toStrictEqual<Caller>({
      userId: 'user-1',
      username: 'li.wei',
      role: 'school_staff',
      organisationId: 'provider-1',
      organisationKind: 'provider',
      orgAdmin: true,
      traineeId: null,
      regionCode: '430202',
      via: 'apiKey',
    });
    expect(asked).toEqual(['user-1']);
    expect((await refusalOf(verifier.verify(await sign(staffClaims, { sub: 'user-off' })))).reason).toBe('user_disabled');
    expect((await refusalOf(verifier.verify(await sign(realmClaims, { key: external, iss: externalIssuer })))).reason).toBe('token_invalid');
  });
});
