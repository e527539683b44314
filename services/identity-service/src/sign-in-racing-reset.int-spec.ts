// A sign-in that read and checked the old password while a reset committed: the reset's instant is taken
// when it is decided, before it commits, so the sign-in's auth_time is later than it, yet its token was
// issued for the old password. Interleaved for real: the sign-in reads the user, then waits on the sign-in
// limits' table (held locked here) while the administrator's reset commits and the host's clock moves a
// second on; then it finishes with the old password. Its token must be as ended as any of before the reset.
import { Clock } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { TestDatabase, TestHost, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { callerOf, closeIdentitySpecHost, FIRST_ADMIN_PASSWORD, startIdentitySpecHost } from './identity-spec-host';

/** At a whole second of the wall clock (the tokens it signs are checked against it), moved on by `later`. */
let instant = Math.floor(Date.now() / 1000) * 1000;
const clock: Clock = { now: () => new Date(instant) };
const later = () => (instant += 1000);

describe('identity: a sign-in racing a password reset', () => {
  let database: TestDatabase;
  let host: TestHost;
  let admin: string;
  const call = callerOf(() => host);
  const signIn = (username: string, password: string) => call('POST', '/oauth/token', { grant_type: 'password', username, password });

  beforeAll(async () => {
    ({ database, host } = await startIdentitySpecHost({ clock }));
    admin = (await signIn('admin', FIRST_ADMIN_PASSWORD)).body.access_token as string;
  });

  afterAll(() => closeIdentitySpecHost({ database, host }));

  it('ends the session of a sign-in that checked the old password while the reset committed: no API key (401 session_ended), no renewal; the new password makes one at once', async () => {
    const created = await call('POST', '/api/v1/users', { username: 'racing.clerk', password: 'the-old-password', role: 'school_staff', organisationId: randomUUID() }, admin);
    expect(created.status).toBe(201);
    const userId = created.body.id as string;

    const lock = new Client({ connectionString: database.url, options: '-c search_path=identity' });
    await lock.connect();
    let racing: ReturnType<typeof signIn>;
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE sign_in_failures IN ACCESS EXCLUSIVE MODE');
      // The sign-in reads the user (the old password), then waits to be counted against the limits.
      racing = signIn('racing.clerk', 'the-old-password');
      // Seen from another connection: within its transaction, the lock's own would see a snapshot of the activity.
      const activity = host.app.get(Database, { strict: false });
      const waiting = "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%sign_in_failures%'";
      await waitFor(async () => Number((await activity.query<{ n: string }>(waiting)).rows[0].n) > 0, { description: 'the sign-in to wait on the limits' });
      later();
      expect((await call('POST', `/api/v1/users/${userId}/password`, { password: 'the-new-password' }, admin)).status).toBe(200);
      later();
      await lock.query('COMMIT');
    } finally {
      await lock.end();
    }

    const raced = await racing;
    // It checked the old password before the reset committed: it signs in, a second after the reset's instant.
    expect(raced.status).toBe(200);
    const token = raced.body.access_token as string;
    expect(await call('POST', '/api/v1/api-keys', { name: 'raced key' }, token)).toMatchObject({ status: 401, body: { reason: 'session_ended' } });
    expect(await call('POST', '/oauth/token', { grant_type: 'refresh_token', refresh_token: raced.body.refresh_token })).toMatchObject({ status: 401, body: { rule: 'invalid_grant' } });
    // Reading stays open to it for its minutes, as to any token of an ended session.
    expect((await call('GET', '/api/v1/me', undefined, token)).status).toBe(200);

    // Signing in with the new password straight after makes credentials (the same second's case: session-in-force.spec.ts).
    const fresh = await signIn('racing.clerk', 'the-new-password');
    expect(fresh.status).toBe(200);
    expect((await call('POST', '/api/v1/api-keys', { name: 'own key' }, fresh.body.access_token as string)).status).toBe(201);
  });
});
