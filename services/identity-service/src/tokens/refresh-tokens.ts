import { Inject, Injectable } from '@nestjs/common';
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

const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * What a session was opened with: the user's password and how often their second factor had been reset,
 * without keeping (another copy of) the password's hash. Either changed, the session does not renew.
 */
const credentialOf = ({ user, totpResets }: Pick<KnownUser, 'user' | 'totpResets'>) => createHash('sha256').update(`${user.passwordHash}|${totpResets}`).digest('base64url');

/** A session as its refresh token was used: whose, until when, and opened with which password. */
export interface UsedSession {
  userId: string;
  sessionId: string;
  endsAt: Date;
  credential: string | null;
}

/** Sessions as refresh tokens: only their hashes are stored; each is used once, then replaced. */
@Injectable()
export class RefreshTokens {
  constructor(
    private readonly database: Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A new session of the user as they are now (their password, their second factor's resets). */
  async open(known: Pick<KnownUser, 'user' | 'totpResets'>): Promise<string> {
    const endsAt = new Date(this.clock.now().getTime() + REFRESH_TOKEN_HOURS * 3600_000);
    return this.insert({ userId: known.user.userId, sessionId: randomUUID(), endsAt, credential: credentialOf(known) });
  }

  /** The session's next token, ending with it. */
  async renew(session: UsedSession): Promise<string> {
    return this.insert(session);
  }

  /** Whether the session was opened with the user as they are: a changed password, or a reset second factor, ends it. */
  opensWith(session: UsedSession, known: Pick<KnownUser, 'user' | 'totpResets'>): boolean {
    return session.credential === null || session.credential === credentialOf(known);
  }

  /** The session of an unused, unexpired token, which is revoked by this use; undefined otherwise. */
  async use(token: string): Promise<UsedSession | undefined> {
    const { rows } = await this.database.query<{ user_id: string; session_id: string | null; ends_at: Date; credential: string | null }>(
      `UPDATE refresh_tokens SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2
       RETURNING user_id, session_id, coalesce(session_ends_at, expires_at) AS ends_at, credential`,
      [hashOf(token), this.clock.now()],
    );
    const [used] = rows;
    // A token of before sessions had their ids: its session goes on under a new one, ending when it would have.
    return used && { userId: used.user_id, sessionId: used.session_id ?? randomUUID(), endsAt: used.ends_at, credential: used.credential };
  }

  private async insert(session: UsedSession): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.database.query('INSERT INTO refresh_tokens (token_hash, user_id, expires_at, session_id, session_ends_at, credential) VALUES ($1, $2, $3, $4, $3, $5)', [
      hashOf(token),
      session.userId,
      session.endsAt,
      session.sessionId,
      session.credential,
    ]);
    return token;
  }
}
