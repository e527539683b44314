import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TRAINEE_TOPIC, TraineeIntegrationEvent } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { MessageConsumer } from '@skills/messaging';
import { PoolClient } from 'pg';
import { userAggregate, userStreamId } from '../user.aggregate';
import { endSessions, userDisabledMessages } from '../user-sessions';

export const TRAINEE_USERS_CONSUMER = 'identity.trainee-users';

/**
 * When a trainee's personal data is erased, so are their users (PIPL): each is disabled at once
 * everywhere, and its username, which is often the person's phone number or name, is forgotten
 * (usernames live only in `username_claims`, never in the log).
 */
@Controller()
export class TraineeUsersConsumer {
  constructor(
    private readonly consumer: MessageConsumer,
    private readonly commands: CommandPipeline,
  ) {}

  @EventPattern(TRAINEE_TOPIC)
  async onTraineeEvent(@Payload() envelope: TraineeIntegrationEvent): Promise<void> {
    await this.consumer.consume(TRAINEE_USERS_CONSUMER, TRAINEE_TOPIC, envelope, async (tx, current) => {
      const message = current as TraineeIntegrationEvent;
      if (message.type === 'PersonalDataErased') await this.erase(tx, message.payload.traineeId);
    });
  }

  private async erase(tx: PoolClient, traineeId: string): Promise<void> {
    // Erasures are rare: the trainee's users are found in the log itself rather than in an index kept for this alone.
    const { rows } = await tx.query<{ user_id: string }>(`SELECT DISTINCT data->>'userId' AS user_id FROM events WHERE event_type = 'UserCreated' AND data->>'traineeId' = $1`, [traineeId]);
    for (const { user_id: userId } of rows) {
      await this.commands.handleInTransaction(tx, {
        stream: mustExist(userStreamId(userId), 'user', userId),
        aggregate: userAggregate,
        command: { type: 'EraseTraineeUser', traineeId },
        inTransaction: async (inner) => {
          await endSessions(inner, userId);
          await inner.query('DELETE FROM username_claims WHERE user_id = $1', [userId]);
        },
        integrationEvents: userDisabledMessages,
      });
    }
  }
}
