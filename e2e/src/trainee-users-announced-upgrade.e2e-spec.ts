// The upgrade that announces the trainees' users of before (identity-service's TraineeUsersAnnounced), seen
// from trainee-service: a trainee whose account an old build created, which told trainee-service nothing,
// is refused an activation code after the upgrade's first start (409 trainee_has_user), as one whose
// account the new build created is; a trainee without an account still gets one, and so does one whose
// account was disabled by a build that told no service of disabled users.
import { IdentityModule } from '@skills/identity-service';
import { bearer, createTestDatabase, http, signInAs, startTestHost, TestDatabase, TestHost, testIdentityNumber, waitFor } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

describe("the trainees' accounts of before, announced by the upgrade", () => {
  let database: TestDatabase;
  let sql: Client;
  let host: TestHost | undefined;
  let school: { token: string };
  let held: string;
  let free: string;
  let released: string;

  const start = () => startTestHost({ modules: [IdentityModule, TraineeModule], transport: 'in-process', databaseUrl: database.url, replicaWaitMs: 2000 });
  const issue = (traineeId: string) => http(host!.baseUrl, 'POST', `/api/v1/trainees/${traineeId}/activation-codes`, undefined, bearer(school.token));

  beforeAll(async () => {
    database = await createTestDatabase();
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    host = await start();
    school = await signInAs(host.baseUrl, { role: 'school_staff', organisationId: randomUUID() });
    const register = async (n: number) => (await http(host!.baseUrl, 'POST', '/api/v1/trainees', { name: '张三', idNumber: testIdentityNumber(n), phone: '13800000000' }, bearer(school.token))).body.id as string;
    held = await register(9401);
    free = await register(9402);
    released = await register(9403);
    await host.close();
    host = undefined;

    // As builds before it left the database: the trainees' users created (their UserCreated told nobody), one
    // of them disabled by a build that published no UserDisabled either; the upgrade not run.
    const createdUser = async (traineeId: string) => {
      const userId = randomUUID();
      await sql.query(`INSERT INTO identity.events (stream_id, stream_version, event_id, event_type, data, metadata) VALUES ($1, 1, $2, 'UserCreated', $3, $4)`, [
        `user-${userId}`,
        randomUUID(),
        { userId, role: 'trainee', organisationId: null, organisationKind: null, orgAdmin: false, traineeId, passwordHash: 'scrypt$x', createdOn: '2026-03-02' },
        { correlationId: 'activation-request', actor: { userId, role: 'trainee', organisationId: null, via: 'token' } },
      ]);
      return userId;
    };
    await createdUser(held);
    const disabled = await createdUser(released);
    await sql.query(`INSERT INTO identity.events (stream_id, stream_version, event_id, event_type, data, metadata) VALUES ($1, 2, $2, 'UserDisabled', $3, $4)`, [
      `user-${disabled}`,
      randomUUID(),
      { userId: disabled, disabledOn: '2026-04-01' },
      { correlationId: 'disable-request', actor: { userId: randomUUID(), role: 'platform_admin', organisationId: null, via: 'token' } },
    ]);
    await sql.query("DELETE FROM identity.migrations WHERE name LIKE 'TraineeUsersAnnounced%'");
  });

  afterAll(async () => {
    await host?.close();
    await sql?.end();
    await database?.drop();
  });

  it('refuses a code for the trainee whose account an old build created, and issues one for a trainee without an active one', async () => {
    host = await start();
    // Published as the start's relay goes: in one process, a message leaves the outbox once every handler applied it.
    await waitFor(async () => ((await sql.query('SELECT 1 FROM identity.outbox LIMIT 1')).rows.length === 0 ? true : undefined), { description: "identity's outbox published" });
    expect(await issue(held)).toMatchObject({ status: 409, body: { rule: 'trainee_has_user' } });
    expect(await issue(free)).toMatchObject({ status: 201 });
    expect(await issue(released)).toMatchObject({ status: 201 });
  });
});
