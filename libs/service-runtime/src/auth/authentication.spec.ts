import { ServiceUnavailableException } from '@nestjs/common';
import { ACCESS_TOKEN_AUDIENCE } from '@skills/contracts';
import { exportJWK, generateKeyPair, JSONWebKeySet, JWK, KeyLike, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DisabledUsers } from '../disabled-users';
import { RevokedApiKeys } from './revoked-api-keys';
import { RuntimeConfig } from '../runtime-config';
import { Authentication } from './authentication';
import { LocalIssuer } from './local-issuer';
import { Unauthenticated } from './token-verifier';

// The issuer's keys as the identity module in this process serves them (from the database), or as
// identity-service's JWKS does over HTTP: each read is counted, as each is a database read. The clock
// (Date.now, and the timers a token with an unknown kid waits on) is jest's, moved by hand here.

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

/** Every callback and promise that can run now has run (setImmediate is not one of the timers faked). */
const settled = () => new Promise((resolve) => setImmediate(resolve));

/** The clock's seconds for the tokens. */
const seconds = () => Math.floor(Date.now() / 1000);

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
  let signing: Key;
  let forger: Key;
  const saved = { OIDC_ISSUER: process.env.OIDC_ISSUER, IDENTITY_SERVICE_URL: process.env.IDENTITY_SERVICE_URL };

  const authenticate = (token: string) => authentication.authenticate(`Bearer ${token}`);
  const refusal = (token: string) =>
    authenticate(token).then(
      () => undefined,
      (error: unknown) => (error instanceof Unauthenticated ? error.reason : error),
    );
  const later = (milliseconds: number) => jest.advanceTimersByTimeAsync(milliseconds);

  beforeAll(async () => {
    delete process.env.OIDC_ISSUER;
    delete process.env.IDENTITY_SERVICE_URL;
    [signing, forger] = await Promise.all([newKey(), newKey()]);
  });

  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
  });

  beforeEach(() => {
    // Promises and crypto's callbacks run as they do; the clock and timers wait for `later`.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    published = [signing.jwk];
    jwks = jest.fn(async () => ({ keys: [...published] }));
    local = new LocalIssuer();
    local.register({ jwks, isActive: async () => true });
    authentication = new Authentication({ publicOrigin: ISSUER } as RuntimeConfig, local, new DisabledUsers(), new RevokedApiKeys());
  });

  afterEach(() => jest.useRealTimers());

  it('reads the keys for a token’s unknown kid at most once in 5 s: made-up kids cost no database read each', async () => {
    expect((await authenticate(await tokenOf(signing))).role).toBe('platform_admin');
    expect(jwks).toHaveBeenCalledTimes(1);

    // A burst of made-up kids waits for the next read, 5 s after the last, and is refused after it.
    const forged = await Promise.all(Array.from({ length: 10 }, () => tokenOf(forger, randomUUID())));
    const refusals = Promise.all(forged.map(refusal));
    await later(4_999);
    expect(jwks).toHaveBeenCalledTimes(1);
    await later(1);
    expect(await refusals).toEqual(forged.map(() => 'token_invalid'));
    expect(jwks).toHaveBeenCalledTimes(2);

    // The next burst, at once, waits for the read after: still one read for all of them.
    const again = Promise.all(forged.map(refusal));
    await later(5_000);
    expect(await again).toEqual(forged.map(() => 'token_invalid'));
    expect(jwks).toHaveBeenCalledTimes(3);
    // A token that names a known kid and is not signed by it costs no read, nor a wait.
    expect(await refusal(await tokenOf(forger, signing.kid))).toBe('token_invalid');
    expect(jwks).toHaveBeenCalledTimes(3);
  });

  it('accepts a key rotated in by another replica at the next read, 5 s after the last at most, and one rotated here at once', async () => {
    await authenticate(await tokenOf(signing));
    expect(jwks).toHaveBeenCalledTimes(1);

    // Another replica rotates (nothing in this process knows): its token, a second after the keys were read, waits for the next read and verifies.
    const rotated = await newKey();
    published = [rotated.jwk, signing.jwk];
    await later(1_000);
    let answered = false;
    const caller = authenticate(await tokenOf(rotated)).finally(() => (answered = true));
    await later(3_999);
    expect(answered).toBe(false);
    await later(1);
    expect((await caller).role).toBe('platform_admin');
    expect(jwks).toHaveBeenCalledTimes(2);

    // Rotated in this process (or signed with here, see SigningKeys.current): read at once, whenever the keys were read last.
    const next = await newKey();
    published = [next.jwk, rotated.jwk, signing.jwk];
    local.keysChanged();
    expect((await authenticate(await tokenOf(next))).role).toBe('platform_admin');
    expect(jwks).toHaveBeenCalledTimes(3);
  });

  it('does not take for a token a read of the keys begun before it came: the key rotated meanwhile is read after', async () => {
    await authenticate(await tokenOf(signing));
    await later(5_000);
    // The next read is slow, and reads the keys as they were when it began.
    const releases: Array<() => void> = [];
    jwks.mockImplementation(() => {
      const asRead = [...published];
      return new Promise((resolve) => releases.push(() => resolve({ keys: asRead })));
    });
    const forged = refusal(await tokenOf(forger, randomUUID()));
    await settled();
    expect(releases).toHaveLength(1);
    // Another replica rotates while that read is under way, and its token comes.
    const rotated = await newKey();
    published = [rotated.jwk, signing.jwk];
    const caller = authenticate(await tokenOf(rotated));
    await settled();
    releases[0]();
    await settled();
    expect(releases).toHaveLength(2);
    releases[1]();
    expect((await caller).role).toBe('platform_admin');
    expect(await forged).toBe('token_invalid');
  });

  it('answers an expired token of an unknown key as expired at once, with no wait and no read', async () => {
    await authenticate(await tokenOf(signing));
    const dropped = await newKey();
    const expired = await new SignJWT({ role: 'platform_admin' })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: dropped.kid })
      .setSubject(randomUUID())
      .setIssuer(ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setIssuedAt(seconds() - 600)
      .setExpirationTime(seconds() - 300)
      .sign(dropped.privateKey);
    expect(await refusal(expired)).toBe('token_expired');
    expect(jwks).toHaveBeenCalledTimes(1);
  });

  it('reads the keys again each minute: a key retired in another replica stops verifying within one', async () => {
    const token = await tokenOf(signing);
    await authenticate(token);
    published = [];
    await later(59_999);
    expect((await authenticate(token)).role).toBe('platform_admin');
    await later(1);
    // Its kid is unknown now: the token waits for one more read (5 s on: it could have been a rotation) and is refused.
    const refused = refusal(token);
    await later(5_000);
    expect(await refused).toBe('token_invalid');
    expect(jwks).toHaveBeenCalledTimes(3);
  });
});

describe('Authentication: the keys of identity-service, fetched over HTTP (a service deployed alone)', () => {
  const saved = { OIDC_ISSUER: process.env.OIDC_ISSUER, IDENTITY_SERVICE_URL: process.env.IDENTITY_SERVICE_URL };
  let server: Server;
  let answer: { status: number; keys: JWK[] };
  let fetches = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      fetches++;
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: answer.keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    delete process.env.OIDC_ISSUER;
    process.env.IDENTITY_SERVICE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const [name, value] of Object.entries(saved)) if (value === undefined) delete process.env[name];
    else process.env[name] = value;
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers 503 while identity-service cannot give its keys, and verifies with one fetch once it can', async () => {
    const signing = await newKey();
    const authentication = new Authentication({ publicOrigin: ISSUER } as RuntimeConfig, new LocalIssuer(), new DisabledUsers(), new RevokedApiKeys());
    const token = await tokenOf(signing);

    answer = { status: 503, keys: [] };
    const refused = await authentication.authenticate(`Bearer ${token}`).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ServiceUnavailableException);
    expect((refused as ServiceUnavailableException).getResponse()).toMatchObject({ reason: 'keys_unavailable' });

    answer = { status: 200, keys: [signing.jwk] };
    fetches = 0;
    expect((await authentication.authenticate(`Bearer ${token}`)).role).toBe('platform_admin');
    expect((await authentication.authenticate(`Bearer ${await tokenOf(signing)}`)).role).toBe('platform_admin');
    expect(fetches).toBe(1);
  });
});
