// Signing out on the server (RFC 7009): POST /oauth/revoke ends the session of a refresh token, whose
// tokens then renew no more; any token at all is answered 200, and other sessions go on.
import { TestDatabase, TestHost } from '@skills/testing';
import { callerOf, closeIdentitySpecHost, FIRST_ADMIN_PASSWORD, startIdentitySpecHost } from '../identity-spec-host';
import { RefreshTokens } from './refresh-tokens';

describe('identity: revoking a refresh token (signing out)', () => {
  let database: TestDatabase;
  let host: TestHost;
  const call = callerOf(() => host);
  const signIn = async () => {
    const answer = await call('POST', '/oauth/token', { grant_type: 'password', username: 'admin', password: FIRST_ADMIN_PASSWORD });
    expect(answer.status).toBe(200);
    return answer.body as { access_token: string; refresh_token: string };
  };
  const renew = (refreshToken: string) => call('POST', '/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken });
  /** As an OAuth client sends it: a form. */
  const revoke = (fields: Record<string, string>) => fetch(`${host.baseUrl}/oauth/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });

  beforeAll(async () => {
    ({ database, host } = await startIdentitySpecHost());
  });

  afterAll(() => closeIdentitySpecHost({ database, host }));

  it('ends the session of a revoked refresh token, renewed or not, and no other', async () => {
    const signedIn = await signIn();
    const renewed = await renew(signedIn.refresh_token);
    expect(renewed.status).toBe(200);
    const other = await signIn();

    const revoked = await revoke({ token: renewed.body.refresh_token, token_type_hint: 'refresh_token' });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toEqual({});
    expect(revoked.headers.get('cache-control')).toBe('no-store');
    expect(await renew(renewed.body.refresh_token)).toMatchObject({ status: 401, body: { rule: 'invalid_grant' } });
    // The session's earlier token (used already) renews nothing either.
    expect(await renew(signedIn.refresh_token)).toMatchObject({ status: 401, body: { rule: 'invalid_grant' } });
    // Another session of the same user goes on.
    expect((await renew(other.refresh_token)).status).toBe(200);
  });

  it('ends a renewal under way in another tab with the session: its token, used before the sign-out and written after it, renews nothing', async () => {
    const tokens = host.app.get(RefreshTokens, { strict: false });
    const signedIn = await signIn();
    // The other tab's renewal: its token used, then the sign-out, then the next token written.
    const session = await tokens.use(signedIn.refresh_token);
    expect(session).toBeDefined();
    expect((await revoke({ token: signedIn.refresh_token })).status).toBe(200);
    const written = await tokens.renew(session!);
    expect(await renew(written)).toMatchObject({ status: 401, body: { rule: 'invalid_grant' } });
  });

  it('answers 200 to a token it does not know, and to one revoked before; 400 naming `token` when none is sent', async () => {
    expect((await revoke({ token: 'not-a-token-of-ours' })).status).toBe(200);
    const { refresh_token: refreshToken, access_token: accessToken } = await signIn();
    expect((await revoke({ token: accessToken, token_type_hint: 'access_token', client_id: 'skills-console' })).status).toBe(200);
    expect((await revoke({ token: refreshToken })).status).toBe(200);
    expect((await revoke({ token: refreshToken })).status).toBe(200);
    expect(await renew(refreshToken)).toMatchObject({ status: 401, body: { rule: 'invalid_grant' } });
    const missing = await call('POST', '/oauth/revoke', {});
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toContainEqual(expect.objectContaining({ field: 'token', rule: 'isString' }));
  });
});
