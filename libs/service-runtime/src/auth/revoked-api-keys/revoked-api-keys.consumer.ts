import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { IDENTITY_TOPIC, IdentityIntegrationEvent } from '@skills/contracts';
import { MessageConsumer } from '@skills/messaging';
import { Database } from '@skills/postgres';
import { recordRevokedApiKey } from './revoked-api-keys.schema';

export const REVOKED_API_KEYS_CONSUMER = Symbol('REVOKED_API_KEYS_CONSUMER');

/** Keeps `revoked_api_keys` from the identity topic, once per event; RevokedApiKeys reads it after the commit. */
@Controller()
export class RevokedApiKeysConsumer {
  constructor(
    private readonly consumer: MessageConsumer,
    private readonly database: Database,
    @Inject(REVOKED_API_KEYS_CONSUMER) private readonly name: string,
  ) {}

  @EventPattern(IDENTITY_TOPIC)
  async onIdentityEvent(@Payload() envelope: IdentityIntegrationEvent): Promise<void> {
    await this.consumer.consume(this.name, IDENTITY_TOPIC, envelope, async (tx, current) => {
      const message = current as IdentityIntegrationEvent;
      if (message.type !== 'ApiKeyRevoked') return;
      await recordRevokedApiKey(tx, this.database.schema, message.payload);
    });
  }
}
