import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TRAINEE_TOPIC, TraineeIntegrationEvent } from '@skills/contracts';
import { MessageConsumer } from '@skills/messaging';

export const TRAINEE_REPLICA_CONSUMER = Symbol('TRAINEE_REPLICA_CONSUMER');

/** Keeps `known_trainees` from the trainee topic, once per event whatever the transport redelivers. */
@Controller()
export class TraineeReplicaConsumer {
  constructor(
    private readonly consumer: MessageConsumer,
    @Inject(TRAINEE_REPLICA_CONSUMER) private readonly name: string,
  ) {}

  @EventPattern(TRAINEE_TOPIC)
  async onTraineeEvent(@Payload() envelope: TraineeIntegrationEvent): Promise<void> {
    await this.consumer.consume(this.name, TRAINEE_TOPIC, envelope, async (tx, current) => {
      const message = current as TraineeIntegrationEvent;
      switch (message.type) {
        case 'TraineeRegistered': {
          const { traineeId, regionCode, nameMasked, registeredOn } = message.payload;
          await tx.query(
            'INSERT INTO known_trainees (trainee_id, region_code, name_masked, registered_on) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
            [traineeId, regionCode, nameMasked, registeredOn],
          );
          return;
        }
        case 'PersonalDataErased':
          await tx.query('UPDATE known_trainees SET name_masked = NULL WHERE trainee_id = $1', [message.payload.traineeId]);
          return;
      }
    });
  }
}
