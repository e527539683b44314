import { Injectable } from '@nestjs/common';
import { Database } from '@skills/postgres';
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * API keys as the client-credentials grant checks them. The secret is 256 random bits, so a SHA-256 of it
 * cannot be reversed by guessing: a slow password hash would only cost every grant a scrypt for nothing.
 */
@Injectable()
export class ApiKeys {
  constructor(private readonly database: Database) {}

  /** The user a working key acts as, or undefined (unknown client, wrong secret, revoked key). */
  async authenticate(clientId: string, secret: string): Promise<string | undefined> {
    const { rows } = await this.database.query<{ user_id: string; secret_hash: string; revoked_at: Date | null }>(
      'SELECT user_id, secret_hash, revoked_at FROM api_keys WHERE client_id = $1',
      [clientId],
    );
    const key = rows[0];
    if (!key || key.revoked_at) return undefined;
    const [given, stored] = [Buffer.from(this.secretHash(secret)), Buffer.from(key.secret_hash)];
    return given.length === stored.length && timingSafeEqual(given, stored) ? key.user_id : undefined;
  }

  async ownerOf(clientId: string): Promise<string | undefined> {
    const { rows } = await this.database.query<{ user_id: string }>('SELECT user_id FROM api_keys WHERE client_id = $1', [clientId]);
    return rows[0]?.user_id;
  }

  secretHash(secret: string): string {
    return createHash('sha256').update(secret).digest('base64url');
  }
}
