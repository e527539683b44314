// identity-service over HTTP on a real Postgres: the first admin, the three grants, the issuer's keys
// and their rotation, who may manage which users, disabling (sessions end at once), the sign-in limits
// and API keys.
import { ACCESS_TOKEN_AUDIENCE } from '@skills/contracts';
import { createTestDatabase, http, startTestHost, TestDatabase, TestHost } from '@skills/testing';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { IdentityModule } from './identity.module';
import { RefreshTokens } from './tokens/refresh-tokens';
import { SignInLimits } from './tokens/sign-in-limits';
import { callerOf, closeIdentitySpecHost, FIRST_ADMIN_PASSWORD, startIdentitySpecHost } from './identity-spec-host';


describe('identity: sign-in, tokens, keys, users and API keys', () => {
  let database: TestDatabase;
  let host: TestHost;
  const call = callerOf(() => host);
  const signIn = async (username: string, password: string) => call('POST', '/oauth/token', { grant_type: 'password', username, password });
  const tokenOf = async (username: string, password: string) => {
    const answer = await signIn(username, password);
    expect(answer.status).toBe(200);
    return answer.body as { access_token: string; refresh_token: string; expires_in: number };
  };

  beforeAll(async () => {
    ({ database, host } = await startIdentitySpecHost());
  });

  afterAll(() => closeIdentitySpecHost({ database, host }));

  it('creates the first admin from FIRST_ADMIN_PASSWORD and signs them in with a short-lived ES256 token and a refresh token', async () => {
    const token = await tokenOf('admin', FIRST_ADMIN_PASSWORD);
    expect(token.expires_in).toBe(300);
    expect(decodeProtectedHeader(token.access_token)).toMatchObject({ alg: 'ES256', kid: expect.any(String) });
    expect(decodeJwt(token.access_token)).toMatchObject({ role: 'platform_admin', org: null, via: 'token', aud: ACCESS_TOKEN_AUDIENCE, username: 'admin' });
    expect((await call('GET', '/api/v1/me', undefined, token.access_token)).body).toMatchObject({ username: 'admin', role: 'platform_admin', organisationId: null, orgAdmin: false });
  });

  it('verifies its tokens against its own discovery document and JWKS', async () => {
    const discovery = (await call('GET', '/.well-known/openid-configuration')).body;
    expect(discovery).toMatchObject({ issuer: 'http://localhost:3000', token_endpoint: 'http://localhost:3000/oauth/token' });
    const keys = createRemoteJWKSet(new URL('/.well-known/jwks.json', host.baseUrl));
    const { access_token } = await tokenOf('admin', FIRST_ADMIN_PASSWORD);
    const { payload } = await jwtVerify(access_token, keys, { issuer: discovery.issuer, audience: ACCESS_TOKEN_AUDIENCE });
    expect(payload.role).toBe('platform_admin');
  });

  it('answers 401 without a token, with a wrong password, and for an unknown user alike', async () => {
    expect((await call('GET', '/api/v1/me')).status).toBe(401);
    const wrong = await signIn('admin', 'not-the-password');
    const unknown = await signIn(`nobody-${randomUUID()}`, 'not-the-password');
    expect(wrong).toMatchObject({ status: 401, body: { rule: 'invalid_grant' } });
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it('takes the token request as a form, as OAuth clients send it', async () => {
    const response = await fetch(`${host.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: 'admin', password: FIRST_ADMIN_PASSWORD }).toString(),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('refreshes a session once: the refresh token is replaced, and the used one is refused', async () => {
    const first = await tokenOf('admin', FIRST_ADMIN_PASSWORD);
    const refreshed = await call('POST', '/oauth/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(refreshed).toMatchObject({ status: 200, body: { token_type: 'Bearer', refresh_token: expect.any(String) } });
    expect(refreshed.body.refresh_token).not.toBe(first.refresh_token);
    expect((await call('POST', '/oauth/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token })).status).toBe(401);
  });

  it('ends the whole session when a used refresh token is presented again: the thief who renewed first is refused too', async () => {
    const admin = (await tokenOf('admin', FIRST_ADMIN_PASSWORD)).access_token;
    expect((await call('POST', '/api/v1/users', { username: 'robbed.officer', password: 'robbed-officer', role: 'platform_admin' }, admin)).status).toBe(201);
    const renew = (token: string) => call('POST', '/oauth/token', { grant_type: 'refresh_token', refresh_token: token });
    const stolen = (await tokenOf('robbed.officer', 'robbed-officer')).refresh_token;
    const thief = await renew(stolen);
    expect(thief.status).toBe(200);
    expect((await renew(stolen)).status).toBe(401);
    expect((await renew(thief.body.refresh_token)).status).toBe(401);
    // Another session of the same user is not the stolen one: it renews.
    expect((await renew((await tokenOf('robbed.officer', 'robbed-officer')).refresh_token)).status).toBe(200);
  });

  it('deletes the refresh tokens of ended and expired sessions, and keeps a live session’s, its used ones included', async () => {
    const sql = new Client({ connectionString: database.url, options: '-c search_path=identity' });
    await sql.connect();
    try {
      const admin = (await tokenOf('admin', FIRST_ADMIN_PASSWORD)).access_token;
      expect((await call('POST', '/api/v1/users', { username: 'pruned.officer', password: 'pruned-officer', role: 'platform_admin' }, admin)).status).toBe(201);
      const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');
      const renew = (token: string) => call('POST', '/oauth/token', { grant_type: 'refresh_token', refresh_token: token });
      const sessionOf = async (token: string) => (await sql.query('SELECT session_id FROM refresh_tokens WHERE token_hash = $1', [hashOf(token)])).rows[0]?.session_id as string;
      const rowsOf = async (sessionId: string) => Number((await sql.query('SELECT count(*) AS n FROM refresh_tokens WHERE session_id = $1', [sessionId])).rows[0].n);

      const live = (await tokenOf('pruned.officer', 'pruned-officer')).refresh_token;
      const liveSession = await sessionOf(live);
      expect((await renew(live)).status).toBe(200);
      const expired = await sessionOf((await tokenOf('pruned.officer', 'pruned-officer')).refresh_token);
      await sql.query("UPDATE refresh_tokens SET expires_at = now() - interval '1 minute' WHERE session_id = $1", [expired]);
      // Ended five minutes ago, as a disable or a change of the password ends every session of the user.
      const ended = await sessionOf((await tokenOf('pruned.officer', 'pruned-officer')).refresh_token);
      await sql.query("UPDATE refresh_tokens SET revoked_at = now() - interval '5 minutes' WHERE session_id = $1", [ended]);

      await host.app.get(RefreshTokens).forgetEnded();
      expect(await rowsOf(expired)).toBe(0);
      expect(await rowsOf(ended)).toBe(0);
      // The used token stays while its session lives: presented again, it ends the session.
      expect(await rowsOf(liveSession)).toBe(2);
      expect((await renew(live)).status).toBe(401);
    } finally {
      await sql.end();
    }
  });

  it('renews a session within the 12 hours of its sign-in, and not past a password change that a renewal began before', async () => {
    const sql = new Client({ connectionString: database.url, options: '-c search_path=identity' });
    await sql.connect();
    try {
      const admin = (await tokenOf('admin', FIRST_ADMIN_PASSWORD)).access_token;
      const created = await call('POST', '/api/v1/users', { username: 'renewing.officer', password: 'renewing-officer', role: 'platform_admin' }, admin);
      const rowOf = async (token: string) =>
        (await sql.query('SELECT session_id, expires_at FROM refresh_tokens WHERE token_hash = $1', [createHash('sha256').update(token).digest('base64url')])).rows[0];
      const renew = (token: string) => call('POST', '/oauth/token', { grant_type: 'refresh_token', refresh_token: token });
      const signedIn = await tokenOf('renewing.officer', 'renewing-officer');
      const first = await renew(signedIn.refresh_token);
      const second = await renew(first.body.refresh_token);
      expect(second.status).toBe(200);
      // Every token of the session ends when the session does: renewing does not make it last longer.
      const rows = await Promise.all([signedIn.refresh_token, first.body.refresh_token, second.body.refresh_token].map(rowOf));
      expect(new Set(rows.map((row) => row.session_id)).size).toBe(1);
      expect(new Set(rows.map((row) => row.expires_at.getTime())).size).toBe(1);

      expect((await call('POST', `/api/v1/users/${created.body.id}/password`, { password: 'renewed-password-1' }, admin)).status).toBe(200);
      expect((await renew(second.body.refresh_token)).status).toBe(401);
      // A renewal under way when the change committed wrote its token after the change ended the sessions: as it leaves it.
      await sql.query('UPDATE refresh_tokens SET revoked_at = NULL WHERE token_hash = $1', [createHash('sha256').update(second.body.refresh_token).digest('base64url')]);
      expect((await renew(second.body.refresh_token)).status).toBe(401);
      // A session opened with the new password renews.
      expect((await renew((await tokenOf('renewing.officer', 'renewed-password-1')).refresh_token)).status).toBe(200);
    } finally {
      await sql.end();
    }
  });

  it('changes one’s own password only with the current one, a wrong one counted as a failed sign-in; an administrator sets another’s without', async () => {
    const admin = (await tokenOf('admin', FIRST_ADMIN_PASSWORD)).access_token;
    const created = await call('POST', '/api/v1/users', { username: 'careful.officer', password: 'careful-officer', role: 'platform_admin' }, admin);
    const at = (address: string, token?: string) => ({ 'x-forwarded-for': address, ...(token ? { authorization: `Bearer ${token}` } : {}) });
    const signInFrom = (address: string, password: string) => http(host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username: 'careful.officer', password }, at(address));
    const session = (await signInFrom('198.51.100.31', 'careful-officer')).body as { access_token: string; refresh_token: string };
    const change = (address: string, body: Record<string, unknown>, token = session.access_token) => http(host.baseUrl, 'POST', `/api/v1/users/${created.body.id}/password`, body, at(address, token));

    // A stolen token (or an unlocked console) alone no longer takes the account over.
    expect(await change('198.51.100.32', { password: 'taken-over-password' })).toMatchObject({ status: 400, body: { errors: [{ field: 'currentPassword', rule: 'required' }] } });
    const wrong = await change('198.51.100.32', { password: 'taken-over-password', currentPassword: 'a-guessed-password' });
    expect(wrong).toMatchObject({ status: 400, body: { rule: 'current_password_wrong', errors: [{ field: 'currentPassword', rule: 'current_password_wrong' }] } });
    expect(JSON.stringify(wrong.body)).not.toMatch(/a-guessed-password|taken-over-password|careful-officer|scrypt/);
    expect((await signInFrom('198.51.100.31', 'careful-officer')).status).toBe(200);

    // Guesses count as failed sign-ins: five at one address for the username, then 429 there, even with the right one, and at sign-in too.
    for (let attempt = 2; attempt <= 5; attempt++) expect((await change('198.51.100.32', { password: 'taken-over-password', currentPassword: `guess-${attempt}` })).status).toBe(400);
    const limited = await change('198.51.100.32', { password: 'taken-over-password', currentPassword: 'careful-officer' });
    expect(limited).toMatchObject({ status: 429, body: { rule: 'too_many_sign_ins' } });
    // When the first of the five leaves the 15 minutes' window: 900 s less the few since it failed.
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(880);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(900);
    expect((await signInFrom('198.51.100.32', 'careful-officer')).status).toBe(429);

    // The right one changes it: the sessions end, the new password signs in.
    expect(await change('198.51.100.31', { password: 'renewed-careful-officer', currentPassword: 'careful-officer' })).toMatchObject({ status: 200, body: { id: created.body.id } });
    expect((await call('POST', '/oauth/token', { grant_type: 'refresh_token', refresh_token: session.refresh_token })).status).toBe(401);
    expect((await signInFrom('198.51.100.31', 'renewed-careful-officer')).status).toBe(200);
    // An administrator sets another user's password without theirs (any currentPassword sent is not read).
    expect((await change('198.51.100.33', { password: 'reset-by-the-admin' }, admin)).status).toBe(200);
    expect((await change('198.51.100.33', { password: 'reset-by-the-admin-2', currentPassword: 'whatever-it-is' }, admin)).status).toBe(200);
    expect((await signInFrom('198.51.100.31', 'reset-by-the-admin-2')).status).toBe(200);
  });

  it('lets an organisation’s administrator create users of its own organisation only, and a platform admin any', async () => {
    const admin = (await tokenOf('admin', FIRST_ADMIN_PASSWORD)).access_token;
    const school = randomUUID();
    const clerkAdmin = await call('POST', '/api/v1/users', { username: 'school.admin', password: 'school-admin-pass', role: 'school_staff', organisationId: school, orgAdmin: true }, admin);
    expect(clerkAdmin.status).toBe(201);
    const schoolAdmin = (await tokenOf('school.admin', 'school-admin-pass')).access_token;

    expect((await call('POST', '/api/v1/users', { username: 'school.clerk', password: 'school-clerk-pass', role: 'school_staff', organisationId: school }, schoolAdmin)).status).toBe(201);
    const otherSchool = await call('POST', '/api/v1/users', { username: 'other.clerk', password: 'other-clerk-pass', role: 'school_staff', organisationId: randomUUID() }, schoolAdmin);
    expect(otherSchool).toMatchObject({ status: 403, body: { permission: 'users:create' } });
    const otherKind = await call('POST', '/api/v1/users', { username: 'sneaky.evaluator', password: 'sneaky-evaluator', role: 'evaluator_staff', organisationId: school }, schoolAdmin);
    expect(otherKind).toMatchObject({ status: 403, body: { permission: 'users:create' } });

    const clerk = (await tokenOf('school.clerk', 'school-clerk-pass')).access_token;
    expect((await call('POST', '/api/v1/users', { username: 'self.made', password: 'self-made-pass', role: 'school_staff', organisationId: school }, clerk)).status).toBe(403);
    // Taken, and not whose: a username is often a trainee's phone number.
    const taken = await call('POST', '/api/v1/users', { username: 'School.Admin', password: 'another-pass1', role: 'platform_admin' }, admin);
    expect(taken).toMatchObject({ status: 409, body: { rule: 'username_taken' } });
    expect(JSON.stringify(taken.body)).not.toContain(clerkAdmin.body.id);
  });

  it('refuses users whose role and organisation do not fit, naming the field', async () => {
    const admin = (await tokenOf('admin', FIRST_ADMIN_PASSWORD)).access_token;
    expect(await call('POST', '/api/v1/users', { username: 'no.org', password: 'no-org-password', role: 'school_staff' }, admin)).toMatchObject({ status: 400, body: { errors: [{ field: 'organisationId', rule: 'organisation_required' }] } });
    expect(await call('POST', '/api/v1/users', { username: 'no.trainee', password: 'no-trainee-pass', role: 'trainee' }, admin)).toMatchObject({ status: 400, body: { errors: [{ field: 'traineeId', rule: 'trainee_required' }] } });
  });

  it('ends a disabled user’s sessions at once: the access token, the refresh token and new sign-ins are refused', async () => {
    const admin = (await tokenOf('admin', FIRST_ADMIN_PASSWORD)).access_token;
    const created = await call('POST', '/api/v1/users', { username: 'leaving.officer', password: 'leaving-officer', role: 'bureau_officer', organisationId: randomUUID() }, admin);
    const session = await tokenOf('leaving.officer', 'leaving-officer');
    expect((await call('GET', '/api/v1/me', undefined, session.access_token)).status).toBe(200);
    expect(await call('POST', `/api/v1/users/${created.body.id}/disable`, undefined, admin)).toMatchObject({ status: 200, body: { status: 'disabled' } });
    expect((await call('GET', '/api/v1/me', undefined, session.access_token)).body).toMatchObject({ status: 401, reason: 'user_disabled' });
    expect((await call('POST', '/oauth/token', { grant_type: 'refresh_token', refresh_token: session.refresh_token })).status).toBe(401);
    // Signing in again: with the right password, told the account is closed (not a wrong password to try again); with a wrong one, nothing.
    expect(await signIn('leaving.officer', 'leaving-officer')).toMatchObject({ status: 401, body: { rule: 'account_closed' } });
    expect(await signIn('leaving.officer', 'not-the-password')).toMatchObject({ status: 401, body: { rule: 'invalid_grant' } });
    expect(await call('POST', `/api/v1/users/${created.body.id}/disable`, undefined, admin)).toMatchObject({ status: 409, body: { rule: 'user_already_disabled' } });
  });

  it('limits failed sign-ins per username: the sixth attempt in the window is 429 with Retry-After, even with the right password', async () => {
    const admin = (await tokenOf('admin', FIRST_ADMIN_PASSWORD)).access_token;
    await call('POST', '/api/v1/users', { username: 'guessed.user', password: 'guessed-user-pass', role: 'platform_admin' }, admin);
    for (let attempt = 0; attempt < 5; attempt++) expect((await signIn('guessed.user', `wrong-${attempt}`)).status).toBe(401);
    const limited = await signIn('guessed.user', 'guessed-user-pass');
    expect(limited).toMatchObject({ status: 429, body: { rule: 'too_many_sign_ins' } });
    // When the first of the five leaves the 15 minutes' window: 900 s less the few since it failed.
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(880);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(900);
  });

  it('keeps a user signing in where they did before while others fail under their name; one address still gets five guesses', async () => {
    const admin = (await tokenOf('admin', FIRST_ADMIN_PASSWORD)).access_token;
    await call('POST', '/api/v1/users', { username: 'targeted.officer', password: 'targeted-officer', role: 'platform_admin' }, admin);
    const from = (address: string, password: string) => http(host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username: 'targeted.officer', password }, { 'x-forwarded-for': address });
    expect((await from('198.51.100.7', 'targeted-officer')).status).toBe(200);

    // Five failures from five other addresses: the username is locked wherever its user has not signed in from.
    for (let attempt = 1; attempt <= 5; attempt++) expect((await from(`203.0.113.${attempt}`, 'wrong')).status).toBe(401);
    expect((await from('203.0.113.9', 'targeted-officer')).status).toBe(429);
    expect((await from('198.51.100.7', 'targeted-officer')).status).toBe(200);

    // At their own address, five guesses of its own still, then 429 even with the right password.
    for (let attempt = 1; attempt <= 5; attempt++) expect((await from('198.51.100.7', `wrong-${attempt}`)).status).toBe(401);
    expect((await from('198.51.100.7', 'targeted-officer')).status).toBe(429);
  });

  it('counts an IPv6 client by its /64: its other addresses get no fresh count, and are known where its user signed in', async () => {
    const admin = (await tokenOf('admin', FIRST_ADMIN_PASSWORD)).access_token;
    const created = await call('POST', '/api/v1/users', { username: 'roaming.officer', password: 'roaming-officer', role: 'platform_admin' }, admin);
    const from = (address: string, username: string, password: string) => http(host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username, password }, { 'x-forwarded-for': address });

    // Twenty failures under twenty names, each from another address of one /64: the next from it is refused, whoever it names.
    for (let attempt = 1; attempt <= 20; attempt++) expect((await from(`2001:db8:77:1::${attempt.toString(16)}`, `nobody.${attempt}`, 'wrong')).status).toBe(401);
    expect((await from('2001:db8:77:1:ffff:ffff:ffff:ffff', 'roaming.officer', 'roaming-officer')).status).toBe(429);
    // Another /64 is another client.
    expect((await from('2001:db8:77:2::1', 'roaming.officer', 'roaming-officer')).status).toBe(200);
    // An IPv4 client, as a dual-stack proxy may name it (IPv4-mapped), signs in.
    expect((await from('::ffff:198.51.100.200', 'roaming.officer', 'roaming-officer')).status).toBe(200);

    // Five failures under the user's name from elsewhere lock it where its user has not signed in from...
    for (let attempt = 1; attempt <= 5; attempt++) expect((await from(`198.51.100.${100 + attempt}`, 'roaming.officer', 'wrong')).status).toBe(401);
    expect((await from('2001:db8:77:3::1', 'roaming.officer', 'roaming-officer')).status).toBe(429);
    // ...and not at another address of the /64 it signed in from, nor at the IPv4 address it was mapped from.
    expect((await from('2001:db8:77:2::abcd', 'roaming.officer', 'roaming-officer')).status).toBe(200);
    expect((await from('198.51.100.200', 'roaming.officer', 'roaming-officer')).status).toBe(200);

    // A row kept from before addresses were counted by their /64 holds the exact address: still known there.
    const sql = new Client({ connectionString: database.url, options: '-c search_path=identity' });
    await sql.connect();
    try {
      await sql.query('INSERT INTO sign_in_addresses (user_id, address, signed_in_at) VALUES ($1, $2, now())', [created.body.id, '2001:db8:77:4::9']);
      expect((await from('2001:db8:77:4::9', 'roaming.officer', 'roaming-officer')).status).toBe(200);
      expect((await sql.query('SELECT address FROM sign_in_addresses WHERE user_id = $1 ORDER BY address', [created.body.id])).rows.map((row) => row.address)).toEqual([
        '198.51.100.200',
        '2001:db8:77:2::/64',
        '2001:db8:77:4::/64',
        '2001:db8:77:4::9',
      ]);
    } finally {
      await sql.end();
    }
  });

  it('judges a burst of guesses at once as one after the other: no more than five are tried', async () => {
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, attempt) => http(host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username: 'burst.target', password: `guess-${attempt}` }, { 'x-forwarded-for': '192.0.2.50' })),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status !== 401).every((status) => status === 429)).toBe(true);
  });

  it('counts failed sign-ins by the username’s hash, never its text, and forgets them once out of the window', async () => {
    const sql = new Client({ connectionString: database.url, options: '-c search_path=identity' });
    await sql.connect();
    try {
      const subjects = async () => (await sql.query<{ subject: string }>('SELECT subject FROM sign_in_failures ORDER BY id')).rows.map((row) => row.subject);
      // One just out of the 15 minutes' window, and one in it, under other names: the next failure forgets the first only.
      await sql.query("INSERT INTO sign_in_failures (subject, failed_at) VALUES ('user:out-of-the-window', now() - interval '16 minutes'), ('user:of-the-window', now() - interval '10 minutes')");
      // A password typed into the username's field, as people do.
      expect((await signIn('Hunter2-Password', 'anything')).status).toBe(401);
      const kept = await subjects();
      expect(kept).not.toContain('user:out-of-the-window');
      expect(kept).toContain('user:of-the-window');
      expect(kept.join(' ').toLowerCase()).not.toContain('hunter2');
      expect(kept).toContain(`user:${createHash('sha256').update('hunter2-password').digest('hex')}`);
      // With no sign-in meanwhile, the minute's sweep forgets them too.
      await sql.query("INSERT INTO sign_in_failures (subject, failed_at) VALUES ('user:out-of-the-window', now() - interval '16 minutes')");
      expect(await host.app.get(SignInLimits).forgetOutOfWindow()).toBe(1);
      expect(await subjects()).not.toContain('user:out-of-the-window');
    } finally {
      await sql.end();
    }
  });

  it('issues API keys that act as their creator through the client-credentials grant, until revoked', async () => {
    const admin = (await tokenOf('admin', FIRST_ADMIN_PASSWORD)).access_token;
    const evaluator = randomUUID();
    await call('POST', '/api/v1/users', { username: 'import.clerk', password: 'import-clerk-pass', role: 'evaluator_staff', organisationId: evaluator }, admin);
    const clerk = (await tokenOf('import.clerk', 'import-clerk-pass')).access_token;
    const key = await call('POST', '/api/v1/api-keys', { name: '证书导入脚本' }, clerk);
    expect(key).toMatchObject({ status: 201, body: { clientId: expect.stringMatching(/^key_/), clientSecret: expect.any(String) } });

    const grant = { grant_type: 'client_credentials', client_id: key.body.clientId, client_secret: key.body.clientSecret };
    const viaKey = await call('POST', '/oauth/token', grant);
    expect(viaKey.status).toBe(200);
    expect(viaKey.body.refresh_token).toBeUndefined();
    expect(decodeJwt(viaKey.body.access_token)).toMatchObject({ role: 'evaluator_staff', org: evaluator, via: 'apiKey' });
    expect((await call('POST', '/oauth/token', { ...grant, client_secret: 'wrong' })).body).toMatchObject({ status: 401, rule: 'invalid_client' });
    // The key works as its creator, but manages no credentials: another key or user, a password, a second factor need the user signed in.
    const keyToken = viaKey.body.access_token as string;
    const byKey = expect.stringContaining('needs a user signed in, not an API key');
    const clerkId = (decodeJwt(clerk).sub as string);
    expect((await call('GET', '/api/v1/me', undefined, keyToken)).status).toBe(200);
    expect((await call('POST', '/api/v1/api-keys', { name: '另一把钥匙' }, keyToken)).body).toMatchObject({ status: 403, permission: 'api-keys:create', detail: byKey });
    expect((await call('POST', '/api/v1/users', { username: 'key.made', password: 'key-made-pass', role: 'evaluator_staff', organisationId: evaluator }, keyToken)).body).toMatchObject({ status: 403, permission: 'users:create', detail: byKey });
    expect((await call('POST', `/api/v1/users/${clerkId}/password`, { password: 'taken-over-pass' }, keyToken)).body).toMatchObject({ status: 403, permission: 'users:password', detail: byKey });
    expect((await call('POST', `/api/v1/users/${clerkId}/totp`, {}, keyToken)).body).toMatchObject({ status: 403, permission: 'users:totp', detail: byKey });
    expect((await tokenOf('import.clerk', 'import-clerk-pass')).access_token).toEqual(expect.any(String));

    expect((await call('DELETE', `/api/v1/api-keys/${key.body.clientId}`, undefined, clerk)).status).toBe(204);
    expect((await call('POST', '/oauth/token', grant)).status).toBe(401);
    expect((await call('DELETE', `/api/v1/api-keys/${key.body.clientId}`, undefined, clerk)).body).toMatchObject({ status: 409, rule: 'api_key_already_revoked' });
  });

  it("lets an organisation administrator's key neither disable a user nor revoke another user's key: a leaked key must not lock the organisation out", async () => {
    const admin = (await tokenOf('admin', FIRST_ADMIN_PASSWORD)).access_token;
    const employer = randomUUID();
    await call('POST', '/api/v1/users', { username: 'hr.admin', password: 'hr-admin-pass', role: 'employer_staff', organisationId: employer, orgAdmin: true }, admin);
    const colleague = await call('POST', '/api/v1/users', { username: 'hr.colleague', password: 'hr-colleague-pass', role: 'employer_staff', organisationId: employer }, admin);
    const hrAdmin = (await tokenOf('hr.admin', 'hr-admin-pass')).access_token;
    const colleagueKey = await call('POST', '/api/v1/api-keys', { name: '考勤系统' }, (await tokenOf('hr.colleague', 'hr-colleague-pass')).access_token);
    const [ownKey, ownOtherKey] = [await call('POST', '/api/v1/api-keys', { name: '人事系统' }, hrAdmin), await call('POST', '/api/v1/api-keys', { name: '人事系统（新）' }, hrAdmin)];
    const keyToken = (await call('POST', '/oauth/token', { grant_type: 'client_credentials', client_id: ownKey.body.clientId, client_secret: ownKey.body.clientSecret })).body.access_token as string;
    const byKey = expect.stringContaining('not an API key');

    expect((await call('POST', `/api/v1/users/${colleague.body.id}/disable`, undefined, keyToken)).body).toMatchObject({ status: 403, permission: 'users:disable', detail: byKey });
    expect((await call('DELETE', `/api/v1/api-keys/${colleagueKey.body.clientId}`, undefined, keyToken)).body).toMatchObject({ status: 403, permission: 'api-keys:revoke', detail: byKey });
    // Its creator's own keys it may revoke (a rotation), and the administrator signed in may do both.
    expect((await call('DELETE', `/api/v1/api-keys/${ownOtherKey.body.clientId}`, undefined, keyToken)).status).toBe(204);
    expect((await call('DELETE', `/api/v1/api-keys/${colleagueKey.body.clientId}`, undefined, hrAdmin)).status).toBe(204);
    expect((await call('POST', `/api/v1/users/${colleague.body.id}/disable`, undefined, hrAdmin)).status).toBe(200);
  });

  it('rotates its signing key: new tokens carry the new key, tokens signed before stay valid', async () => {
    const admin = (await tokenOf('admin', FIRST_ADMIN_PASSWORD)).access_token;
    const before = decodeProtectedHeader(admin).kid;
    const rotated = await call('POST', '/admin/identity/signing-keys/rotate', undefined, admin);
    expect(rotated.status).toBe(200);
    expect(rotated.body.kid).not.toBe(before);
    const after = (await tokenOf('admin', FIRST_ADMIN_PASSWORD)).access_token;
    expect(decodeProtectedHeader(after).kid).toBe(rotated.body.kid);
    expect((await call('GET', '/api/v1/me', undefined, admin)).status).toBe(200);
    expect((await call('GET', '/api/v1/me', undefined, after)).status).toBe(200);
    expect((await call('GET', '/.well-known/jwks.json')).body.keys.map((jwk: { kid: string }) => jwk.kid)).toEqual(expect.arrayContaining([before, rotated.body.kid]));
  });

  it('retires a signing key at once, and one superseded an hour ago by itself: tokens it signed stop working, a refresh gets a new one', async () => {
    const signIn = await tokenOf('admin', FIRST_ADMIN_PASSWORD);
    const old = decodeProtectedHeader(signIn.access_token).kid as string;
    expect(await call('POST', `/admin/identity/signing-keys/${old}/retire`, undefined, signIn.access_token)).toMatchObject({ status: 409, body: { rule: 'signing_key_in_use' } });
    const rotated = (await call('POST', '/admin/identity/signing-keys/rotate', undefined, signIn.access_token)).body.kid as string;
    const fresh = (await tokenOf('admin', FIRST_ADMIN_PASSWORD)).access_token;
    const keys = async () => (await call('GET', '/admin/identity/signing-keys', undefined, fresh)).body.items as Array<{ kid: string; createdAt: string; state: string; until: string | null }>;
    expect((await keys()).slice(0, 2)).toEqual([
      { kid: rotated, createdAt: expect.any(String), state: 'signing', until: null },
      { kid: old, createdAt: expect.any(String), state: 'published', until: expect.any(String) },
    ]);
    // Published for an hour after it was superseded (the longest an access token lives), and two minutes for clocks apart.
    const until = Date.parse((await keys())[1].until as string);
    expect(until - Date.now()).toBeGreaterThan(3700_000);
    expect(until - Date.now()).toBeLessThanOrEqual(3720_000 + 5_000);
    expect((await call('GET', '/api/v1/me', undefined, signIn.access_token)).status).toBe(200);

    const retired = await call('POST', `/admin/identity/signing-keys/${old}/retire`, undefined, fresh);
    expect(retired).toMatchObject({ status: 200, body: { kid: old, state: 'retired' } });
    expect((await call('GET', '/api/v1/me', undefined, signIn.access_token)).status).toBe(401);
    expect((await call('GET', '/.well-known/jwks.json')).body.keys.map((jwk: { kid: string }) => jwk.kid)).not.toContain(old);
    // The refresh token is not signed: the session goes on with a token of the new key.
    const renewed = await call('POST', '/oauth/token', { grant_type: 'refresh_token', refresh_token: signIn.refresh_token });
    expect(decodeProtectedHeader(renewed.body.access_token).kid).toBe(rotated);
    expect((await call('GET', '/api/v1/me', undefined, renewed.body.access_token)).status).toBe(200);
    expect(await call('POST', `/admin/identity/signing-keys/${old}/retire`, undefined, fresh)).toMatchObject({ status: 409, body: { rule: 'signing_key_already_retired' } });
    expect((await call('POST', `/admin/identity/signing-keys/${randomUUID()}/retire`, undefined, fresh)).status).toBe(404);

    // Superseded more than an hour ago (the clock moved on; here the keys are made older): no longer trusted.
    const makeKeysOlder = async () => {
      const sql = new Client({ connectionString: database.url });
      await sql.connect();
      try {
        await sql.query(`UPDATE identity.signing_keys SET created_at = created_at - interval '2 hours'`);
      } finally {
        await sql.end();
      }
    };
    await makeKeysOlder();
    const third = (await call('POST', '/admin/identity/signing-keys/rotate', undefined, fresh)).body.kid as string;
    await makeKeysOlder();
    const now = await tokenOf('admin', FIRST_ADMIN_PASSWORD);
    expect(decodeProtectedHeader(now.access_token).kid).toBe(third);
    const fourth = (await call('POST', '/admin/identity/signing-keys/rotate', undefined, now.access_token)).body.kid as string;
    expect((await call('GET', '/admin/identity/signing-keys', undefined, now.access_token)).body.items.slice(0, 3)).toEqual([
      { kid: fourth, createdAt: expect.any(String), state: 'signing', until: null },
      { kid: third, createdAt: expect.any(String), state: 'published', until: expect.any(String) },
      { kid: rotated, createdAt: expect.any(String), state: 'retired', until: expect.any(String) },
    ]);
    expect((await call('GET', '/api/v1/me', undefined, fresh)).status).toBe(401);
    expect((await call('GET', '/.well-known/jwks.json')).body.keys.map((jwk: { kid: string }) => jwk.kid)).toEqual([fourth, third]);
  });

  it('signs in every replica with the newest key: one rotated or retired in another replica is not used, and its tokens verify there at once', async () => {
    const other = await startTestHost({ modules: [IdentityModule], transport: 'in-process', databaseUrl: database.url });
    try {
      const signIn = (baseUrl: string) => http(baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username: 'admin', password: FIRST_ADMIN_PASSWORD });
      const before = (await signIn(other.baseUrl)).body.access_token as string;
      // The other replica has read the keys (a token verified there) just before the rotation.
      expect((await http(other.baseUrl, 'GET', '/api/v1/me', undefined, { authorization: `Bearer ${before}` })).status).toBe(200);
      const rotated = (await call('POST', '/admin/identity/signing-keys/rotate', undefined, before)).body.kid as string;
      const after = (await signIn(other.baseUrl)).body.access_token as string;
      expect(decodeProtectedHeader(after).kid).toBe(rotated);
      // A token it signs with the key made elsewhere verifies there at once, not only after the 5 s an unknown kid waits for a read.
      expect((await http(other.baseUrl, 'GET', '/api/v1/me', undefined, { authorization: `Bearer ${after}` })).status).toBe(200);
      expect(await call('POST', `/admin/identity/signing-keys/${decodeProtectedHeader(before).kid}/retire`, undefined, after)).toMatchObject({ status: 200 });
      expect((await http(other.baseUrl, 'GET', '/api/v1/me', undefined, { authorization: `Bearer ${after}` })).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('records who acted in the events: the signed-in admin with via token', async () => {
    const admin = (await tokenOf('admin', FIRST_ADMIN_PASSWORD)).access_token;
    const me = (await call('GET', '/api/v1/me', undefined, admin)).body;
    const created = await call('POST', '/api/v1/users', { username: `recorded.${randomUUID().slice(0, 8)}`, password: 'recorded-user-pass', role: 'platform_admin' }, admin);
    const { Client } = await import('pg');
    const sql = new Client({ connectionString: database.url });
    await sql.connect();
    try {
      const { rows } = await sql.query(`SELECT metadata->'actor' AS actor FROM identity.events WHERE stream_id = $1`, [`user-${created.body.id}`]);
      expect(rows).toEqual([{ actor: { userId: me.userId, role: 'platform_admin', organisationId: null, via: 'token' } }]);
    } finally {
      await sql.end();
    }
  });
});

describe('identity: the first admin without FIRST_ADMIN_PASSWORD', () => {
  it('generates a password, writes it to the admin-password file with mode 600, and it signs in', async () => {
    const database = await createTestDatabase();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'identity-admin-'));
    process.env.ADMIN_PASSWORD_FILE = path.join(dir, 'admin-password');
    // Empty, not unset: test hosts otherwise give the first admin the test password.
    process.env.ADMIN_PASSWORD = '';
    const host = await startTestHost({ modules: [IdentityModule], transport: 'in-process', databaseUrl: database.url });
    try {
      const password = readFileSync(process.env.ADMIN_PASSWORD_FILE, 'utf8').trim();
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect(statSync(process.env.ADMIN_PASSWORD_FILE).mode & 0o777).toBe(0o600);
      expect((await http(host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username: 'admin', password })).status).toBe(200);
    } finally {
      delete process.env.ADMIN_PASSWORD_FILE;
      delete process.env.ADMIN_PASSWORD;
      await host.close();
      await database.drop();
    }
  });

  it('prints the password and starts when the file cannot be written (an image with no such directory): the user is made once, its password said', async () => {
    const database = await createTestDatabase();
    process.env.ADMIN_PASSWORD_FILE = path.join(os.tmpdir(), `no-such-directory-${process.pid}`, 'admin-password');
    process.env.ADMIN_PASSWORD = '';
    const printed = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    let host: Awaited<ReturnType<typeof startTestHost>> | undefined;
    try {
      host = await startTestHost({ modules: [IdentityModule], transport: 'in-process', databaseUrl: database.url });
      const line = printed.mock.calls.map(([text]) => String(text)).find((text) => text.startsWith('identity: created the user admin'));
      expect(line).toContain('could not be written');
      const password = /with the password (\S+) /.exec(line ?? '')?.[1] ?? '';
      expect((await http(host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username: 'admin', password })).status).toBe(200);
    } finally {
      printed.mockRestore();
      delete process.env.ADMIN_PASSWORD_FILE;
      delete process.env.ADMIN_PASSWORD;
      await host?.close();
      await database.drop();
    }
  });
});
