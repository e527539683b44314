// An activation code issued with the token of a session that had been ended makes no user. A password
// reset ends the sessions signed in before it, but their access tokens live out their minutes; identity
// refuses such a token every credential it makes itself (session-ended.int-spec), and an activation code,
// issued by trainee-service, is one too: whoever redeems it controls the trainee's account. The code keeps
// who issued it and when they signed in, and identity judges that when it is redeemed. A code issued before
// the reset, in a session then in force, still redeems. Real sign-ins, a real reset, both modules in one host.
import { IdentityModule } from '@skills/identity-service';
import { adminToken, bearer, createTestDatabase, http, rowsOf, startTestHost, TestDatabase, TestHost, testIdentityNumber } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

describe('an activation code issued in an ended session', () => {
  let database: TestDatabase;
  let host: TestHost;
  let admin: string;
  const organisationId = randomUUID();
  const clerk = { id: '', username: `clerk.${randomUUID().slice(0, 8)}` };

  const signIn = async (password: string) => {
    const answer = await http(host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username: clerk.username, password });
    expect(answer.status).toBe(200);
    return answer.body.access_token as string;
  };
  /** A token's sign-in is known to the second: the reset must come in a later one to end it. */
  const resetPassword = async (password: string) => {
    await sleep(1100);
    expect((await http(host.baseUrl, 'POST', `/api/v1/users/${clerk.id}/password`, { password }, bearer(admin))).status).toBe(200);
  };
  const register = async (n: number, token: string) => {
    const answer = await http(host.baseUrl, 'POST', '/api/v1/trainees', { name: '周小焊', idNumber: testIdentityNumber(n), phone: '13800000000' }, bearer(token));
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };
  const issue = async (traineeId: string, token: string) => {
    const answer = await http(host.baseUrl, 'POST', `/api/v1/trainees/${traineeId}/activation-codes`, undefined, bearer(token));
    expect(answer.status).toBe(201);
    return answer.body.code as string;
  };
  const activate = (code: string) => http(host.baseUrl, 'POST', '/api/v1/users/activate', { code, username: `trainee.${randomUUID().slice(0, 8)}`, password: 'my-own-long-password' });
  /** The users identity made for a trainee: a refused redemption must have made none. */
  const usersOf = async (traineeId: string) => (await rowsOf(database.url, `SELECT 1 FROM identity.events WHERE event_type = 'UserCreated' AND data->>'traineeId' = $1`, [traineeId])).length;
  /** What identity keeps of the tokens the trainee's codes were issued with: their count of the clerk's session ends. */
  const issuersOf = async (traineeId: string) =>
    (await rowsOf(database.url, 'SELECT issued_by, issuer_sessions_ended FROM identity.activation_codes WHERE trainee_id = $1 ORDER BY issued_at', [traineeId])).map((row) => [row.issued_by, row.issuer_sessions_ended]);

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: [IdentityModule, TraineeModule], transport: 'in-process', databaseUrl: database.url });
    admin = await adminToken(host.baseUrl);
    const created = await http(host.baseUrl, 'POST', '/api/v1/users', { username: clerk.username, password: 'the-first-password', role: 'school_staff', organisationId }, bearer(admin));
    expect(created.status).toBe(201);
    clerk.id = created.body.id;
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  it('refuses a code issued with the token of a session a password reset had ended (409 activation_code_session_ended), makes no user, and redeems one issued after a fresh sign-in', async () => {
    const stolen = await signIn('the-first-password');
    const trainee = await register(9311, stolen);
    await resetPassword('reset-by-the-admin');

    // trainee-service does not hold the clerk's sessions: the stolen token still issues the code.
    const code = await issue(trainee, stolen);
    const refused = await activate(code);
    expect(refused).toMatchObject({ status: 409, body: { rule: 'activation_code_session_ended' } });
    expect(await usersOf(trainee)).toBe(0);

    const fresh = await signIn('reset-by-the-admin');
    expect(await activate(await issue(trainee, fresh))).toMatchObject({ status: 201, body: { id: expect.any(String) } });
    expect(await usersOf(trainee)).toBe(1);
    // The stolen token's code was withdrawn by the newer one; the newer one's token counted the reset.
    expect(await issuersOf(trainee)).toEqual([[clerk.id, 1]]);
  });

  it('redeems a code issued before the reset, in a session then in force', async () => {
    const token = await signIn('reset-by-the-admin');
    const trainee = await register(9312, token);
    const code = await issue(trainee, token);
    await resetPassword('reset-once-more');
    expect(await activate(code)).toMatchObject({ status: 201, body: { id: expect.any(String) } });
  });
});
