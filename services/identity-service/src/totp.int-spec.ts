// The TOTP second factor over HTTP on a real Postgres, with a clock the test moves: enrolment answered
// once (the secret kept out of the event log), confirmation by a first code, sign-in asking for a code
// used once, and REQUIRE_TOTP_ROLES refusing an unenrolled user of such a role a session, with a token
// that enrols the second factor alone; a lost one reset by a platform admin.
import { Clock } from '@skills/domain-kernel';
import { adminToken, createTestDatabase, http, startTestHost, TestDatabase, TestHost } from '@skills/testing';
import { createHash, randomUUID } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { requiredTotpRoles } from './users/totps';
import { IdentityModule } from './identity.module';

const STEP_MS = 30_000;

describe('identity: a TOTP second factor', () => {
  let database: TestDatabase;
  let host: TestHost;
  let admin: string;
  // A second into a time step, so that a code computed "now" stays in its step for the whole test.
  let instant = Math.floor(Date.now() / STEP_MS) * STEP_MS + 1000;
  const clock: Clock = { now: () => new Date(instant) };
  const nextStep = () => (instant += STEP_MS);
  const codeOf = (secret: string, at = instant) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: at });

  const call = (baseUrl: string, method: string, route: string, body?: unknown, token?: string) => http(baseUrl, method, route, body, token ? { authorization: `Bearer ${token}` } : {});
  const signIn = (username: string, password: string, totp?: string, baseUrl = host.baseUrl) =>
    call(baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username, password, ...(totp === undefined ? {} : { totp }) });
  const createUser = async (fields: Record<string, unknown>) => {
    const created = await call(host.baseUrl, 'POST', '/api/v1/users', { password: 'a-long-password', ...fields }, admin);
    expect(created.status).toBe(201);
    return created.body.id as string;
  };

  let officerId: string;
  let officerSecret: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: [IdentityModule], transport: 'in-process', databaseUrl: database.url, clock });
    admin = await adminToken(host.baseUrl);
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  it('enrols a user themself: the secret is answered once and kept out of the event log; no one else enrols them', async () => {
    officerId = await createUser({ username: 'totp.officer', role: 'bureau_officer', organisationId: randomUUID() });
    const own = (await signIn('totp.officer', 'a-long-password')).body.access_token as string;
    expect(await call(host.baseUrl, 'POST', `/api/v1/users/${officerId}/totp`, undefined, admin)).toMatchObject({ status: 403, body: { permission: 'users:totp' } });

    const enrolled = await call(host.baseUrl, 'POST', `/api/v1/users/${officerId}/totp`, { currentPassword: 'a-long-password' }, own);
    expect(enrolled).toMatchObject({ status: 201, body: { secret: expect.stringMatching(/^[A-Z2-7]{32}$/), otpauthUri: expect.stringMatching(/^otpauth:\/\/totp\/Skills%20Ladder:totp\.officer\?/) } });
    officerSecret = enrolled.body.secret;
    expect(enrolled.body.otpauthUri).toContain(`secret=${officerSecret}`);

    const { Client } = await import('pg');
    const sql = new Client({ connectionString: database.url });
    await sql.connect();
    try {
      const { rows } = await sql.query(`SELECT event_type AS type, data::text AS data FROM identity.events WHERE stream_id = $1 ORDER BY stream_version`, [`user-${officerId}`]);
      expect(rows.map((row) => row.type)).toEqual(['UserCreated', 'TotpEnrolled']);
      expect(rows.some((row) => row.data.includes(officerSecret))).toBe(false);
    } finally {
      await sql.end();
    }
    // Not confirmed yet: the password alone still signs in.
    expect((await signIn('totp.officer', 'a-long-password')).status).toBe(200);
  });

  it('confirms with a first valid code, refusing a wrong one', async () => {
    const own = (await signIn('totp.officer', 'a-long-password')).body.access_token as string;
    const wrong = codeOf(officerSecret, instant + 3600_000);
    expect(await call(host.baseUrl, 'POST', `/api/v1/users/${officerId}/totp/confirm`, { code: wrong }, own)).toMatchObject({
      status: 400,
      body: { errors: [{ field: 'code', rule: 'totp_code_invalid' }] },
    });
    expect(await call(host.baseUrl, 'POST', `/api/v1/users/${officerId}/totp/confirm`, { code: codeOf(officerSecret) }, own)).toMatchObject({ status: 200, body: { totp: 'confirmed' } });
    expect(await call(host.baseUrl, 'POST', `/api/v1/users/${officerId}/totp`, { currentPassword: 'a-long-password' }, own)).toMatchObject({ status: 409, body: { rule: 'totp_already_enrolled' } });
  });

  it('then asks for a code at sign-in: missing is totp_required, wrong or replayed is invalid_grant, the right one signs in once', async () => {
    expect(await signIn('totp.officer', 'a-long-password')).toMatchObject({ status: 401, body: { rule: 'totp_required' } });
    // The confirming code was used: it does not sign in.
    expect(await signIn('totp.officer', 'a-long-password', codeOf(officerSecret))).toMatchObject({ status: 401, body: { rule: 'invalid_grant' } });
    nextStep();
    expect(await signIn('totp.officer', 'a-long-password', codeOf(officerSecret, instant + 3600_000))).toMatchObject({ status: 401, body: { rule: 'invalid_grant' } });
    const code = codeOf(officerSecret);
    expect(await signIn('totp.officer', 'a-long-password', code)).toMatchObject({ status: 200, body: { access_token: expect.any(String) } });
    expect(await signIn('totp.officer', 'a-long-password', code)).toMatchObject({ status: 401, body: { rule: 'invalid_grant' } });
    // A wrong password with a good code is still just invalid_grant.
    nextStep();
    expect(await signIn('totp.officer', 'not-the-password', codeOf(officerSecret))).toMatchObject({ status: 401, body: { rule: 'invalid_grant' } });
  });

  it('counts wrong codes as failed sign-ins: the limits apply', async () => {
    // Four failures so far for totp.officer (three codes, one password); one more reaches the limit of five.
    expect((await signIn('totp.officer', 'a-long-password', codeOf(officerSecret, instant + 3600_000))).status).toBe(401);
    nextStep();
    expect(await signIn('totp.officer', 'a-long-password', codeOf(officerSecret))).toMatchObject({ status: 429, body: { rule: 'too_many_sign_ins' } });
  });

  it('with REQUIRE_TOTP_ROLES, refuses an unenrolled user of such a role (totp_enrolment_required) and lets other roles sign in', async () => {
    await createUser({ username: 'unenrolled.admin', role: 'platform_admin' });
    await createUser({ username: 'plain.clerk', role: 'school_staff', organisationId: randomUUID() });
    // The sign-in limits' window passes (the admin's token is not needed after this).
    instant += 16 * 60_000;
    process.env.REQUIRE_TOTP_ROLES = 'platform_admin, bureau_officer';
    const strict = await startTestHost({ modules: [IdentityModule], transport: 'in-process', databaseUrl: database.url, clock }).finally(() => delete process.env.REQUIRE_TOTP_ROLES);
    try {
      expect(await signIn('unenrolled.admin', 'a-long-password', undefined, strict.baseUrl)).toMatchObject({ status: 401, body: { rule: 'totp_enrolment_required' } });
      expect(await signIn('unenrolled.admin', 'not-the-password', undefined, strict.baseUrl)).toMatchObject({ status: 401, body: { rule: 'invalid_grant' } });
      expect((await signIn('plain.clerk', 'a-long-password', undefined, strict.baseUrl)).status).toBe(200);

      // Created after the variable was set, the user enrols with a token the password gets for that alone.
      const enrolling = await call(strict.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username: 'unenrolled.admin', password: 'a-long-password', scope: 'totp_enrolment' });
      expect(enrolling).toMatchObject({ status: 200, body: { scope: 'totp_enrolment' } });
      expect(enrolling.body.refresh_token).toBeUndefined();
      const only = enrolling.body.access_token as string;
      expect(await call(strict.baseUrl, 'GET', '/api/v1/users', undefined, only)).toMatchObject({ status: 403 });
      expect(await call(strict.baseUrl, 'POST', '/api/v1/users', { username: 'made.by.enrolment', password: 'a-long-password', role: 'platform_admin' }, only)).toMatchObject({ status: 403 });
      const me = await call(strict.baseUrl, 'GET', '/api/v1/me', undefined, only);
      expect(me.status).toBe(200);
      // Without a body at all, as the console sends it: the enrolment-only token needs no current password.
      const answer = await fetch(`${strict.baseUrl}/api/v1/users/${me.body.userId}/totp`, { method: 'POST', headers: { authorization: `Bearer ${only}` } });
      expect(answer.status).toBe(201);
      const enrolled = { body: (await answer.json()) as { secret: string } };
      const confirmed = await call(strict.baseUrl, 'POST', `/api/v1/users/${me.body.userId}/totp/confirm`, { code: codeOf(enrolled.body.secret) }, only);
      expect(confirmed.status).toBe(200);
      nextStep();
      const full = await signIn('unenrolled.admin', 'a-long-password', codeOf(enrolled.body.secret), strict.baseUrl);
      expect(full).toMatchObject({ status: 200, body: { refresh_token: expect.any(String) } });
      expect((await call(strict.baseUrl, 'GET', '/api/v1/users', undefined, full.body.access_token)).status).toBe(200);
      // Enrolled, the user is asked for the code whatever the scope.
      expect(await call(strict.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username: 'unenrolled.admin', password: 'a-long-password', scope: 'totp_enrolment' })).toMatchObject({ status: 401, body: { rule: 'totp_required' } });
      // Enrolled before the variable was set: signs in with a code.
      nextStep();
      expect((await signIn('totp.officer', 'a-long-password', codeOf(officerSecret), strict.baseUrl)).status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('enrols with a signed-in token only with the user’s password, a wrong one counted as a failed sign-in: a token in other hands cannot lock the user out', async () => {
    const userId = await createUser({ username: 'careful.clerk', role: 'employer_staff', organisationId: randomUUID() });
    const stolen = (await signIn('careful.clerk', 'a-long-password')).body.access_token as string;
    const enrol = (body: unknown) => call(host.baseUrl, 'POST', `/api/v1/users/${userId}/totp`, body, stolen);
    expect(await enrol(undefined)).toMatchObject({ status: 400, body: { errors: [{ field: 'currentPassword', rule: 'required' }] } });
    expect(await enrol({ currentPassword: 'a-guessed-password' })).toMatchObject({ status: 400, body: { rule: 'current_password_wrong', errors: [{ field: 'currentPassword', rule: 'current_password_wrong' }] } });
    // Counted as a failed sign-in: four more and the limit per username at this address refuses the next try.
    for (let attempt = 0; attempt < 4; attempt++) expect((await enrol({ currentPassword: 'a-guessed-password' })).status).toBe(400);
    expect((await enrol({ currentPassword: 'a-long-password' })).status).toBe(429);
    // Nothing was enrolled: out of the window, the user signs in with the password alone.
    instant += 16 * 60_000;
    expect((await signIn('careful.clerk', 'a-long-password')).status).toBe(200);
  });

  it('resets a lost second factor by a platform admin, not the user nor their administrator: the secret goes, the sessions end, the password signs in', async () => {
    const employer = randomUUID();
    const userId = await createUser({ username: 'lost.phone', role: 'employer_staff', organisationId: employer });
    await createUser({ username: 'lost.phone.admin', role: 'employer_staff', organisationId: employer, orgAdmin: true });
    const theirAdministrator = (await signIn('lost.phone.admin', 'a-long-password')).body.access_token as string;
    const first = (await signIn('lost.phone', 'a-long-password')).body.access_token as string;
    const { secret } = (await call(host.baseUrl, 'POST', `/api/v1/users/${userId}/totp`, { currentPassword: 'a-long-password' }, first)).body;
    expect((await call(host.baseUrl, 'POST', `/api/v1/users/${userId}/totp/confirm`, { code: codeOf(secret) }, first)).status).toBe(200);
    nextStep();
    const session = (await signIn('lost.phone', 'a-long-password', codeOf(secret))).body as { access_token: string; refresh_token: string };

    // Their administrator may set their password: with a reset too, they could enrol a second factor of their own and be them.
    for (const token of [session.access_token, theirAdministrator]) {
      expect(await call(host.baseUrl, 'DELETE', `/api/v1/users/${userId}/totp`, undefined, token)).toMatchObject({ status: 403, body: { permission: 'users:totp-reset' } });
    }
    expect(await call(host.baseUrl, 'DELETE', `/api/v1/users/${userId}/totp`, undefined, admin)).toMatchObject({ status: 200, body: { id: userId, totp: 'none' } });
    expect((await call(host.baseUrl, 'POST', '/oauth/token', { grant_type: 'refresh_token', refresh_token: session.refresh_token })).status).toBe(401);
    expect((await signIn('lost.phone', 'a-long-password')).status).toBe(200);
    expect(await call(host.baseUrl, 'DELETE', `/api/v1/users/${userId}/totp`, undefined, admin)).toMatchObject({ status: 409, body: { rule: 'totp_not_enrolled' } });

    const { Client } = await import('pg');
    const sql = new Client({ connectionString: database.url });
    await sql.connect();
    try {
      expect((await sql.query('SELECT 1 FROM identity.totp_secrets WHERE user_id = $1', [userId])).rows).toEqual([]);
      // A renewal under way at the reset wrote its token after the reset ended the sessions: as it leaves it, it does not renew.
      await sql.query('UPDATE identity.refresh_tokens SET revoked_at = NULL WHERE token_hash = $1', [createHash('sha256').update(session.refresh_token).digest('base64url')]);
      expect((await call(host.baseUrl, 'POST', '/oauth/token', { grant_type: 'refresh_token', refresh_token: session.refresh_token })).status).toBe(401);
      const { rows } = await sql.query(`SELECT event_type AS type FROM identity.events WHERE stream_id = $1 ORDER BY stream_version`, [`user-${userId}`]);
      expect(rows.map((row) => row.type)).toEqual(['UserCreated', 'TotpEnrolled', 'TotpConfirmed', 'TotpReset']);
    } finally {
      await sql.end();
    }
  });

  it('refuses an unknown role in REQUIRE_TOTP_ROLES at start', () => {
    expect(requiredTotpRoles(undefined)).toEqual([]);
    expect(requiredTotpRoles(' platform_admin,bureau_officer ')).toEqual(['platform_admin', 'bureau_officer']);
    expect(() => requiredTotpRoles('platform_admin,superuser')).toThrow(/superuser/);
  });
});
