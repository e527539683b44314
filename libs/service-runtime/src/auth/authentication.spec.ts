import { ACCESS_TOKEN_AUDIENCE } from '@skills/contracts';
import { exportJWK, generateKeyPair, JSONWebKeySet, JWK, KeyLike, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { DisabledUsers } from '../disabled-users';
import { RuntimeConfig } from '../runtime-config';
import { Authentication } from './authentication';
import { LocalIssuer } from './local-issuer';
import { Unauthenticated } from './token-verifier';

// The issuer's keys as the identity module in this process serves them (from the database): each read
// is counted, as each is a database read. The clock of Authentication is Date.now, moved by hand here.

const ISSUER = 'http://localhost:3000';

interface Key {
  kid: string;
  privateKey: KeyLike;
  jwk: JWK;
}

async function newKey(): Promise<Key> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const kid = randomUUID();
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

/** The wall clock's seconds for the tokens (jose reads `new Date()`, which the mocked Date.now does not move). */
const seconds = () => Math.floor(new Date().getTime() / 1000);

/** A token as the platform signs it, with this key (or, `kid` given, under that kid). */
const tokenOf = (key: Key, kid = key.kid) =>
  new SignJWT({ role: 'platform_admin', username: 'admin', via: 'token' })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid })
    .setSubject(randomUUID())
    .setIssuer(ISSUER)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setIssuedAt(seconds() - 10)
    .setExpirationTime(seconds() + 300)
    .sign(key.privateKey);

describe('Authentication: the keys of the issuer in this process', () => {
  let published: JWK[];
  let jwks: jest.Mock<Promise<JSONWebKeySet>, []>;
  let local: LocalIssuer;
  let authentication: Authentication;
  let now: number;
  let signing: Key;
  let forger: Key;
  const saved = { OIDC_ISSUER: process.env.OIDC_ISSUER, IDENTITY_SERVICE_URL: process.env.IDENTITY_SERVICE_URL };

  const authenticate = (token: string) => authentication.authenticate(`Bearer ${token}`);
  const refusal = (token: string) =>
    authenticate(token).then(
      () => undefined,
      (error: unknown) => (error instanceof Unauthenticated ? error.reason : error),
    );
  const later = (milliseconds: number) => (now += milliseconds);

  beforeAll(async () => {
    delete process.env.OIDC_ISSUER;
    delete process.env.IDENTITY_SERVICE_URL;
    [signing, forger] = await Promise.all([newKey(), newKey()]);
  });

  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
  });

  beforeEach(() => {
    now = new Date().getTime();
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    published = [signing.jwk];
    jwks = jest.fn(async () => ({ keys: [...published] }));
    local = new LocalIssuer();
    local.register({ jwks, isActive: async () => true });
    authentication = new Authentication({ publicOrigin: ISSUER } as RuntimeConfig, local, new DisabledUsers());
  });

  afterEach(() => jest.restoreAllMocks());

  it('reads the keys for a token’s unknown kid at most once in 5 s: made-up kids cost no database read each', async () => {
    expect((await authenticate(await tokenOf(signing))).role).toBe('platform_admin');
    expect(jwks).toHaveBeenCalledTimes(1);

    const forged = await Promise.all(Array.from({ length: 10 }, () => tokenOf(forger, randomUUID())));
    for (const token of forged) expect(await refusal(token)).toBe('token_invalid');
    expect(jwks).toHaveBeenCalledTimes(1);

    // 5 s on, one more read: at once for a burst of them.
    later(5_000);
    expect(await Promise.all(forged.map(refusal))).toEqual(forged.map(() => 'token_invalid'));
    expect(jwks).toHaveBeenCalledTimes(2);
    later(4_999);
    for (const token of forged) expect(await refusal(token)).toBe('token_invalid');
    expect(jwks).toHaveBeenCalledTimes(2);
    // A token that names a known kid and is not signed by it costs no read either.
    expect(await refusal(await tokenOf(forger, signing.kid))).toBe('token_invalid');
    expect(jwks).toHaveBeenCalledTimes(2);
  });

  it('finds a key rotated in by another replica within 5 s of the last read, and one rotated here at once', async () => {
    await authenticate(await tokenOf(signing));
    expect(jwks).toHaveBeenCalledTimes(1);

    // Another replica rotates (nothing in this process knows): its tokens verify here once 5 s have passed since the keys were read.
    const rotated = await newKey();
    published = [rotated.jwk, signing.jwk];
    later(1_000);
    expect(await refusal(await tokenOf(rotated))).toBe('token_invalid');
    later(4_000);
    expect((await authenticate(await tokenOf(rotated))).role).toBe('platform_admin');
    expect(jwks).toHaveBeenCalledTimes(2);

    // Rotated in this process (or signed with here, see SigningKeys.current): read at once, whenever the keys were read last.
    const next = await newKey();
    published = [next.jwk, rotated.jwk, signing.jwk];
    local.keysChanged();
    expect((await authenticate(await tokenOf(next))).role).toBe('platform_admin');
    expect(jwks).toHaveBeenCalledTimes(3);
  });

  it('reads the keys again each minute: a key retired in another replica stops verifying within one', async () => {
    const token = await tokenOf(signing);
    await authenticate(token);
    published = [];
    later(59_999);
    expect((await authenticate(token)).role).toBe('platform_admin');
    later(1);
    expect(await refusal(token)).toBe('token_invalid');
    expect(jwks).toHaveBeenCalledTimes(2);
  });
});
