import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { IDENTITY_TOPIC, IdentityIntegrationEvent } from '@skills/contracts';
import { MessageConsumer } from '@skills/messaging';
import { Database, notifyAfterCommit } from '@skills/postgres';
import { disabledUsersChannel } from './disabled-users.schema';

export const DISABLED_USERS_CONSUMER = Symbol('DISABLED_USERS_CONSUMER');

/** Keeps `disabled_users` from the identity topic, once per event; DisabledUsers reads it after the commit. */
@Controller()
export class DisabledUsersConsumer {
  constructor(
    private readonly consumer: MessageConsumer,
    private readonly database: Database,
    @Inject(DISABLED_USERS_CONSUMER) private readonly name: string,
  ) {}

  @EventPattern(IDENTITY_TOPIC)
  async onIdentityEvent(@Payload() envelope: IdentityIntegrationEvent): Promise<void> {
    await this.consumer.consume(this.name, IDENTITY_TOPIC, envelope, async (tx, current) => {
      const message = current as IdentityIntegrationEvent;
      if (message.type !== 'UserDisabled') return;
      const { userId, disabledOn } = message.payload;
      await tx.query('INSERT INTO disabled_users (user_id, disabled_on) VALUES ($1, $2) ON CONFLICT DO NOTHING', [userId, disabledOn]);
      notifyAfterCommit(tx, disabledUsersChannel(this.database.schema), { everyProcess: true });
    });
  }
}
