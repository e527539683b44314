import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { IDENTITY_TOPIC, IdentityIntegrationEvent } from '@skills/contracts';
import { MessageConsumer } from '@skills/messaging';

const TRAINEE_USERS_CONSUMER = 'trainee.trainee-users';

/**
 * Keeps `trainee_users` from identity's TraineeUserCreated, once per event. The users' UserDisabled is not
 * taken here: the runtime keeps it in `disabled_users` for every service (DisabledUsersConsumer), and
 * TraineeUsers reads the two together, so the messages may be applied in either order.
 */
@Controller()
export class TraineeUsersConsumer {
  constructor(private readonly consumer: MessageConsumer) {}

  @EventPattern(IDENTITY_TOPIC)
  async onIdentityEvent(@Payload() envelope: IdentityIntegrationEvent): Promise<void> {
    // Only the creations: the topic's other messages cost nothing here.
    if (envelope?.type !== 'TraineeUserCreated') return;
    await this.consumer.consume(TRAINEE_USERS_CONSUMER, IDENTITY_TOPIC, envelope, async (tx, current) => {
      const message = current as IdentityIntegrationEvent;
      if (message.type !== 'TraineeUserCreated') return;
      const { userId, traineeId } = message.payload;
      await tx.query('INSERT INTO trainee_users (user_id, trainee_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [userId, traineeId]);
    });
  }
}
