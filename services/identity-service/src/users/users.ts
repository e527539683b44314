import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { Caller } from '@skills/contracts';
import { CommandPipeline, eitherWay, UniqueClaim } from '@skills/event-sourcing';
import { Database } from '@skills/postgres';
import { KnownOrganisation, OrganisationReplica } from '@skills/service-runtime';
import { DEFAULT_PREFERENCES, KnownUser, organisationOfUser, User, userAggregate, UserPreferences, userStreamId } from './user.aggregate';

/** Users as sign-in and token checks read them: straight from their streams, found by username. */
@Injectable()
export class Users {
  constructor(
    private readonly database: Database,
    private readonly commands: CommandPipeline,
    private readonly organisations: OrganisationReplica,
  ) {}

  /**
   * The caller a token of this user names: the user, their username (kept only in username_claims, not
   * in the log) and the region of their organisation as the register has it.
   */
  async callerOf(user: KnownUser['user'], via: Caller['via']): Promise<Caller> {
    const organisation = user.organisationId ? await this.organisations.find(user.organisationId) : undefined;
    const { rows } = await this.database.query<{ username: string }>('SELECT username FROM username_claims WHERE user_id = $1', [user.userId]);
    // Only an organisation of the user's kind lends its region: a bureau officer named for a school is no bureau there.
    const regionCode = organisation?.kind === user.organisationKind ? organisation.regionCode : null;
    return callerOf(user, rows[0]?.username ?? user.userId, via, regionCode);
  }

  /** What the register knows of the organisation a user acts for; null for none, or one not registered (yet). */
  async organisationOf(user: User): Promise<KnownOrganisation | null> {
    const organisationId = organisationOfUser(user);
    return organisationId ? ((await this.organisations.find(organisationId)) ?? null) : null;
  }

  async byUsername(username: string): Promise<KnownUser | undefined> {
    const { rows } = await this.database.query<{ user_id: string }>('SELECT user_id FROM username_claims WHERE username = $1', [username.toLowerCase()]);
    return rows[0] ? this.byId(rows[0].user_id) : undefined;
  }

  async byId(userId: string): Promise<KnownUser | undefined> {
    const { state, version } = await this.commands.load(eitherWay(userStreamId(userId)), userAggregate);
    return version > 0 && state.status !== 'unknown' ? state : undefined;
  }

  /** The defaults for a user this platform does not hold (one of an external OpenID Connect issuer). */
  async preferencesOf(userId: string): Promise<UserPreferences> {
    return (await this.preferenceChoiceOf(userId)).preferences;
  }

  /** The user's preferences, and whether they ever chose them (never, for a user this platform does not hold). */
  async preferenceChoiceOf(userId: string): Promise<{ preferences: UserPreferences; chosen: boolean }> {
    const user = await this.byId(userId);
    return user ? { preferences: user.preferences, chosen: user.preferencesChosen } : { preferences: DEFAULT_PREFERENCES, chosen: false };
  }

  async isActive(userId: string): Promise<boolean> {
    return (await this.byId(userId))?.status === 'active';
  }

  async count(): Promise<number> {
    const { rows } = await this.database.query<{ n: string }>('SELECT count(*) AS n FROM username_claims');
    return Number(rows[0].n);
  }
}

/** What a token says of its user. */
function callerOf(user: KnownUser['user'], username: string, via: Caller['via'], regionCode: string | null): Caller {
  return {
    userId: user.userId,
    username,
    role: user.role,
    organisationId: user.organisationId,
    organisationKind: user.organisationKind,
    orgAdmin: user.orgAdmin,
    traineeId: user.traineeId,
    regionCode,
    via,
  };
}

/** One user per username (case-insensitive: usernames are kept in lower case). */
export const usernameClaim = (username: string, userId: string): UniqueClaim => ({
  table: 'username_claims',
  key: { username },
  holder: { column: 'user_id', id: userId },
  rule: 'username_taken',
  // Not echoed, nor whose it is: a trainee's username is often their phone number.
  detail: 'this username is taken',
  holderUnnamed: true,
});

/**
 * One active user per trainee: an account is the person's own, and a code issued again, or handed to the
 * wrong person, cannot make a second one while it is active. Released when the user is disabled
 * (releaseTraineeUserClaim), so a fresh code makes the person's own; kept after an erasure (taken again
 * then if released), so an erased trainee gets no new account. trainee-service learns of it from the
 * identity topic (TraineeUserCreated, UserDisabled) and issues no code meanwhile; this claim stays the rule.
 */
export const traineeUserClaim = (traineeId: string, userId: string): UniqueClaim => ({
  table: 'trainee_user_claims',
  key: { trainee_id: traineeId },
  holder: { column: 'user_id', id: userId },
  rule: 'trainee_has_user',
  detail: 'the trainee has a user already',
  holderUnnamed: true,
});

/** A disabled trainee user no longer holds its trainee: a fresh activation code makes the person another. */
export async function releaseTraineeUserClaim(tx: PoolClient, userId: string): Promise<void> {
  await tx.query('DELETE FROM trainee_user_claims WHERE user_id = $1', [userId]);
}

/** An erased trainee's user holds its trainee again, if no other does: no code makes the erased trainee a new account. */
export async function keepTraineeUserClaim(tx: PoolClient, traineeId: string, userId: string): Promise<void> {
  await tx.query('INSERT INTO trainee_user_claims (trainee_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [traineeId, userId]);
}

/**
 * Whether the user is the only active platform admin, read from the log itself (the user directory may
 * lag). Under a lock held to the transaction's end: two admins disabling each other at once are counted
 * one after the other, and the second finds itself the last.
 */
export async function isLastActivePlatformAdmin(tx: PoolClient, userId: string): Promise<boolean> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('identity.platform-admins'))");
  const { rows } = await tx.query<{ others: string }>(
    `SELECT count(*) AS others FROM events created
      WHERE created.event_type = 'UserCreated' AND created.data->>'role' = 'platform_admin' AND created.data->>'userId' <> $1
        AND NOT EXISTS (SELECT 1 FROM events disabled WHERE disabled.stream_id = created.stream_id AND disabled.event_type = 'UserDisabled')`,
    [userId],
  );
  return Number(rows[0].others) === 0;
}
