// What a token of a session that a password change or a second factor's reset ended may no longer do: make
// or change a credential (an API key, a user, a password, a second factor), though it lives out its minutes.
// Signed in for real through /oauth/token, reset through the administrators' routes; the host's clock is
// moved a second on between the sign-in and the reset (a token's auth_time is known to the second). And a
// platform admin makes no API key (domain.md section 9), nor does a key one made before get a token.
import { Clock } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { TestDatabase, TestHost } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { ApiKeys } from './api-keys/api-keys';
import { callerOf, closeIdentitySpecHost, FIRST_ADMIN_PASSWORD, startIdentitySpecHost } from './identity-spec-host';

/** At a whole second of the wall clock (the tokens it signs are checked against it), moved on by `later`. */
let instant = Math.floor(Date.now() / 1000) * 1000;
const clock: Clock = { now: () => new Date(instant) };
/** The next second: a sign-in before it is before what is done after. */
const later = () => (instant += 1000);

describe('identity: a session ended by a password or second factor reset sets no credential', () => {
  let database: TestDatabase;
  let host: TestHost;
  let admin: string;
  const call = callerOf(() => host);
  const signIn = async (username: string, password: string, extra: Record<string, string> = {}) => {
    const answer = await call('POST', '/oauth/token', { grant_type: 'password', username, password, ...extra });
    expect(answer.status).toBe(200);
    return answer.body.access_token as string;
  };
  const createUser = async (fields: Record<string, unknown>) => {
    const created = await call('POST', '/api/v1/users', { password: 'a-long-password', ...fields }, admin);
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const resetPassword = async (userId: string, password: string) => expect((await call('POST', `/api/v1/users/${userId}/password`, { password }, admin)).status).toBe(200);
  /** The event types of a user's stream, and their API keys: what a refused command must not have added. */
  const recordedFor = async (userId: string) => {
    const sql = host.app.get(Database, { strict: false });
    const events = await sql.query<{ event_type: string }>('SELECT event_type FROM events WHERE stream_id = $1 ORDER BY stream_version', [`user-${userId}`]);
    const keys = await sql.query<{ client_id: string }>('SELECT client_id FROM api_keys WHERE user_id = $1', [userId]);
    return { events: events.rows.map((row) => row.event_type), keys: keys.rows.length };
  };
  const sessionEnded = { status: 401, body: { reason: 'session_ended', type: 'urn:skills:http:401' } };

  beforeAll(async () => {
    // Bureau officers enrol a second factor before they sign in: the token that only enrols it.
    process.env.REQUIRE_TOTP_ROLES = 'bureau_officer';
    ({ database, host } = await startIdentitySpecHost({ clock }).finally(() => delete process.env.REQUIRE_TOTP_ROLES));
    admin = await signIn('admin', FIRST_ADMIN_PASSWORD);
  });

  afterAll(() => closeIdentitySpecHost({ database, host }));

  it('refuses an API key to the token of a session a password reset ended (401 session_ended), records nothing, and makes one after a fresh sign-in', async () => {
    const victimId = await createUser({ username: 'ended.victim', role: 'school_staff', organisationId: randomUUID() });
    const stolen = await signIn('ended.victim', 'a-long-password');
    later();
    await resetPassword(victimId, 'reset-by-the-admin');
    const before = await recordedFor(victimId);

    const refused = await call('POST', '/api/v1/api-keys', { name: 'backdoor key' }, stolen);
    expect(refused).toMatchObject(sessionEnded);
    expect(refused.body.detail).toMatch(/sign in again/);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(await recordedFor(victimId)).toEqual(before);
    // Reading stays open to it for its minutes: only what sets a credential is refused.
    expect((await call('GET', '/api/v1/me', undefined, stolen)).status).toBe(200);

    const made = await call('POST', '/api/v1/api-keys', { name: 'own key' }, await signIn('ended.victim', 'reset-by-the-admin'));
    expect(made.status).toBe(201);
    const grant = await call('POST', '/oauth/token', { grant_type: 'client_credentials', client_id: made.body.clientId, client_secret: made.body.clientSecret });
    expect(grant.status).toBe(200);
  });

  it('refuses a user to an organisation administrator’s token whose session a platform admin’s reset ended; the backdoor user never exists', async () => {
    const school = randomUUID();
    const orgAdminId = await createUser({ username: 'ended.school.admin', role: 'school_staff', organisationId: school, orgAdmin: true });
    const stolen = await signIn('ended.school.admin', 'a-long-password');
    later();
    await resetPassword(orgAdminId, 'reset-school-admin');

    const backdoor = { username: 'backdoor', password: 'backdoor-password', role: 'school_staff', organisationId: school, orgAdmin: true };
    expect(await call('POST', '/api/v1/users', backdoor, stolen)).toMatchObject(sessionEnded);
    expect(await call('POST', '/oauth/token', { grant_type: 'password', username: 'backdoor', password: 'backdoor-password' })).toMatchObject({ status: 401, body: { rule: 'invalid_grant' } });
    // Nor another's password, nor its own again (which would take the account back).
    const clerkId = await createUser({ username: 'ended.school.clerk', role: 'school_staff', organisationId: school });
    expect(await call('POST', `/api/v1/users/${clerkId}/password`, { password: 'taken-over-pass' }, stolen)).toMatchObject(sessionEnded);
    expect(await call('POST', `/api/v1/users/${orgAdminId}/password`, { password: 'taken-back-pass', currentPassword: 'a-long-password' }, stolen)).toMatchObject(sessionEnded);
    expect((await recordedFor(clerkId)).events).toEqual(['UserCreated']);

    expect((await call('POST', '/api/v1/users', backdoor, await signIn('ended.school.admin', 'reset-school-admin'))).status).toBe(201);
  });

  it('refuses to enrol a second factor with the enrolment-only token got with the password before a reset', async () => {
    const officerId = await createUser({ username: 'ended.officer', role: 'bureau_officer', organisationId: randomUUID() });
    const enrolling = await signIn('ended.officer', 'a-long-password', { scope: 'totp_enrolment' });
    later();
    await resetPassword(officerId, 'reset-officer-pass');

    expect(await call('POST', `/api/v1/users/${officerId}/totp`, undefined, enrolling)).toMatchObject(sessionEnded);
    expect((await recordedFor(officerId)).events).toEqual(['UserCreated', 'PasswordChanged']);
    const fresh = await signIn('ended.officer', 'reset-officer-pass', { scope: 'totp_enrolment' });
    expect((await call('POST', `/api/v1/users/${officerId}/totp`, undefined, fresh)).status).toBe(201);
  });

  it('refuses to enrol a second factor with a token of a sign-in before its reset', async () => {
    const clerkId = await createUser({ username: 'ended.totp.clerk', role: 'school_staff', organisationId: randomUUID() });
    const first = await signIn('ended.totp.clerk', 'a-long-password');
    const enrolled = await call('POST', `/api/v1/users/${clerkId}/totp`, { currentPassword: 'a-long-password' }, first);
    const codeAt = (at: number) => TOTP.generate({ secret: Secret.fromBase32(enrolled.body.secret as string), timestamp: at });
    expect((await call('POST', `/api/v1/users/${clerkId}/totp/confirm`, { code: codeAt(instant) }, first)).status).toBe(200);
    // Confirming ends no session; the reset of a lost factor does.
    later();
    expect((await call('DELETE', `/api/v1/users/${clerkId}/totp`, undefined, admin)).status).toBe(200);

    expect(await call('POST', `/api/v1/users/${clerkId}/totp`, { currentPassword: 'a-long-password' }, first)).toMatchObject(sessionEnded);
    expect(await call('POST', '/api/v1/api-keys', { name: 'after the reset' }, first)).toMatchObject(sessionEnded);
    expect((await recordedFor(clerkId)).events.slice(-1)).toEqual(['TotpReset']);
    expect((await call('POST', `/api/v1/users/${clerkId}/totp`, { currentPassword: 'a-long-password' }, await signIn('ended.totp.clerk', 'a-long-password'))).status).toBe(201);
  });

  it('makes a platform admin no API key (403 api-keys:create), and gives a key one made before no token (401 invalid_client)', async () => {
    expect(await call('POST', '/api/v1/api-keys', { name: 'admin key' }, admin)).toMatchObject({ status: 403, body: { rule: 'permission_denied', permission: 'api-keys:create' } });
    // A key a platform admin made before domain.md section 9 was enforced, as its row was written then.
    const adminId = (await call('GET', '/api/v1/me', undefined, admin)).body.userId as string;
    const secret = randomUUID();
    const clientId = `key_${randomUUID().slice(0, 12)}`;
    await host.app
      .get(Database, { strict: false })
      .query('INSERT INTO api_keys (client_id, user_id, name, secret_hash) VALUES ($1, $2, $3, $4)', [clientId, adminId, 'made before', host.app.get(ApiKeys, { strict: false }).secretHash(secret)]);
    expect(await call('POST', '/oauth/token', { grant_type: 'client_credentials', client_id: clientId, client_secret: secret })).toMatchObject({ status: 401, body: { rule: 'invalid_client' } });
    // Revoking it stays open to a platform admin (an incident).
    expect((await call('DELETE', `/api/v1/api-keys/${clientId}`, undefined, admin)).status).toBe(204);
  });
});
