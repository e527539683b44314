// A password someone else set (an admin creating a user, or resetting their password) is temporary when
// they say so: its user signs in, but may do nothing but choose their own (403 password_change_required).
import { adminToken, apiSpec, ApiSpec, bearer, createTestDatabase, http, startTestHost, TestDatabase, TestHost } from '@skills/testing';
import { mkdtempSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { ProjectionRunner } from '@skills/event-sourcing';
import { IdentityModule } from './identity.module';

const HANDED_OVER = 'handed-over-password';
const OWN_CHOICE = 'my-own-long-password';

/** The claims of an access token, as every service reads them. */
const claimsOf = (accessToken: string): Record<string, unknown> => JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8'));

describe('identity: temporary passwords', () => {
  let database: TestDatabase;
  let host: TestHost;
  let spec: ApiSpec;
  let adminId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: [IdentityModule], transport: 'in-process', databaseUrl: database.url });
    spec = apiSpec({ host, databaseUrl: database.url, service: 'identity', token: await adminToken(host.baseUrl) });
    adminId = (await spec.when('GET', '/api/v1/me').then(200)).body.userId;
  });

  afterAll(async () => {
    await spec?.close();
    await host?.close();
    await database?.drop();
  });

  const newUser = async (temporaryPassword?: boolean) => {
    const username = `handed.${randomUUID().slice(0, 8)}`;
    const fields = { username, password: HANDED_OVER, role: 'platform_admin', ...(temporaryPassword === undefined ? {} : { temporaryPassword }) };
    const created = await spec.when('POST', '/api/v1/users', fields).then(201, [{ type: 'UserCreated', data: { temporaryPassword: temporaryPassword === true } }]);
    return { username, id: created.body.id as string };
  };
  const signIn = async (username: string, password: string) => (await spec.when('POST', '/oauth/token', { grant_type: 'password', username, password }).then(200)).body;
  const anotherUser = () => ({ username: `other.${randomUUID().slice(0, 8)}`, password: 'another-long-password', role: 'platform_admin' });

  it('creates a user without temporaryPassword as before: their token does everything their role holds', async () => {
    const { username } = await newUser();
    const { access_token } = await signIn(username, HANDED_OVER);
    expect(claimsOf(access_token).password_change_required).toBeUndefined();
    await spec.when('GET', '/api/v1/me', undefined, bearer(access_token)).then(200, [], { passwordChangeRequired: false });
    await spec.when('POST', '/api/v1/users', anotherUser(), bearer(access_token)).then(201, [{ type: 'UserCreated' }]);
  });

  it('lets a user whose password is temporary sign in, read who they are and their preferences, and nothing else (403 password_change_required)', async () => {
    const { username, id } = await newUser(true);
    const { access_token, refresh_token } = await signIn(username, HANDED_OVER);
    const own = bearer(access_token);
    expect(claimsOf(access_token).password_change_required).toBe(true);
    await spec.when('GET', '/api/v1/me', undefined, own).then(200, [], { userId: id, passwordChangeRequired: true });
    await spec.when('GET', '/api/v1/me/preferences', undefined, own).then(200);
    await spec.when('PUT', '/api/v1/me/preferences', { locale: 'en' }, own).then(200, [{ type: 'PreferencesChanged' }]);
    const refused = { status: 403, type: 'urn:skills:forbidden', rule: 'password_change_required', permission: 'users:create' };
    await spec.when('POST', '/api/v1/users', anotherUser(), own).then(403, [], refused);
    await spec.when('GET', '/api/v1/users', undefined, own).then(403, [], { rule: 'password_change_required' });
    // Another's password is no way out, though the role may set it.
    await spec.when('POST', `/api/v1/users/${adminId}/password`, { password: 'not-mine-to-change' }, own).then(403, [], { rule: 'password_change_required' });
    // A renewal of the session keeps the claim.
    const renewed = await spec.when('POST', '/oauth/token', { grant_type: 'refresh_token', refresh_token }).then(200);
    expect(claimsOf(renewed.body.access_token).password_change_required).toBe(true);
  });

  it('refuses to make one’s own password temporary (400 own_password_not_temporary), and choosing one’s own clears the rule', async () => {
    const { username, id } = await newUser(true);
    const { access_token, refresh_token } = await signIn(username, HANDED_OVER);
    const own = bearer(access_token);
    await spec
      .when('POST', `/api/v1/users/${id}/password`, { password: OWN_CHOICE, currentPassword: HANDED_OVER, temporaryPassword: true }, own)
      .then(400, [], { rule: 'own_password_not_temporary', errors: [{ field: 'temporaryPassword', rule: 'own_password_not_temporary' }] });
    await spec.when('POST', `/api/v1/users/${id}/password`, { password: OWN_CHOICE, currentPassword: HANDED_OVER }, own).then(200, [{ type: 'PasswordChanged', data: { temporaryPassword: false } }]);
    // The change ends the session signed in with the handed-over password.
    await spec.when('POST', '/oauth/token', { grant_type: 'refresh_token', refresh_token }).then(401, [], { rule: 'invalid_grant' });
    await spec.when('POST', '/oauth/token', { grant_type: 'password', username, password: HANDED_OVER }).then(401, [], { rule: 'invalid_grant' });

    const again = await signIn(username, OWN_CHOICE);
    expect(claimsOf(again.access_token).password_change_required).toBeUndefined();
    await spec.when('GET', '/api/v1/me', undefined, bearer(again.access_token)).then(200, [], { passwordChangeRequired: false });
    await spec.when('POST', '/api/v1/users', anotherUser(), bearer(again.access_token)).then(201, [{ type: 'UserCreated' }]);
  });

  it('makes a password an admin resets temporary when asked, and records who did it', async () => {
    const { username, id } = await newUser();
    await spec.when('POST', `/api/v1/users/${id}/password`, { password: 'reset-by-the-admin', temporaryPassword: true }).then(200, [{ type: 'PasswordChanged', data: { temporaryPassword: true } }]);
    const { access_token } = await signIn(username, 'reset-by-the-admin');
    await spec.when('GET', '/api/v1/me', undefined, bearer(access_token)).then(200, [], { passwordChangeRequired: true });
    await spec.when('POST', '/api/v1/users', anotherUser(), bearer(access_token)).then(403, [], { rule: 'password_change_required' });
    const sql = new Client({ connectionString: database.url });
    await sql.connect();
    try {
      const { rows } = await sql.query(`SELECT metadata->'actor'->>'userId' AS actor FROM identity.events WHERE stream_id = $1 AND event_type = 'PasswordChanged'`, [`user-${id}`]);
      expect(rows).toEqual([{ actor: adminId }]);
    } finally {
      await sql.end();
    }

    // Reset again without it: the user goes on with it.
    await spec.when('POST', `/api/v1/users/${id}/password`, { password: 'reset-once-more-by-admin' }).then(200, [{ type: 'PasswordChanged', data: { temporaryPassword: false } }]);
    const after = await signIn(username, 'reset-once-more-by-admin');
    await spec.when('GET', '/api/v1/me', undefined, bearer(after.access_token)).then(200, [], { passwordChangeRequired: false });
  });

  it('says in the users list who still has to change their password: true after a temporary reset, false after their own change, and the same after a rebuild from the log', async () => {
    const listed = async (id: string) => {
      const { body } = await spec.when('GET', '/api/v1/users?consistent=true&limit=100').then(200);
      return (body.items as { id: string; passwordChangeRequired?: boolean }[]).find((item) => item.id === id)?.passwordChangeRequired;
    };
    const { username, id } = await newUser();
    const handedOver = await newUser(true);
    expect(await listed(id)).toBe(false);
    expect(await listed(handedOver.id)).toBe(true);

    await spec.when('POST', `/api/v1/users/${id}/password`, { password: 'reset-by-the-admin', temporaryPassword: true }).then(200, [{ type: 'PasswordChanged', data: { temporaryPassword: true } }]);
    expect(await listed(id)).toBe(true);
    const { access_token } = await signIn(username, 'reset-by-the-admin');
    await spec.when('POST', `/api/v1/users/${id}/password`, { password: OWN_CHOICE, currentPassword: 'reset-by-the-admin' }, bearer(access_token)).then(200, [{ type: 'PasswordChanged', data: { temporaryPassword: false } }]);
    expect(await listed(id)).toBe(false);

    // The directory rebuilt from the log says the same of each.
    await host.app.get(ProjectionRunner, { strict: false }).rebuild('user-directory');
    expect([await listed(id), await listed(handedOver.id)]).toEqual([false, true]);
  });

  it('lets such a user sign out (POST /oauth/revoke), which is public', async () => {
    const { username } = await newUser(true);
    const { refresh_token } = await signIn(username, HANDED_OVER);
    await spec.when('POST', '/oauth/revoke', { token: refresh_token }).then(200);
    await spec.when('POST', '/oauth/token', { grant_type: 'refresh_token', refresh_token }).then(401, [], { rule: 'invalid_grant' });
  });
});

describe('identity: the enrolment-only token of a user whose password is temporary', () => {
  it('answers on GET /api/v1/me that the password must be changed, as the user’s state says, and still only enrols', async () => {
    const database = await createTestDatabase();
    // The role asks a second factor: a password sign-in of a user without one gets the enrolment-only token.
    process.env.REQUIRE_TOTP_ROLES = 'bureau_officer';
    const host = await startTestHost({ modules: [IdentityModule], transport: 'in-process', databaseUrl: database.url }).finally(() => delete process.env.REQUIRE_TOTP_ROLES);
    try {
      const admin = bearer(await adminToken(host.baseUrl));
      const call = (method: string, route: string, body?: unknown, headers: Record<string, string> = {}) => http(host.baseUrl, method, route, body, headers);
      const officer = { username: `officer.${randomUUID().slice(0, 8)}`, password: HANDED_OVER, role: 'bureau_officer', organisationId: randomUUID() };
      const temporary = await call('POST', '/api/v1/users', { ...officer, temporaryPassword: true }, admin);
      const chosen = await call('POST', '/api/v1/users', { ...officer, username: `${officer.username}.own` }, admin);
      expect([temporary.status, chosen.status]).toEqual([201, 201]);
      const enrolmentToken = async (username: string) => {
        const answer = await call('POST', '/oauth/token', { grant_type: 'password', username, password: HANDED_OVER, scope: 'totp_enrolment' });
        expect(answer).toMatchObject({ status: 200, body: { scope: 'totp_enrolment' } });
        // The token itself carries no claim: it must enrol the second factor before the user can sign in to change the password.
        expect(claimsOf(answer.body.access_token).password_change_required).toBeUndefined();
        return bearer(answer.body.access_token);
      };

      const only = await enrolmentToken(officer.username);
      expect(await call('GET', '/api/v1/me', undefined, only)).toMatchObject({ status: 200, body: { userId: temporary.body.id, passwordChangeRequired: true } });
      expect((await call('GET', '/api/v1/me', undefined, await enrolmentToken(`${officer.username}.own`))).body).toMatchObject({ userId: chosen.body.id, passwordChangeRequired: false });
      // Told so, the token does no more than before: not even the change of the password.
      expect(await call('POST', `/api/v1/users/${temporary.body.id}/password`, { password: OWN_CHOICE, currentPassword: HANDED_OVER }, only)).toMatchObject({ status: 403, body: { permission: 'users:password' } });
      expect(await call('GET', '/api/v1/users', undefined, only)).toMatchObject({ status: 403 });
      expect((await call('POST', `/api/v1/users/${temporary.body.id}/totp`, undefined, only)).status).toBe(201);
    } finally {
      await host.close();
      await database.drop();
    }
  });
});

describe('identity: the generated first admin’s password is temporary', () => {
  it('signs in with the generated password, and must choose their own before anything else', async () => {
    const database = await createTestDatabase();
    process.env.ADMIN_PASSWORD_FILE = path.join(mkdtempSync(path.join(os.tmpdir(), 'identity-admin-')), 'admin-password');
    // Empty, not unset: test hosts otherwise give the first admin the test password.
    process.env.ADMIN_PASSWORD = '';
    const host = await startTestHost({ modules: [IdentityModule], transport: 'in-process', databaseUrl: database.url });
    try {
      const generated = readFileSync(process.env.ADMIN_PASSWORD_FILE, 'utf8').trim();
      const call = (method: string, route: string, body?: unknown, accessToken?: string) => http(host.baseUrl, method, route, body, accessToken ? bearer(accessToken) : {});
      const signedIn = await call('POST', '/oauth/token', { grant_type: 'password', username: 'admin', password: generated });
      expect(signedIn.status).toBe(200);
      const me = await call('GET', '/api/v1/me', undefined, signedIn.body.access_token);
      expect(me.body).toMatchObject({ username: 'admin', passwordChangeRequired: true });
      expect(await call('POST', '/api/v1/users', anotherAdmin(), signedIn.body.access_token)).toMatchObject({ status: 403, body: { rule: 'password_change_required' } });

      expect((await call('POST', `/api/v1/users/${me.body.userId}/password`, { password: OWN_CHOICE, currentPassword: generated }, signedIn.body.access_token)).status).toBe(200);
      const again = await call('POST', '/oauth/token', { grant_type: 'password', username: 'admin', password: OWN_CHOICE });
      expect((await call('POST', '/api/v1/users', anotherAdmin(), again.body.access_token)).status).toBe(201);
    } finally {
      delete process.env.ADMIN_PASSWORD_FILE;
      delete process.env.ADMIN_PASSWORD;
      await host.close();
      await database.drop();
    }
  });

  it('with ADMIN_PASSWORD given, is not temporary', async () => {
    const database = await createTestDatabase();
    const host = await startTestHost({ modules: [IdentityModule], transport: 'in-process', databaseUrl: database.url });
    try {
      const accessToken = await adminToken(host.baseUrl);
      expect((await http(host.baseUrl, 'GET', '/api/v1/me', undefined, bearer(accessToken))).body).toMatchObject({ passwordChangeRequired: false });
    } finally {
      await host.close();
      await database.drop();
    }
  });
});

const anotherAdmin = () => ({ username: `second.${randomUUID().slice(0, 8)}`, password: 'second-admin-password', role: 'platform_admin' });
