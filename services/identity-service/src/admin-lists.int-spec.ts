// identity-service's lists for administrators: an organisation's users (GET /api/v1/users) to whom may
// create and disable them (domain.md section 9), and API keys (GET /api/v1/api-keys) to their owner and
// their organisation's administrator, never with a secret.
import { BRAND_TOPIC, BureauRegisteredV1, EmployerRegisteredV1, PLACEMENT_TOPIC, ProviderRegisteredV1, TRAINING_TOPIC } from '@skills/contracts';
import { appendToStream, readStream, RecordedEvent } from '@skills/event-sourcing';
import { Database } from '@skills/postgres';
import { fact, publishFacts, testCreditCode, TestDatabase, TestHost } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { userDirectory } from './users/list-users/user-directory.projection';
import { UserEvent, userStreamId } from './users/user.aggregate';
import { accessTokenOf, callerOf, closeIdentitySpecHost, FIRST_ADMIN_PASSWORD, startIdentitySpecHost } from './identity-spec-host';


interface UsersPage {
  items: { id: string; username: string | null; role: string; orgAdmin: boolean; organisationId: string | null; traineeId: string | null; status: string; passwordChangeRequired: boolean; createdOn: string }[];
  nextCursor: string | null;
}

describe('identity: the lists of users and API keys for administrators', () => {
  let database: TestDatabase;
  let host: TestHost;
  const call = callerOf(() => host);
  const tokenOf = accessTokenOf(() => host);
  const zhuzhou: BureauRegisteredV1 = { bureauId: randomUUID(), name: '株洲市人力资源和社会保障局', regionCode: '430200' };
  const changsha: BureauRegisteredV1 = { bureauId: randomUUID(), name: '长沙市人力资源和社会保障局', regionCode: '430100' };
  const hunan: BureauRegisteredV1 = { bureauId: randomUUID(), name: '湖南省人力资源和社会保障厅', regionCode: '430000' };
  const school: ProviderRegisteredV1 = { providerId: randomUUID(), name: '株洲铆焊学校', creditCode: testCreditCode(34_100), regionCode: '430202' };
  const employer: EmployerRegisteredV1 = { employerId: randomUUID(), name: '株洲轨道装备', creditCode: testCreditCode(34_101), industryCode: 'C37', regionCode: '430211' };
  let admin: string;
  /** Creates a user as the admin and answers its id and a token of it. */
  const user = async (username: string, fields: Record<string, unknown>) => {
    const created = await call('POST', '/api/v1/users', { username, password: `${username}-password`, ...fields }, admin);
    expect(created.status).toBe(201);
    return { id: created.body.id as string, token: await tokenOf(username, `${username}-password`) };
  };
  const users = async (token: string, query = '') => call('GET', `/api/v1/users?consistent=true${query}`, undefined, token);

  beforeAll(async () => {
    ({ database, host } = await startIdentitySpecHost());
    await publishFacts(host, [
      fact(BRAND_TOPIC, 'BureauRegistered', zhuzhou, { key: zhuzhou.bureauId }),
      fact(BRAND_TOPIC, 'BureauRegistered', changsha, { key: changsha.bureauId }),
      fact(BRAND_TOPIC, 'BureauRegistered', hunan, { key: hunan.bureauId }),
      fact(TRAINING_TOPIC, 'ProviderRegistered', school, { key: school.providerId }),
      fact(PLACEMENT_TOPIC, 'EmployerRegistered', employer, { key: employer.employerId }),
    ]);
    admin = await tokenOf('admin', FIRST_ADMIN_PASSWORD);
  });

  afterAll(() => closeIdentitySpecHost({ database, host }));

  it('lists an organisation’s users newest first, a page at a time, to whoever may create and disable them', async () => {
    const schoolAdmin = await user('list.school.admin', { role: 'school_staff', organisationId: school.providerId, orgAdmin: true });
    const clerk = await user('list.school.clerk', { role: 'school_staff', organisationId: school.providerId });
    const employerAdmin = await user('list.employer.admin', { role: 'employer_staff', organisationId: employer.employerId, orgAdmin: true });
    const zhuzhouOfficer = await user('list.zhuzhou', { role: 'bureau_officer', organisationId: zhuzhou.bureauId });
    const changshaOfficer = await user('list.changsha', { role: 'bureau_officer', organisationId: changsha.bureauId });
    expect((await call('POST', `/api/v1/users/${clerk.id}/disable`, undefined, admin)).status).toBe(200);

    // The administrator's own organisation by default: both users, newest first, the clerk disabled.
    const own = await users(schoolAdmin.token);
    expect(own.status).toBe(200);
    expect(own.body.nextCursor).toBeNull();
    expect((own.body as UsersPage).items).toEqual([
      { id: clerk.id, username: 'list.school.clerk', role: 'school_staff', orgAdmin: false, organisationId: school.providerId, organisationKind: 'provider', traineeId: null, status: 'disabled', passwordChangeRequired: false, createdOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
      { id: schoolAdmin.id, username: 'list.school.admin', role: 'school_staff', orgAdmin: true, organisationId: school.providerId, organisationKind: 'provider', traineeId: null, status: 'active', passwordChangeRequired: false, createdOn: expect.any(String) },
    ]);
    // Whether a password must still be changed, never a password nor its hash.
    expect(JSON.stringify(own.body).replaceAll(/"passwordChangeRequired":(true|false)/g, '')).not.toMatch(/password|scrypt/i);
    // A page of one, then the next.
    const first = await users(admin, `&organisationId=${school.providerId}&limit=1`);
    expect(first.body.items.map((item: { id: string }) => item.id)).toEqual([clerk.id]);
    const second = await users(admin, `&organisationId=${school.providerId}&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ items: [{ id: schoolAdmin.id }], nextCursor: null });
    // The bureau of the school's region; the platform admin all users.
    expect((await users(zhuzhouOfficer.token, `&organisationId=${school.providerId}`)).body.items).toHaveLength(2);
    expect((await users(admin)).body.items.map((item: { id: string }) => item.id)).toEqual(expect.arrayContaining([clerk.id, employerAdmin.id, changshaOfficer.id]));

    // Refused, naming users:read: another organisation's administrator, staff who do not administer, a bureau elsewhere, naming none or one the register does not hold.
    const helper = await user('list.school.helper', { role: 'school_staff', organisationId: school.providerId });
    for (const [token, query] of [
      [employerAdmin.token, `&organisationId=${school.providerId}`],
      [helper.token, ''],
      [changshaOfficer.token, `&organisationId=${school.providerId}`],
      [zhuzhouOfficer.token, ''],
      [zhuzhouOfficer.token, `&organisationId=${randomUUID()}`],
    ]) {
      expect(await users(token, query)).toMatchObject({ status: 403, body: { permission: 'users:read' } });
    }
  });

  it('leaves a bureau’s own users to its administrator: an officer who administers nothing, and a province over a city bureau, are refused', async () => {
    const bureauAdmin = await user('bureau.zz.admin', { role: 'bureau_officer', organisationId: zhuzhou.bureauId, orgAdmin: true });
    const officer = await user('bureau.zz.officer', { role: 'bureau_officer', organisationId: zhuzhou.bureauId });
    const province = await user('bureau.hn.admin', { role: 'bureau_officer', organisationId: hunan.bureauId, orgAdmin: true });
    const newOfficer = { password: 'new-officer-password', role: 'bureau_officer', organisationId: zhuzhou.bureauId, orgAdmin: true };

    // Neither the bureau's own officer who is no administrator nor the province creates, resets, disables or lists them.
    for (const token of [officer.token, province.token]) {
      expect(await call('POST', '/api/v1/users', { username: `bureau.zz.${randomUUID().slice(0, 8)}`, ...newOfficer }, token)).toMatchObject({ status: 403, body: { permission: 'users:create' } });
      expect(await call('POST', `/api/v1/users/${bureauAdmin.id}/password`, { password: 'taken-over-password' }, token)).toMatchObject({ status: 403, body: { permission: 'users:password' } });
      expect(await call('POST', `/api/v1/users/${bureauAdmin.id}/disable`, undefined, token)).toMatchObject({ status: 403, body: { permission: 'users:disable' } });
      expect(await users(token, `&organisationId=${zhuzhou.bureauId}`)).toMatchObject({ status: 403, body: { permission: 'users:read' } });
    }
    // The bureau's administrator password still signs in: nothing was taken over.
    await tokenOf('bureau.zz.admin', 'bureau.zz.admin-password');

    // Its administrator does, and the province keeps its reach over the schools of its region.
    expect((await call('POST', '/api/v1/users', { username: 'bureau.zz.second', ...newOfficer }, bureauAdmin.token)).status).toBe(201);
    expect((await call('POST', `/api/v1/users/${officer.id}/password`, { password: 'reset-by-its-admin' }, bureauAdmin.token)).status).toBe(200);
    expect((await users(bureauAdmin.token, `&organisationId=${zhuzhou.bureauId}`)).body.items.map((item: { username: string }) => item.username)).toEqual(
      expect.arrayContaining(['bureau.zz.admin', 'bureau.zz.officer', 'bureau.zz.second']),
    );
    // Its own bureau's by default, as any organisation's administrator.
    expect((await users(bureauAdmin.token)).body.items.map((item: { organisationId: string }) => item.organisationId)).toEqual(expect.arrayContaining([zhuzhou.bureauId]));
    expect(new Set((await users(bureauAdmin.token)).body.items.map((item: { organisationId: string }) => item.organisationId))).toEqual(new Set([zhuzhou.bureauId]));
    expect((await call('POST', '/api/v1/users', { username: 'bureau.hn.school', password: 'school-by-province', role: 'school_staff', organisationId: school.providerId }, province.token)).status).toBe(201);
    expect((await users(province.token, `&organisationId=${school.providerId}`)).status).toBe(200);
  });

  it('refuses a malformed organisation id or cursor naming the field', async () => {
    expect(await users(admin, '&organisationId=not-a-uuid')).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field: 'organisationId' })] } });
    expect(await users(admin, '&cursor=bm90LWEtY3Vyc29y')).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field: 'cursor' })] } });
  });

  it('lists a user’s own API keys, an administrator also its organisation’s, and a platform admin every one, never with a secret', async () => {
    const employerAdmin = await user('keys.employer.admin', { role: 'employer_staff', organisationId: employer.employerId, orgAdmin: true });
    const clerk = await user('keys.employer.clerk', { role: 'employer_staff', organisationId: employer.employerId });
    const outsider = await user('keys.school.clerk', { role: 'school_staff', organisationId: school.providerId });
    const made = async (token: string, name: string) => (await call('POST', '/api/v1/api-keys', { name }, token)).body as { clientId: string; clientSecret: string };
    const clerkKey = await made(clerk.token, '夜间导入');
    const adminKey = await made(employerAdmin.token, '证书导入');
    const outsiderKey = await made(outsider.token, '学籍导入');
    expect((await call('DELETE', `/api/v1/api-keys/${clerkKey.clientId}`, undefined, employerAdmin.token)).status).toBe(204);

    const ofClerk = await call('GET', '/api/v1/api-keys', undefined, clerk.token);
    expect(ofClerk.status).toBe(200);
    expect(ofClerk.body).toEqual({
      items: [{ clientId: clerkKey.clientId, name: '夜间导入', createdAt: expect.any(String), createdBy: clerk.id, createdByUsername: 'keys.employer.clerk', status: 'revoked' }],
      nextCursor: null,
    });
    const ofAdmin = await call('GET', '/api/v1/api-keys', undefined, employerAdmin.token);
    expect(ofAdmin.body.items.map((key: { clientId: string; status: string }) => [key.clientId, key.status])).toEqual([
      [adminKey.clientId, 'active'],
      [clerkKey.clientId, 'revoked'],
    ]);
    const everything = JSON.stringify([ofClerk.body, ofAdmin.body]);
    for (const secret of [clerkKey.clientSecret, adminKey.clientSecret]) expect(everything).not.toContain(secret);
    expect(everything).not.toContain(outsiderKey.clientId);
    // A platform admin revokes any key, so it reads every one: the three, newest first, never a secret.
    const ofPlatform = await call('GET', '/api/v1/api-keys', undefined, admin);
    expect(ofPlatform.body.items.map((key: { clientId: string }) => key.clientId)).toEqual(expect.arrayContaining([outsiderKey.clientId, adminKey.clientId, clerkKey.clientId]));
    for (const secret of [clerkKey.clientSecret, adminKey.clientSecret, outsiderKey.clientSecret]) expect(JSON.stringify(ofPlatform.body)).not.toContain(secret);
    // Paged: one, then the other.
    const first = await call('GET', '/api/v1/api-keys?limit=1', undefined, employerAdmin.token);
    const second = await call('GET', `/api/v1/api-keys?limit=1&cursor=${first.body.nextCursor}`, undefined, employerAdmin.token);
    expect([...first.body.items, ...second.body.items].map((key: { clientId: string }) => key.clientId)).toEqual([adminKey.clientId, clerkKey.clientId]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('keeps the directory of users the same whatever order the log holds a user’s events in', async () => {
    // The log is read in the order of the transactions' ids: an erasure's chunk whose transaction took its id
    // before the activation that created the user holds UserDisabled and UserErased ahead of UserCreated.
    const clerk = await user('order.school.clerk', { role: 'school_staff', organisationId: school.providerId });
    expect((await call('POST', `/api/v1/users/${clerk.id}/disable`, undefined, admin)).status).toBe(200);
    const identity = host.app.get(Database, { strict: false });
    const statusIn = async (table: string) => (await identity.query<{ status: string }>(`SELECT status FROM ${table} WHERE user_id = $1`, [clerk.id])).rows.map((row) => row.status);
    const applied = async (table: string, events: RecordedEvent<UserEvent>[]) => {
      await identity.transaction(async (tx) => {
        await userDirectory.createTable(tx, table);
        for (const event of events) await userDirectory.apply(tx, table, event);
      });
    };
    const stream = await readStream<UserEvent>(identity, userStreamId(clerk.id));
    const [created, disabled] = [stream.find((event) => event.type === 'UserCreated')!, stream.find((event) => event.type === 'UserDisabled')!];
    await applied('directory_disabled_first', [disabled, created]);
    expect(await statusIn('directory_disabled_first')).toEqual(['disabled']);

    await identity.transaction((tx) => appendToStream(tx, 'identity', userStreamId(clerk.id), 'any', [{ type: 'UserErased', data: { userId: clerk.id, erasedOn: '2026-12-06' } }], { correlationId: randomUUID() }));
    const erased = (await readStream<UserEvent>(identity, userStreamId(clerk.id))).find((event) => event.type === 'UserErased')!;
    await applied('directory_erased_first', [erased, disabled, created]);
    expect(await statusIn('directory_erased_first')).toEqual([]);
    await identity.query('DROP TABLE directory_disabled_first, directory_erased_first');
  });
});
