// The upgrade that announces the trainees' users of before (identity.migrations.ts, TraineeUsersAnnounced).
// A database of before holds UserCreated events that told nobody: the first start puts in the outbox the
// TraineeUserCreated the code (traineeUserCreatedMessages) would have built for each one naming a trainee,
// in the log's order, after what the outbox held, but for users disabled since; a second run adds nothing.
import { Actor, IDENTITY_TOPIC } from '@skills/contracts';
import { readStream } from '@skills/event-sourcing';
import { migrate } from '@skills/postgres';
import { serviceMigrations } from '@skills/service-runtime';
import { createTestDatabase, TestDatabase } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { identityMigrations, TraineeUsersAnnounced } from './identity.migrations';
import { traineeUserCreatedMessages } from './users/trainee-user-messages';
import { UserEvent } from './users/user.aggregate';

const admin: Actor = { userId: randomUUID(), role: 'platform_admin', organisationId: null, via: 'token' };

describe('the upgrade that announces the trainees’ users created before', () => {
  let database: TestDatabase;
  let sql: Client;
  let other: Client;
  const activated = { userId: randomUUID(), traineeId: randomUUID() };
  const made = { userId: randomUUID(), traineeId: randomUUID() };
  const disabled = { userId: randomUUID(), traineeId: randomUUID() };
  const staff = randomUUID();

  /** A user's creation as an old build appended it (user.aggregate.ts), in `client`'s transaction. */
  const created = (client: Client, userId: string, traineeId: string | null, metadata: object) =>
    client.query(`INSERT INTO events (stream_id, stream_version, event_id, event_type, data, metadata) VALUES ($1, 1, $2, 'UserCreated', $3, $4)`, [
      `user-${userId}`,
      randomUUID(),
      { userId, role: traineeId ? 'trainee' : 'school_staff', organisationId: traineeId ? null : randomUUID(), organisationKind: traineeId ? null : 'school', orgAdmin: false, traineeId, passwordHash: 'scrypt$x', createdOn: '2026-03-02' },
      metadata,
    ]);

  const outbox = async () => (await sql.query('SELECT id::int, message_id, topic, message_key, envelope FROM outbox ORDER BY id')).rows;

  beforeAll(async () => {
    database = await createTestDatabase();
    // The schema as an old build left it: every migration before this one.
    await migrate(database.url, 'identity', serviceMigrations({ migrations: identityMigrations.filter((migration) => migration !== TraineeUsersAnnounced) }));
    sql = new Client({ connectionString: database.url, options: '-c search_path=identity' });
    other = new Client({ connectionString: database.url, options: '-c search_path=identity' });
    await Promise.all([sql.connect(), other.connect()]);

    // The log's order is the transactions' order, not the positions': the activation's transaction began
    // first and appends after the admin's creation, which commits in between.
    await sql.query('BEGIN');
    await sql.query('SELECT pg_current_xact_id()');
    // One metadata with a cause, one without (an HTTP command's): the envelope copies what there is.
    await created(other, made.userId, made.traineeId, { correlationId: 'admin-request', causationId: randomUUID(), actor: admin });
    await created(sql, activated.userId, activated.traineeId, { correlationId: 'activation-request', actor: { userId: activated.userId, role: 'trainee', organisationId: null, via: 'token' } });
    await sql.query('COMMIT');
    await created(sql, staff, null, { correlationId: 'staff-request', actor: admin });
    // A trainee's user disabled since (by an erasure), its UserDisabled not published yet: not announced.
    await created(sql, disabled.userId, disabled.traineeId, { correlationId: 'admin-request', actor: admin });
    await sql.query(`INSERT INTO events (stream_id, stream_version, event_id, event_type, data, metadata) VALUES ($1, 2, $2, 'UserDisabled', $3, $4)`, [
      `user-${disabled.userId}`,
      randomUUID(),
      { userId: disabled.userId, disabledOn: '2026-04-01' },
      { correlationId: 'erasure', causationId: randomUUID(), actor: { userId: null, role: null, organisationId: null, via: 'system', component: 'identity.trainee-accounts' } },
    ]);
    await sql.query(`INSERT INTO outbox (message_id, topic, message_key, envelope) SELECT event_id, $1, data->>'userId', '{"type": "UserDisabled"}' FROM events WHERE event_type = 'UserDisabled'`, [IDENTITY_TOPIC]);
  });

  afterAll(async () => {
    await sql?.end();
    await other?.end();
    await database?.drop();
  });

  it("puts in the outbox, after what it held, the message the code builds for each active trainee's user, in the log's order, once", async () => {
    const before = await outbox();
    await migrate(database.url, 'identity', serviceMigrations({ migrations: identityMigrations }));

    // What traineeUserCreatedMessages builds for each creation as the log holds it, in the log's order.
    const built = [];
    for (const userId of [activated.userId, made.userId, staff]) {
      built.push(...traineeUserCreatedMessages(await readStream<UserEvent>(sql, `user-${userId}`)));
    }
    expect(built.map((message) => message.envelope.aggregateId)).toEqual([activated.userId, made.userId]);
    const after = await outbox();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map(({ id: _id, ...row }) => row)).toEqual(
      built.map((message) => ({ message_id: message.envelope.eventId, topic: message.topic, message_key: message.key, envelope: JSON.parse(JSON.stringify(message.envelope)) })),
    );
    expect(after.slice(before.length)[0].envelope).toMatchObject({ type: 'TraineeUserCreated', schemaVersion: 1, correlationId: 'activation-request', payload: { ...activated, createdOn: '2026-03-02' } });

    // Run again (a start after it, or the migration renumbered): nothing more, the rows as they were.
    await migrate(database.url, 'identity', serviceMigrations({ migrations: identityMigrations }));
    await sql.query('DELETE FROM migrations WHERE name = $1', [TraineeUsersAnnounced.name]);
    await migrate(database.url, 'identity', serviceMigrations({ migrations: identityMigrations }));
    expect(await outbox()).toEqual(after);
  });
});
