import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { CLOCK } from '@skills/service-runtime';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { KnownUser } from '../users/user.aggregate';

/**
 * A working day from the sign-in: a clerk halfway through a results grid is not thrown out. Every renewal
 * rotates the token, within the session's end: renewing never makes a session last longer.
 */
export const REFRESH_TOKEN_HOURS = 12;

/** How often the tokens of ended sessions are deleted (forgetEnded). */
const FORGET_EVERY_MS = 10 * 60_000;
/**
 * How long a used token is kept at least, even when no token of its session is live: between a renewal's
 * use of the old token and its insert of the new one, the session has none.
 */
const RENEWAL_GRACE_MS = 60_000;

/**
 * A token's sign-in when it has none (inserted by a replica of before `signed_in_at`, during a rolling
 * deploy, or before it): its session's end less REFRESH_TOKEN_HOURS; a token of before sessions, 12 hours
 * before any end it could have had (its expiry was 12 hours after its last renewal), so nothing that needs a
 * recent sign-in is done with it.
 */
const SIGNED_IN_AT_OF_BEFORE = `coalesce(signed_in_at, session_ends_at - interval '${REFRESH_TOKEN_HOURS} hours', expires_at - interval '${2 * REFRESH_TOKEN_HOURS} hours')`;

const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * What a session was opened with: the user's password and how often their second factor had been reset,
 * without keeping (another copy of) the password's hash. Either changed, the session does not renew.
 */
const credentialOf = ({ user, totpResets }: Pick<KnownUser, 'user' | 'totpResets'>) => createHash('sha256').update(`${user.passwordHash}|${totpResets}`).digest('base64url');

/** A session as its refresh token was used: whose, since which sign-in, until when, and opened with which password. */
export interface UsedSession {
  userId: string;
  sessionId: string;
  signedInAt: Date;
  endsAt: Date;
  credential: string | null;
}

/**
 * Sessions as refresh tokens: only their hashes are stored; each is used once, then replaced. A used token
 * presented again means that two hold the session (one stole it, RFC 9700 section 4.14): the session ends
 * for both. The tokens of a session that ended, or expired, are deleted every ten minutes.
 */
@Injectable()
export class RefreshTokens implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RefreshTokens');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly database: Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.forgetEnded().catch((error: Error) => this.logger.warn(`ended sessions not deleted this time: ${error.name}`));
    }, FORGET_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /**
   * Deletes the tokens that no longer renew anything: expired ones, and those of a session with no live
   * token left (ended by a disable, a password change, a reuse). A used token of a live session is kept:
   * presented again, it ends that session (`use`). Answers how many were deleted.
   */
  async forgetEnded(): Promise<number> {
    const now = this.clock.now();
    const { rowCount } = await this.database.query(
      `DELETE FROM refresh_tokens ended WHERE ended.expires_at <= $1
          OR (ended.revoked_at < $2 AND NOT EXISTS (
                SELECT 1 FROM refresh_tokens live WHERE live.session_id = ended.session_id AND live.revoked_at IS NULL AND live.expires_at > $1))`,
      [now, new Date(now.getTime() - RENEWAL_GRACE_MS)],
    );
    return rowCount ?? 0;
  }

  /** A new session of the user as they are now (their password, their second factor's resets), signed in at `signedInAt`. */
  async open(known: Pick<KnownUser, 'user' | 'totpResets'>, signedInAt: Date): Promise<string> {
    const endsAt = new Date(signedInAt.getTime() + REFRESH_TOKEN_HOURS * 3600_000);
    return this.insert({ userId: known.user.userId, sessionId: randomUUID(), signedInAt, endsAt, credential: credentialOf(known) });
  }

  /** The session's next token, ending with it. */
  async renew(session: UsedSession): Promise<string> {
    return this.insert(session);
  }

  /** Whether the session was opened with the user as they are: a changed password, or a reset second factor, ends it. */
  opensWith(session: UsedSession, known: Pick<KnownUser, 'user' | 'totpResets'>): boolean {
    return session.credential === null || session.credential === credentialOf(known);
  }

  /**
   * The session of an unused, unexpired token, which is revoked by this use; undefined otherwise. A token
   * used (or revoked) before ends its whole session: the thief who renewed first loses it too.
   */
  async use(token: string): Promise<UsedSession | undefined> {
    const { rows } = await this.database.query<{ user_id: string; session_id: string | null; signed_in_at: Date; ends_at: Date; credential: string | null }>(
      `UPDATE refresh_tokens SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2
       RETURNING user_id, session_id, ${SIGNED_IN_AT_OF_BEFORE} AS signed_in_at, coalesce(session_ends_at, expires_at) AS ends_at, credential`,
      [hashOf(token), this.clock.now()],
    );
    const [used] = rows;
    if (!used) {
      await this.endSessionOfReused(token);
      return undefined;
    }
    // A token of before sessions had their ids: its session goes on under a new one, ending when it would have.
    return { userId: used.user_id, sessionId: used.session_id ?? randomUUID(), signedInAt: used.signed_in_at, endsAt: used.ends_at, credential: used.credential };
  }

  /**
   * Signing out (POST /oauth/revoke): every token of the token's session is revoked, whether this one was
   * used or not (a token of before sessions, which has no session id, alone). Nothing for a token unknown.
   * The session's end is also written on its used tokens: a renewal under way in another tab (its token used,
   * the next not yet written) makes one that ends with it (`insert`), not one that outlives the sign-out.
   */
  async endSessionOf(token: string): Promise<void> {
    await this.database.query(
      `UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, $2), session_ends_at = least(coalesce(session_ends_at, expires_at), $2)
        WHERE token_hash = $1 OR session_id = (SELECT session_id FROM refresh_tokens WHERE token_hash = $1)`,
      [hashOf(token), this.clock.now()],
    );
  }

  /** Every token of the session of a used or revoked token is revoked (none for a token unknown, or of before sessions). */
  private async endSessionOfReused(token: string): Promise<void> {
    const { rowCount } = await this.database.query(
      `UPDATE refresh_tokens SET revoked_at = $2
        WHERE revoked_at IS NULL AND session_id = (SELECT session_id FROM refresh_tokens WHERE token_hash = $1 AND revoked_at IS NOT NULL)`,
      [hashOf(token), this.clock.now()],
    );
    // No user named: the session's end is the news, for whoever watches for stolen tokens.
    if (rowCount) this.logger.warn('a used refresh token was presented again: its session is ended');
  }

  /** The session's next token, ending when the session does: as its tokens say now (a sign-out since it was used ends it at once). */
  private async insert(session: UsedSession): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.database.query(
      `INSERT INTO refresh_tokens (token_hash, user_id, expires_at, session_id, session_ends_at, credential, signed_in_at)
       SELECT $1, $2, ends_at, $4, ends_at, $5, $6
         FROM (SELECT least($3::timestamptz, (SELECT min(session_ends_at) FROM refresh_tokens WHERE session_id = $4)) AS ends_at) session`,
      [hashOf(token), session.userId, session.endsAt, session.sessionId, session.credential, session.signedInAt],
    );
    return token;
  }
}
