import { Injectable } from '@nestjs/common';
import { Database } from '@skills/postgres';
import { hashPassword, UNMATCHABLE_HASH, verifyPassword } from '../users/passwords';

/** API keys as the client-credentials grant checks them: the secret against its scrypt hash. */
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
    const matches = await verifyPassword(secret, key?.secret_hash ?? UNMATCHABLE_HASH);
    return key && matches && !key.revoked_at ? key.user_id : undefined;
  }

  async ownerOf(clientId: string): Promise<string | undefined> {
    const { rows } = await this.database.query<{ user_id: string }>('SELECT user_id FROM api_keys WHERE client_id = $1', [clientId]);
    return rows[0]?.user_id;
  }

  secretHash(secret: string): Promise<string> {
    return hashPassword(secret);
  }
}
