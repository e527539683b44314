import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TRAINEE_TOPIC, TraineeIntegrationEvent } from '@skills/contracts';
import { MessageConsumer } from '@skills/messaging';

export const ACTIVATION_CODES_CONSUMER = 'identity.activation-codes';

/**
 * Keeps `activation_codes` from the trainee topic, once per event: each issued code's hash, until it
 * is used; an erasure of the trainee's personal data withdraws their unused codes.
 */
@Controller()
export class ActivationCodesConsumer {
  constructor(private readonly consumer: MessageConsumer) {}

  @EventPattern(TRAINEE_TOPIC)
  async onTraineeEvent(@Payload() envelope: TraineeIntegrationEvent): Promise<void> {
    await this.consumer.consume(ACTIVATION_CODES_CONSUMER, TRAINEE_TOPIC, envelope, async (tx, current) => {
      const message = current as TraineeIntegrationEvent;
      switch (message.type) {
        case 'ActivationCodeIssued': {
          const { codeHash, traineeId, expiresAt } = message.payload;
          await tx.query('INSERT INTO activation_codes (code_hash, trainee_id, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [codeHash, traineeId, expiresAt]);
          return;
        }
        case 'PersonalDataErased':
          await tx.query('DELETE FROM activation_codes WHERE trainee_id = $1 AND used_at IS NULL', [message.payload.traineeId]);
          return;
      }
    });
  }
}
