import { notifyAfterCommit, sqlMigration } from '@skills/postgres';
import { PoolClient } from 'pg';

/**
 * The API keys identity-service revoked, as this service learnt them from the identity topic
 * (RevokedApiKeysConsumer). ServiceRuntimeModule adds it to every service: each refuses the tokens got with them.
 */
export const RevokedApiKeysSchema = sqlMigration(
  'RevokedApiKeys',
  1796601600000,
  `CREATE TABLE IF NOT EXISTS revoked_api_keys (
     api_key_id text PRIMARY KEY,
     user_id uuid NOT NULL,
     revoked_on date NOT NULL
   )`,
  'DROP TABLE revoked_api_keys',
);

/** Notified after a commit that added a revoked key: every replica of the service reads the table again. */
export const revokedApiKeysChannel = (schema: string) => `${schema}_revoked_api_keys`;

/**
 * Records a revoked key in a service's `revoked_api_keys`, in the caller's transaction. The consumer records
 * what the identity topic says; identity-service records its own revocation with it, so that its own
 * process refuses the key's tokens at the commit, not only once its message has gone round.
 */
export function recordRevokedApiKey(tx: PoolClient, schema: string, key: { apiKeyId: string; userId: string; revokedOn: string }): Promise<unknown> {
  notifyAfterCommit(tx, revokedApiKeysChannel(schema), { everyProcess: true });
  return tx.query('INSERT INTO revoked_api_keys (api_key_id, user_id, revoked_on) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [key.apiKeyId, key.userId, key.revokedOn]);
}
