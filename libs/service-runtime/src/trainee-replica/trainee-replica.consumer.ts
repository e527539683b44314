import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TRAINEE_TOPIC, TraineeIntegrationEvent } from '@skills/contracts';
import { MessageConsumer } from '@skills/messaging';

export const TRAINEE_REPLICA_CONSUMER = Symbol('TRAINEE_REPLICA_CONSUMER');

/**
 * Keeps `known_trainees` from the trainee topic, once per event whatever the transport redelivers.
 * Region, masked name and a minor's 16th birthday are personal data: kept only until erasure; a voided
 * registration is forgotten, so nothing new can refer to it.
 */
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
          const { traineeId, nameMasked, registeredOn, workingAgeFrom } = message.payload;
          await tx.query(
            'INSERT INTO known_trainees (trainee_id, name_masked, registered_on, working_age_from) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
            [traineeId, nameMasked, registeredOn, workingAgeFrom],
          );
          return;
        }
        case 'TraineeCorrected':
          // A correction after erasure is refused by trainee-service; the guard keeps an erased name erased.
          await tx.query('UPDATE known_trainees SET name_masked = $2 WHERE trainee_id = $1 AND name_masked IS NOT NULL', [message.payload.traineeId, message.payload.nameMasked]);
          return;
        case 'TraineeRegistrationVoided':
          await tx.query('DELETE FROM known_trainees WHERE trainee_id = $1', [message.payload.traineeId]);
          return;
        case 'PersonalDataErased':
          await tx.query('UPDATE known_trainees SET name_masked = NULL, region_code = NULL, working_age_from = NULL WHERE trainee_id = $1', [message.payload.traineeId]);
          return;
      }
      // Every effect is a statement on tx: the inbox claim goes with it.
    }, { onlyThroughTx: true });
  }
}
