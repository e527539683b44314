// Nobody disables themself (409 cannot_disable_self): a disabled user is never enabled again and its username
// never freed, so an organisation's administrator disabling themself would leave it with nobody to manage it.
// Another of its administrators, or a platform admin, does it.
import { ProviderRegisteredV1, TRAINING_TOPIC } from '@skills/contracts';
import { fact, publishFacts, testCreditCode, TestDatabase, TestHost } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { accessTokenOf, callerOf, closeIdentitySpecHost, FIRST_ADMIN_PASSWORD, startIdentitySpecHost } from './identity-spec-host';

describe('identity: disabling oneself', () => {
  let database: TestDatabase;
  let host: TestHost;
  const call = callerOf(() => host);
  const tokenOf = accessTokenOf(() => host);
  const disable = (userId: string, token: string) => call('POST', `/api/v1/users/${userId}/disable`, undefined, token);
  const provider: ProviderRegisteredV1 = { providerId: randomUUID(), name: '株洲新希望焊接培训学校', creditCode: testCreditCode(71), regionCode: '430202' };
  let admin: string;

  /** A new user signed in as themself: its id and token. */
  const signedIn = async (fields: Record<string, unknown>) => {
    const username = `self.${randomUUID().slice(0, 8)}`;
    const created = await call('POST', '/api/v1/users', { username, password: 'a-long-password', ...fields }, admin);
    expect(created.status).toBe(201);
    return { id: created.body.id as string, token: await tokenOf(username, 'a-long-password') };
  };

  beforeAll(async () => {
    ({ database, host } = await startIdentitySpecHost());
    await publishFacts(host, [fact(TRAINING_TOPIC, 'ProviderRegistered', provider, { key: provider.providerId })]);
    admin = await tokenOf('admin', FIRST_ADMIN_PASSWORD);
  });

  afterAll(() => closeIdentitySpecHost({ database, host }));

  it("refuses an organisation's administrator disabling themself (409 cannot_disable_self), who still signs in; another administrator disables them", async () => {
    const own = await signedIn({ role: 'school_staff', organisationId: provider.providerId, orgAdmin: true });
    expect(await disable(own.id, own.token)).toMatchObject({ status: 409, body: { rule: 'cannot_disable_self' } });
    expect((await call('GET', '/api/v1/me', undefined, own.token)).status).toBe(200);

    const other = await signedIn({ role: 'school_staff', organisationId: provider.providerId, orgAdmin: true });
    expect(await disable(own.id, other.token)).toMatchObject({ status: 200, body: { status: 'disabled' } });
  });

  it('refuses a platform admin disabling themself when another platform admin is left (409 cannot_disable_self); a platform admin disables them', async () => {
    const own = await signedIn({ role: 'platform_admin' });
    expect(await disable(own.id, own.token)).toMatchObject({ status: 409, body: { rule: 'cannot_disable_self' } });
    expect(await disable(own.id, admin)).toMatchObject({ status: 200 });
  });
});
