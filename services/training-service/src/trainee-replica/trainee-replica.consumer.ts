import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TRAINEE_TOPIC, TraineeIntegrationEvent } from '@skills/contracts';
import { MessageConsumer } from '@skills/messaging';

export const TRAINEE_REPLICA_CONSUMER = 'training.trainee-replica';

/** Keeps `known_trainees` from the trainee topic, once per event whatever the transport redelivers. */
@Controller()
export class TraineeReplicaConsumer {
  constructor(private readonly consumer: MessageConsumer) {}

  @EventPattern(TRAINEE_TOPIC)
  async onTraineeEvent(@Payload() envelope: TraineeIntegrationEvent): Promise<void> {
    await this.consumer.consume(TRAINEE_REPLICA_CONSUMER, TRAINEE_TOPIC, envelope, async (tx, current) => {
      const message = current as TraineeIntegrationEvent;
      // The replica holds no personal data, so an erasure leaves nothing to do here.
      if (message.type !== 'TraineeRegistered') return;
      const { traineeId, regionCode, registeredOn } = message.payload;
      await tx.query('INSERT INTO known_trainees (trainee_id, region_code, registered_on) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
        traineeId,
        regionCode,
        registeredOn,
      ]);
    });
  }
}
