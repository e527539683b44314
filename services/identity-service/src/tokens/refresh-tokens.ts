import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { CLOCK } from '@skills/service-runtime';
import { createHash, randomBytes } from 'node:crypto';

/** A working day: a clerk halfway through a results grid is not thrown out; every use rotates the token. */
export const REFRESH_TOKEN_HOURS = 12;

const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Sessions as refresh tokens: only their hashes are stored; each is used once, then replaced. */
@Injectable()
export class RefreshTokens {
  constructor(
    private readonly database: Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(userId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock.now().getTime() + REFRESH_TOKEN_HOURS * 3600_000);
    await this.database.query('INSERT INTO refresh_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [hashOf(token), userId, expiresAt]);
    return token;
  }

  /** The user of an unused, unexpired token, which is revoked by this use; undefined otherwise. */
  async use(token: string): Promise<string | undefined> {
    const { rows } = await this.database.query<{ user_id: string }>(
      'UPDATE refresh_tokens SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2 RETURNING user_id',
      [hashOf(token), this.clock.now()],
    );
    return rows[0]?.user_id;
  }
}
