// ACCESS_TOKEN_SECONDS over HTTP on a real Postgres, with the shortest lifetime allowed (5 s): the token
// says so (expires_in, exp), is refused once it has expired, and the session goes on through the
// refresh_token grant, whose new access token works.
import { createTestDatabase, http, startTestHost, TEST_ADMIN_PASSWORD, TestDatabase, TestHost } from '@skills/testing';
import { decodeJwt } from 'jose';
import { IdentityModule } from '../identity.module';

const LIFETIME_SECONDS = 5;

describe('identity: an access token lives ACCESS_TOKEN_SECONDS, and the refresh token outlives it', () => {
  let database: TestDatabase;
  let host: TestHost;
  const me = (accessToken: string) => http(host.baseUrl, 'GET', '/api/v1/me', undefined, { authorization: `Bearer ${accessToken}` });

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: [IdentityModule], transport: 'in-process', databaseUrl: database.url, settings: { ACCESS_TOKEN_SECONDS: String(LIFETIME_SECONDS) } });
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  it('refuses the expired token with 401 token_expired; the refresh_token grant gives a new one that works', async () => {
    const signedIn = await http(host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username: 'admin', password: TEST_ADMIN_PASSWORD });
    expect(signedIn).toMatchObject({ status: 200, body: { expires_in: LIFETIME_SECONDS, refresh_token: expect.any(String) } });
    const claims = decodeJwt(signedIn.body.access_token);
    const [issuedAt, expiresAt] = [Number(claims.iat), Number(claims.exp)];
    expect(expiresAt - issuedAt).toBe(LIFETIME_SECONDS);
    expect((await me(signedIn.body.access_token)).status).toBe(200);

    // jose refuses a token once now >= exp (no clock tolerance): wait for the wall clock to pass it.
    await new Promise((resolve) => setTimeout(resolve, expiresAt * 1000 - Date.now() + 200));
    expect(await me(signedIn.body.access_token)).toMatchObject({ status: 401, body: { reason: 'token_expired' } });

    const refreshed = await http(host.baseUrl, 'POST', '/oauth/token', { grant_type: 'refresh_token', refresh_token: signedIn.body.refresh_token });
    expect(refreshed).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: LIFETIME_SECONDS, refresh_token: expect.any(String) } });
    expect(await me(refreshed.body.access_token)).toMatchObject({ status: 200, body: { username: 'admin', role: 'platform_admin' } });
  }, 20_000);

  it('refuses a lifetime below 5 seconds at start', async () => {
    await expect(startTestHost({ modules: [IdentityModule], transport: 'in-process', databaseUrl: database.url, settings: { ACCESS_TOKEN_SECONDS: '4' } })).rejects.toThrow(
      'ACCESS_TOKEN_SECONDS must be an integer from 5 to 3600 (got "4")',
    );
  });
});
