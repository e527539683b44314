// The upgrade that gives the directory of users whether each must still change their password
// (identity.migrations.ts, UserDirectoryPasswordChangeRequired). A database of before holds the directory
// without it: the first start fills it in place from the log, as a rebuild of the projection would (the
// temporaryPassword of the user's last password, none in events of before it: false); the projection
// arrives at the same whatever order the log holds a user's events in.
import { LOG_START, readAll, readStream, RecordedEvent } from '@skills/event-sourcing';
import { migrate } from '@skills/postgres';
import { serviceMigrations } from '@skills/service-runtime';
import { createTestDatabase, TestDatabase } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client, PoolClient } from 'pg';
import { identityMigrations, UserDirectoryPasswordChangeRequired } from './identity.migrations';
import { userDirectory } from './users/list-users/user-directory.projection';
import { UserEvent, userStreamId } from './users/user.aggregate';

describe('the upgrade that tells in the directory of users who must still change their password', () => {
  let database: TestDatabase;
  let sql: Client;
  /** Each user of before, and what it must answer: its last password's temporaryPassword. */
  const users = {
    /** Created by a build of before temporary passwords: the field absent. */
    ofBefore: { userId: randomUUID(), expected: false },
    handedOver: { userId: randomUUID(), expected: true },
    changedSince: { userId: randomUUID(), expected: false },
    resetSince: { userId: randomUUID(), expected: true },
  };

  /** An event as a build of before appended it, in the user's stream. */
  const append = (userId: string, version: number, type: UserEvent['type'], data: object) =>
    sql.query(`INSERT INTO events (stream_id, stream_version, event_id, event_type, data, metadata) VALUES ($1, $2, $3, $4, $5, $6)`, [
      userStreamId(userId),
      version,
      randomUUID(),
      type,
      { userId, ...data },
      { correlationId: randomUUID() },
    ]);
  const created = (userId: string, temporaryPassword?: boolean) =>
    append(userId, 1, 'UserCreated', { role: 'platform_admin', organisationId: null, organisationKind: null, orgAdmin: false, traineeId: null, passwordHash: 'scrypt$x', createdOn: '2026-03-02', ...(temporaryPassword === undefined ? {} : { temporaryPassword }) });
  const passwordChanged = (userId: string, temporaryPassword: boolean) => append(userId, 2, 'PasswordChanged', { passwordHash: 'scrypt$y', changedOn: '2026-04-01', changedAt: '2026-04-01T08:00:00.000Z', temporaryPassword });

  const flagsIn = async (table: string) => {
    const { rows } = await sql.query<{ user_id: string; password_change_required: boolean }>(`SELECT user_id, password_change_required FROM ${table}`);
    return Object.fromEntries(rows.map((row) => [row.user_id, row.password_change_required]));
  };
  const expected = Object.fromEntries(Object.values(users).map(({ userId, expected }) => [userId, expected]));
  /** The projection as it is now applied to `events` in that order, into a table of its own. */
  const applied = async (table: string, events: RecordedEvent<UserEvent>[]) => {
    const tx = sql as unknown as PoolClient;
    await sql.query('BEGIN');
    await userDirectory.createTable(tx, table);
    for (const event of events) await userDirectory.apply(tx, table, event);
    await sql.query('COMMIT');
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    // The schema as a build of before left it: every migration before this one, and the directory it kept.
    await migrate(database.url, 'identity', serviceMigrations({ migrations: identityMigrations.filter((migration) => migration !== UserDirectoryPasswordChangeRequired) }));
    sql = new Client({ connectionString: database.url, options: '-c search_path=identity' });
    await sql.connect();
    await sql.query(`CREATE TABLE user_directory (
      user_id uuid PRIMARY KEY, role text NOT NULL, org_admin boolean NOT NULL, organisation_id uuid, organisation_kind text,
      trainee_id uuid, status text NOT NULL, created_on date NOT NULL, created_at timestamptz NOT NULL
    )`);
    await created(users.ofBefore.userId);
    await created(users.handedOver.userId, true);
    await created(users.changedSince.userId, true);
    await passwordChanged(users.changedSince.userId, false);
    await created(users.resetSince.userId, false);
    await passwordChanged(users.resetSince.userId, true);
    await sql.query(
      `INSERT INTO user_directory (user_id, role, org_admin, status, created_on, created_at)
       SELECT (data->>'userId')::uuid, 'platform_admin', false, 'active', '2026-03-02', recorded_at FROM events WHERE event_type = 'UserCreated'`,
    );
  });

  afterAll(async () => {
    await sql?.end();
    await database?.drop();
  });

  it('fills in place what a rebuild of the directory from the log answers: false for users of before temporary passwords', async () => {
    await migrate(database.url, 'identity', serviceMigrations({ migrations: identityMigrations }));
    expect(await flagsIn('user_directory')).toEqual(expected);

    // The projection rebuilt from the whole log, into a table of its own, agrees.
    await applied('user_directory_rebuilt', (await readAll(sql, LOG_START)) as RecordedEvent<UserEvent>[]);
    expect(await flagsIn('user_directory_rebuilt')).toEqual(expected);

    // A user added since (as the projection inserts it) leaves out nothing: the column's default is false.
    const later = randomUUID();
    await sql.query(`INSERT INTO user_directory (user_id, role, org_admin, status, created_on, created_at) VALUES ($1, 'platform_admin', false, 'active', '2026-05-01', now())`, [later]);
    expect((await flagsIn('user_directory'))[later]).toBe(false);
  });

  it('arrives at the same whatever order the log holds a user’s events in', async () => {
    const backwards = [];
    for (const { userId } of Object.values(users)) backwards.push(...(await readStream<UserEvent>(sql, userStreamId(userId))).reverse());
    await applied('user_directory_backwards', backwards);
    expect(await flagsIn('user_directory_backwards')).toEqual(expected);
  });
});
