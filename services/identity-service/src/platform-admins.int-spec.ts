// The platform keeps an active platform admin: the last one is not disabled, by itself or by another
// disabling it at the same time as it disables them (domain.md section 9: platform admins manage every user).
import { TestDatabase, TestHost } from '@skills/testing';
import { accessTokenOf, callerOf, closeIdentitySpecHost, FIRST_ADMIN_PASSWORD, startIdentitySpecHost } from './identity-spec-host';


describe('identity: the last active platform admin', () => {
  let database: TestDatabase;
  let host: TestHost;
  const call = callerOf(() => host);
  const tokenOf = accessTokenOf(() => host);
  const disable = (userId: string, token: string) => call('POST', `/api/v1/users/${userId}/disable`, undefined, token);

  beforeAll(async () => {
    ({ database, host } = await startIdentitySpecHost());
  });

  afterAll(() => closeIdentitySpecHost({ database, host }));

  it('refuses to disable the only active platform admin (409 last_platform_admin), and leaves one of two disabling each other at once', async () => {
    const first = await tokenOf('admin', FIRST_ADMIN_PASSWORD);
    const firstId = (await call('GET', '/api/v1/me', undefined, first)).body.userId as string;
    expect(await disable(firstId, first)).toMatchObject({ status: 409, body: { rule: 'last_platform_admin' } });
    expect((await call('GET', '/api/v1/me', undefined, first)).status).toBe(200);

    const created = await call('POST', '/api/v1/users', { username: 'second.admin', password: 'second-admin-password', role: 'platform_admin' }, first);
    expect(created.status).toBe(201);
    const second = await tokenOf('second.admin', 'second-admin-password');
    const answers = await Promise.all([disable(created.body.id, first), disable(firstId, second)]);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    // The other is refused as the last one; or, its caller disabled a moment before, its token is (401).
    const refused = answers.find((answer) => answer.status !== 200);
    expect([
      { status: 409, why: 'last_platform_admin' },
      { status: 401, why: 'user_disabled' },
    ]).toContainEqual({ status: refused?.status, why: refused?.body.rule ?? refused?.body.reason });
    // One of them still administers the platform.
    const still = await Promise.all([first, second].map(async (token) => (await call('GET', '/api/v1/me', undefined, token)).status));
    expect(still.sort()).toEqual([200, 401]);
  });
});
