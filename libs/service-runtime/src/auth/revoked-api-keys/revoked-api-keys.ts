import { Injectable, Logger } from '@nestjs/common';
import { Database, NotificationListener } from '@skills/postgres';
import { revokedApiKeysChannel } from './revoked-api-keys.schema';

/**
 * The revoked API keys this process knows of, for Authentication: a token got with one is refused. As
 * DisabledUsers, and for the same reasons: a lookup in an in-memory Set on every request, filled from each
 * service's `revoked_api_keys` at start and read again on the NOTIFY that follows each commit adding one
 * (which reaches every replica, where the Kafka message reaches one). It only grows: a revoked key is never
 * restored, and a key's id is never reused.
 */
@Injectable()
export class RevokedApiKeys {
  private readonly logger = new Logger(RevokedApiKeys.name);
  private readonly keys = new Set<string>();

  has(apiKeyId: string): boolean {
    return this.keys.has(apiKeyId);
  }

  /** A key this process revoked and committed (identity-service's): refused from its answer on, before the table is read again. */
  add(apiKeyId: string): void {
    this.keys.add(apiKeyId);
  }

  /** Reads a service's `revoked_api_keys` now and after every change; stop the listener at shutdown. */
  async follow(database: Database): Promise<NotificationListener> {
    const read = async () => {
      const { rows } = await database.query<{ api_key_id: string }>('SELECT api_key_id FROM revoked_api_keys');
      for (const row of rows) this.keys.add(row.api_key_id);
    };
    await read();
    const listener = new NotificationListener(database.options.url, [revokedApiKeysChannel(database.schema)], () =>
      read().catch((error: unknown) => this.logger.warn(`${database.schema}: revoked API keys not read: ${error instanceof Error ? error.message : String(error)}`)),
    );
    await listener.start();
    return listener;
  }
}
