import { Projection } from '@skills/event-sourcing';
import { UserEvent } from '../user.aggregate';

/**
 * Whether the user of the stream named by the parameter `streamId` must change their password: the
 * temporaryPassword of their last password (UserCreated or PasswordChanged, the latest in the stream), as
 * the user's aggregate keeps it (passwordChangeRequired); absent in events of before it, false.
 */
const PASSWORD_CHANGE_REQUIRED = (streamId: string) =>
  `coalesce((SELECT (data->>'temporaryPassword') = 'true' FROM events
              WHERE stream_id = ${streamId} AND event_type IN ('UserCreated', 'PasswordChanged')
              ORDER BY stream_version DESC LIMIT 1), false)`;

/**
 * One row per user, for the administrators' list of an organisation's users: what the user acts for,
 * whether they may sign in, and whether they must still change a password someone else set. Kept from the log, so it holds every user however created (by an
 * administrator, by an activation code, the first admin). No username: that lives in `username_claims`
 * only (see users.ts); an erased trainee's user leaves the directory with it.
 */
export const userDirectory: Projection<UserEvent> = {
  name: 'user-directory',
  table: 'user_directory',
  async createTable(tx, table) {
    await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
      user_id uuid PRIMARY KEY,
      role text NOT NULL,
      org_admin boolean NOT NULL,
      organisation_id uuid,
      organisation_kind text,
      trainee_id uuid,
      status text NOT NULL,
      created_on date NOT NULL,
      created_at timestamptz NOT NULL,
      password_change_required boolean NOT NULL DEFAULT false
    )`);
    // Pages go newest first, for one organisation or for the whole platform.
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_by_organisation ON ${table} (organisation_id, created_at, user_id)`);
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_by_time ON ${table} (created_at, user_id)`);
  },
  // In the checkpoint's transaction, so each event applies once; each statement would also be harmless twice.
  // In any order, too: the log is read in the order of the transactions' ids, and an erasure's chunk of
  // messages, whose transaction took its id before the activation that created the user, holds its
  // UserDisabled and UserErased ahead of that UserCreated. A user's life only goes forward (active,
  // disabled, erased), so the creation takes what the user's stream holds beyond it into account.
  // Whether the password must be changed goes back and forth: it is read, at the creation and at each
  // change, from the user's last password in the stream (PASSWORD_CHANGE_REQUIRED), whichever event comes first.
  async apply(tx, table, event) {
    switch (event.type) {
      case 'UserCreated': {
        const user = event.data;
        await tx.query(
          `INSERT INTO ${table} (user_id, role, org_admin, organisation_id, organisation_kind, trainee_id, status, created_on, created_at, password_change_required)
           SELECT $1, $2, $3, $4, $5, $6,
                  CASE WHEN EXISTS (SELECT 1 FROM events WHERE stream_id = $9 AND event_type = 'UserDisabled') THEN 'disabled' ELSE 'active' END, $7, $8,
                  ${PASSWORD_CHANGE_REQUIRED('$9')}
            WHERE NOT EXISTS (SELECT 1 FROM events WHERE stream_id = $9 AND event_type = 'UserErased')
           ON CONFLICT (user_id) DO NOTHING`,
          [user.userId, user.role, user.orgAdmin, user.organisationId, user.organisationKind, user.traineeId, user.createdOn, event.recordedAt, event.streamId],
        );
        return;
      }
      case 'PasswordChanged':
        await tx.query(`UPDATE ${table} SET password_change_required = ${PASSWORD_CHANGE_REQUIRED('$2')} WHERE user_id = $1`, [event.data.userId, event.streamId]);
        return;
      case 'UserDisabled':
        await tx.query(`UPDATE ${table} SET status = 'disabled' WHERE user_id = $1`, [event.data.userId]);
        return;
      case 'UserErased':
        await tx.query(`DELETE FROM ${table} WHERE user_id = $1`, [event.data.userId]);
        return;
    }
  },
};
