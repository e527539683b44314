// A token issuer for tests of services that run without identity-service in their host: it signs
// tokens exactly as identity-service does (ES256, the platform's issuer name and audience, the same
// claims) and serves its JWKS on 127.0.0.1, and hosts find it through IDENTITY_SERVICE_URL. The
// services' token checks stay the real ones: jose against the JWKS, issuer, audience, expiry.
import { ACCESS_TOKEN_AUDIENCE, AccessTokenClaims, ORGANISATION_KIND_OF_ROLE } from '@skills/contracts';
import { exportJWK, generateKeyPair, KeyLike, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import type { TestUser } from './sign-in';

/** The issuer name every process agrees on by default (PUBLIC_ORIGIN). */
const PLATFORM_ISSUER = 'http://localhost:3000';

export interface TestIssuer {
  url: string;
  /**
   * An access token, valid for an hour, for a user of that role: the same user for the same role,
   * organisation and trainee (as one clerk repeating a request would be), unless `userId` names another.
   * Its sign-in (`auth_time`) is now, unless `signedInAt` says when (what needs a recent sign-in).
   */
  token(user: IssuedUser): Promise<string>;
}

/** `apiKeyId`: a client-credentials token's key, in `client_id` as identity-service names it (give `via: 'apiKey'` too). */
type IssuedUser = TestUser & { userId?: string; username?: string; signedInAt?: Date; apiKeyId?: string };

let running: Promise<TestIssuer> | undefined;

/** The worker's test issuer, started once; sets IDENTITY_SERVICE_URL so hosts started afterwards trust it. */
export function testIssuer(): Promise<TestIssuer> {
  running ??= start();
  return running;
}

async function start(): Promise<TestIssuer> {
  const kid = randomUUID();
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] });
  const server = createServer((request, response) => {
    // connection: close, so no kept-alive socket holds a finished Jest worker open.
    if (request.url !== '/.well-known/jwks.json') return void response.writeHead(404, { connection: 'close' }).end();
    response.writeHead(200, { 'content-type': 'application/json', connection: 'close' }).end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Ends with the worker: tests never stop it.
  server.unref();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.IDENTITY_SERVICE_URL = url;
  const users = new Map<string, string>();
  const userOf = (user: TestUser) => {
    const key = `${user.role}/${user.organisationId ?? ''}/${user.traineeId ?? ''}`;
    if (!users.has(key)) users.set(key, randomUUID());
    return users.get(key) as string;
  };
  return { url, token: (user) => sign(privateKey, kid, { ...user, userId: user.userId ?? userOf(user) }) };
}

function sign(key: KeyLike, kid: string, user: IssuedUser): Promise<string> {
  const claims: Omit<AccessTokenClaims, 'sub'> = {
    username: user.username ?? `${user.role}.test`,
    role: user.role,
    org: user.organisationId ?? null,
    orgKind: ORGANISATION_KIND_OF_ROLE[user.role],
    orgAdmin: user.orgAdmin ?? false,
    trainee: user.traineeId ?? null,
    region: user.regionCode ?? null,
    via: user.via ?? 'token',
  };
  // As identity-service: a sign-in's time, or a client-credentials token's own issue.
  const signedInAt = Math.floor((user.signedInAt ?? new Date()).getTime() / 1000);
  return new SignJWT({ ...claims, auth_time: signedInAt, ...(user.apiKeyId ? { client_id: user.apiKeyId } : {}) })
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
    .setIssuer(process.env.PUBLIC_ORIGIN ?? PLATFORM_ISSUER)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setSubject(user.userId ?? randomUUID())
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(key);
}
