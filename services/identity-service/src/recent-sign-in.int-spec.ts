// What a token in other hands must not do long after the sign-in it came from: make an API key (which
// outlives a password change and asks for no second factor). Access tokens carry the time of the sign-in
// that began their session (auth_time), kept across its renewals; the host's clock is moved to see one
// renewed after ten minutes refused.
import { Clock } from '@skills/domain-kernel';
import { TestDatabase, TestHost } from '@skills/testing';
import { decodeJwt } from 'jose';
import { callerOf, closeIdentitySpecHost, FIRST_ADMIN_PASSWORD, startIdentitySpecHost } from './identity-spec-host';

const MINUTE_MS = 60_000;

/** At the real second the run starts (the tokens it signs are checked against the wall clock), moved forward below. */
let instant = new Date(Math.floor(Date.now() / 1000) * 1000);
const clock: Clock = { now: () => new Date(instant) };

describe('identity: what needs a recent sign-in', () => {
  let database: TestDatabase;
  let host: TestHost;
  const call = callerOf(() => host);
  const signIn = async (username: string, password: string) => {
    const answer = await call('POST', '/oauth/token', { grant_type: 'password', username, password });
    expect(answer.status).toBe(200);
    return answer.body as { access_token: string; refresh_token: string };
  };
  const renew = async (refreshToken: string) => {
    const answer = await call('POST', '/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(answer.status).toBe(200);
    return answer.body as { access_token: string; refresh_token: string };
  };

  beforeAll(async () => {
    ({ database, host } = await startIdentitySpecHost({ clock }));
  });

  afterAll(() => closeIdentitySpecHost({ database, host }));

  it('makes an API key only with a token of a sign-in of the last ten minutes: a session renewed after them is refused 403 recent_sign_in_required', async () => {
    const admin = (await signIn('admin', FIRST_ADMIN_PASSWORD)).access_token;
    expect((await call('POST', '/api/v1/users', { username: 'key.maker', password: 'key-maker-pass', role: 'school_staff', organisationId: crypto.randomUUID() }, admin)).status).toBe(201);
    const session = await signIn('key.maker', 'key-maker-pass');
    const signedInAt = decodeJwt(session.access_token).auth_time;
    expect(signedInAt).toBe(instant.getTime() / 1000);
    expect((await call('POST', '/api/v1/api-keys', { name: 'fresh' }, session.access_token)).status).toBe(201);

    const startedAt = instant;
    try {
      instant = new Date(startedAt.getTime() + 11 * MINUTE_MS);
      // A renewal is no sign-in: its token carries the session's.
      const renewed = await renew(session.refresh_token);
      expect(decodeJwt(renewed.access_token).auth_time).toBe(signedInAt);
      expect(await call('POST', '/api/v1/api-keys', { name: 'stale' }, renewed.access_token)).toMatchObject({ status: 403, body: { rule: 'recent_sign_in_required' } });
      expect((await call('GET', '/api/v1/me', undefined, renewed.access_token)).status).toBe(200);
      // Signing in again makes it.
      expect((await call('POST', '/api/v1/api-keys', { name: 'again' }, (await signIn('key.maker', 'key-maker-pass')).access_token)).status).toBe(201);
    } finally {
      instant = startedAt;
    }
  });
});
