// A trainee creates their own user (api.md "Identity and access", domain.md section 9): staff of an
// organisation related to the trainee issue an activation code (trainee-service), the trainee redeems it
// with a username and password straight away (identity-service, read-your-writes across services), signs
// in and reads their own record and nobody else's. A code makes one user, expires after 14 days by the
// host's clock, and is kept nowhere in clear: only its hash.
import { Clock } from '@skills/domain-kernel';
import { IdentityModule } from '@skills/identity-service';
import { MessageConsumer } from '@skills/messaging';
import { adminToken, bearer, createTestDatabase, http, rowsOf, signInAs, startTestHost, TestDatabase, TestHost, testIdentityNumber, waitFor } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

const DAY_MS = 86_400_000;
const CODE = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;

/**
 * The host's clock: fixed, so "14 days from now" is exact, at the real second the run starts (the
 * tokens it signs are checked against the wall clock), and moved forward to see a code expire.
 */
let instant = new Date(Math.floor(Date.now() / 1000) * 1000);
const clock: Clock = { now: () => new Date(instant) };

describe('a trainee activating their own user with a code', () => {
  let database: TestDatabase;
  let host: TestHost;
  let school: { token: string };
  let trainee: string;
  let otherTrainee: string;
  let thirdTrainee: string;
  const issuedCodes: string[] = [];

  /** With an Idempotency-Key: the stored answer, which carries the code, must not keep it in clear either. */
  const issue = async (traineeId: string, token: string) => {
    const answer = await http(host.baseUrl, 'POST', `/api/v1/trainees/${traineeId}/activation-codes`, undefined, { ...bearer(token), 'idempotency-key': randomUUID() });
    if (answer.status === 201) issuedCodes.push(answer.body.code);
    return answer;
  };
  const activate = (code: string, username = `trainee.${randomUUID().slice(0, 8)}`, password = 'my-own-long-password') =>
    http(host.baseUrl, 'POST', '/api/v1/users/activate', { code, username, password });
  const refusedCode = (rule: string) => ({ status: 400, body: { rule, errors: [{ field: 'code', rule }] } });

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: [IdentityModule, TraineeModule], transport: 'in-process', databaseUrl: database.url, clock, replicaWaitMs: 2000 });
    school = await signInAs(host.baseUrl, { role: 'school_staff', organisationId: randomUUID() });
    const register = async (n: number, name: string) => {
      const answer = await http(host.baseUrl, 'POST', '/api/v1/trainees', { name, idNumber: testIdentityNumber(n), phone: '13800000000' }, bearer(school.token));
      expect(answer.status).toBe(201);
      return answer.body.id as string;
    };
    trainee = await register(9201, '赵小焊');
    otherTrainee = await register(9202, '钱小电');
    thirdTrainee = await register(9203, '孙小钳');
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  it('lets the registering school issue a code, valid 14 days from now, that the trainee redeems at once and signs in with', async () => {
    const issued = await issue(trainee, school.token);
    expect(issued.status).toBe(201);
    expect(issued.body.code).toMatch(CODE);
    expect(issued.body.expiresAt).toBe(new Date(instant.getTime() + 14 * DAY_MS).toISOString());

    // Straight after the 201: identity may not have the code yet, and waits for it.
    const username = `zhao.${randomUUID().slice(0, 8)}`;
    const activated = await activate(issued.body.code, username, 'zhao-long-password');
    expect(activated).toMatchObject({ status: 201, body: { id: expect.any(String) } });

    const signedIn = await http(host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username, password: 'zhao-long-password' });
    expect(signedIn.status).toBe(200);
    const own = bearer(signedIn.body.access_token);
    expect(await http(host.baseUrl, 'GET', '/api/v1/me', undefined, own)).toMatchObject({
      status: 200,
      body: { userId: activated.body.id, username, role: 'trainee', traineeId: trainee, organisationId: null, orgAdmin: false },
    });
    expect(await http(host.baseUrl, 'GET', `/api/v1/trainees/${trainee}`, undefined, own)).toMatchObject({ status: 200, body: { id: trainee, name: '赵小焊' } });
    expect((await http(host.baseUrl, 'GET', `/api/v1/trainees/${otherTrainee}`, undefined, own)).status).toBe(404);
    // The redemption is the person's own act, in their events and the audit log.
    const admin = bearer(await adminToken(host.baseUrl));
    const audited = await waitFor(async () => {
      const answer = await http(host.baseUrl, 'GET', `/api/v1/audit?actor=${activated.body.id}`, undefined, admin);
      return answer.body.items.length > 0 ? answer : undefined;
    }, { description: 'the activation in the audit log' });
    expect(audited.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'ActivateTraineeUser', resource: `user-${activated.body.id}`, actor: { userId: activated.body.id, role: 'trainee', organisationId: null, via: 'token' } })]),
    );

    // One code, one user.
    expect(await activate(issued.body.code)).toMatchObject({ status: 409, body: { rule: 'activation_code_used' } });
  });

  it('answers 404 to staff of an organisation unrelated to the trainee, and 403 to a trainee', async () => {
    const employer = await signInAs(host.baseUrl, { role: 'employer_staff', organisationId: randomUUID() });
    const unrelated = await issue(trainee, employer.token);
    expect(unrelated).toMatchObject({ status: 404, body: { entity: 'trainee' } });
    expect(unrelated.body).toEqual((await http(host.baseUrl, 'GET', `/api/v1/trainees/${trainee}`, undefined, bearer(employer.token))).body);
    const self = await signInAs(host.baseUrl, { role: 'trainee', traineeId: randomUUID() });
    expect(await issue(trainee, self.token)).toMatchObject({ status: 403, body: { permission: 'trainees:issue-activation-code' } });
  });

  it('keeps one code in circulation and makes one account per trainee', async () => {
    const first = await issue(thirdTrainee, school.token);
    const second = await issue(thirdTrainee, school.token);
    // The newer code withdraws the older one: a code handed to the wrong person can be replaced (redeeming
    // any code waits for the codes issued before the request, so the older one is refused even before the
    // newer one has reached identity: below).
    expect((await activate(second.body.code)).status).toBe(201);
    expect(await activate(first.body.code)).toMatchObject(refusedCode('activation_code_invalid'));
    // The account is the person's own: no further code is issued, nor is one made by hand.
    expect(await issue(thirdTrainee, school.token)).toMatchObject({ status: 409, body: { rule: 'trainee_has_user' } });
    expect((await http(host.baseUrl, 'POST', '/api/v1/users', { username: `again.${randomUUID().slice(0, 8)}`, password: 'a-long-enough-password', role: 'trainee', traineeId: thirdTrainee }, bearer(await adminToken(host.baseUrl)))).body).toMatchObject({ rule: 'trainee_has_user' });
  });

  it('does not redeem a replaced code while identity has not caught up: 503 and no user, then refused, and the newer code works', async () => {
    const registered = await http(host.baseUrl, 'POST', '/api/v1/trainees', { name: '周小锉', idNumber: testIdentityNumber(9207), phone: '13800000000' }, bearer(school.token));
    const traineeId = registered.body.id as string;
    const first = await issue(traineeId, school.token);
    await waitFor(async () => ((await rowsOf(database.url, 'SELECT 1 FROM identity.activation_codes WHERE trainee_id = $1', [traineeId])).length === 1 ? true : undefined));
    // Identity lags: the newer code, which withdraws the first, has not reached it when the first is typed.
    const identity = host.app.select(IdentityModule).get(MessageConsumer);
    identity.pause();
    let second;
    let stale;
    try {
      second = await issue(traineeId, school.token);
      stale = await activate(first.body.code);
    } finally {
      identity.resume();
    }
    expect(stale).toMatchObject({ status: 503, body: { rule: 'facts_not_caught_up' } });
    expect(await rowsOf(database.url, `SELECT 1 FROM identity.events WHERE event_type = 'UserCreated' AND data->>'traineeId' = $1`, [traineeId])).toEqual([]);
    expect(await activate(first.body.code)).toMatchObject(refusedCode('activation_code_invalid'));
    expect((await activate(second.body.code)).status).toBe(201);
  }, 60_000);

  it('gives the trainee back when their user is disabled: a code someone else redeemed no longer keeps the person from their own account', async () => {
    const registered = await http(host.baseUrl, 'POST', '/api/v1/trainees', { name: '吴小焊', idNumber: testIdentityNumber(9206), phone: '13800000000' }, bearer(school.token));
    const traineeId = registered.body.id as string;
    // A clerk redeems the code themself; an administrator disables that user.
    const rogue = await activate((await issue(traineeId, school.token)).body.code);
    expect(rogue.status).toBe(201);
    expect((await http(host.baseUrl, 'POST', `/api/v1/users/${rogue.body.id}/disable`, undefined, bearer(await adminToken(host.baseUrl)))).status).toBe(200);
    expect((await activate((await issue(traineeId, school.token)).body.code)).status).toBe(201);
    // The person's own account holds the trainee now: no further code is issued.
    expect(await issue(traineeId, school.token)).toMatchObject({ status: 409, body: { rule: 'trainee_has_user' } });
  });

  it("catches identity's facts up before refusing a code: a user disabled a moment ago, not applied here yet, does not keep the trainee", async () => {
    const registered = await http(host.baseUrl, 'POST', '/api/v1/trainees', { name: '郑小钻', idNumber: testIdentityNumber(9208), phone: '13800000000' }, bearer(school.token));
    const traineeId = registered.body.id as string;
    const user = await activate((await issue(traineeId, school.token)).body.code);
    expect(user.status).toBe(201);
    // Told of the new user: trainee-service issues no code that redemption would refuse.
    expect(await rowsOf(database.url, 'SELECT trainee_id FROM trainee.trainee_users WHERE user_id = $1', [user.body.id])).toEqual([{ trainee_id: traineeId }]);
    expect(await issue(traineeId, school.token)).toMatchObject({ status: 409, body: { rule: 'trainee_has_user' } });
    // trainee-service lags: the disabling has not reached it when the code is asked for, and arrives while it waits.
    const trainees = host.app.select(TraineeModule).get(MessageConsumer);
    trainees.pause();
    let issuing;
    try {
      expect((await http(host.baseUrl, 'POST', `/api/v1/users/${user.body.id}/disable`, undefined, bearer(await adminToken(host.baseUrl)))).status).toBe(200);
      issuing = issue(traineeId, school.token);
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      trainees.resume();
    }
    expect((await issuing).status).toBe(201);
  }, 60_000);

  it('lets a platform admin issue a code too', async () => {
    const issued = await issue(otherTrainee, await adminToken(host.baseUrl));
    expect(issued.status).toBe(201);
    expect(issued.body.code).toMatch(CODE);
  });

  it('refuses a code redeemed after it expired, by the host clock', async () => {
    const issued = await issue(otherTrainee, school.token);
    expect(issued.status).toBe(201);
    const issuedAt = instant;
    try {
      instant = new Date(issuedAt.getTime() + 14 * DAY_MS);
      expect(await activate(issued.body.code)).toMatchObject({ status: 409, body: { rule: 'activation_code_expired' } });
    } finally {
      instant = issuedAt;
    }
  });

  it('refuses a made-up code', async () => {
    expect(await activate('7K3M-Q9ZD-4T1B-XW8N')).toMatchObject(refusedCode('activation_code_invalid'));
    expect(await activate('hello')).toMatchObject(refusedCode('activation_code_invalid'));
  });

  it('a voided registration takes its codes and its user with it: a code issued before cannot be redeemed, the user activated before cannot sign in', async () => {
    const registerAndVoidLater = async (n: number, name: string) => (await http(host.baseUrl, 'POST', '/api/v1/trainees', { name, idNumber: testIdentityNumber(n), phone: '13800000000' }, bearer(school.token))).body.id as string;
    const [withUser, withCode] = [await registerAndVoidLater(9204, '李错登'), await registerAndVoidLater(9205, '周错登')];
    const username = `li.${randomUUID().slice(0, 8)}`;
    expect((await activate((await issue(withUser, school.token)).body.code, username, 'li-long-password')).status).toBe(201);
    const unredeemed = (await issue(withCode, school.token)).body.code as string;
    for (const traineeId of [withUser, withCode]) {
      expect((await http(host.baseUrl, 'POST', `/api/v1/trainees/${traineeId}/void`, { reason: '身份证号录入错误' }, bearer(school.token))).status).toBe(200);
    }
    expect(await activate(unredeemed)).toMatchObject(refusedCode('activation_code_invalid'));
    expect(await http(host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username, password: 'li-long-password' })).toMatchObject({ status: 401, body: { rule: 'invalid_grant' } });
  });

  it('keeps no code in clear in any table of any service, only its hash', async () => {
    expect(issuedCodes.length).toBeGreaterThanOrEqual(3);
    const sql = new Client({ connectionString: database.url });
    await sql.connect();
    try {
      const { rows: tables } = await sql.query<{ schema: string; name: string }>(
        `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
         WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
      );
      expect(tables.map((table) => `${table.schema}.${table.name}`)).toEqual(expect.arrayContaining(['identity.activation_codes', 'trainee.events']));
      const forms = issuedCodes.flatMap((code) => [code, code.replace(/-/g, '')]);
      const found: string[] = [];
      for (const { schema, name } of tables) {
        const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}"."${name}" t WHERE upper(t::text) LIKE ANY ($1)`, [forms.map((form) => `%${form}%`)]);
        if (rows[0].n > 0) found.push(`${schema}.${name}`);
      }
      expect(found).toEqual([]);
      // Only hashes, and per trainee the used code and the one still in circulation, if any.
      const { rows: codes } = await sql.query<{ trainee_id: string; used: boolean }>('SELECT trainee_id, used_at IS NOT NULL AS used FROM identity.activation_codes ORDER BY trainee_id, used');
      expect(codes).toEqual(
        expect.arrayContaining([
          { trainee_id: trainee, used: true },
          { trainee_id: otherTrainee, used: false },
          { trainee_id: thirdTrainee, used: true },
        ]),
      );
      expect(codes.length).toBeLessThan(issuedCodes.length);
    } finally {
      await sql.end();
    }
  });
});
