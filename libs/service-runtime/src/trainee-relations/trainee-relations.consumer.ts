import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CERTIFICATION_TOPIC, IntegrationEnvelope, PLACEMENT_TOPIC, TRAINEE_TOPIC, TRAINING_TOPIC } from '@skills/contracts';
import { MessageConsumer } from '@skills/messaging';
import { relate, relatedOrganisationOf } from './trainee-relations';

export const TRAINEE_RELATIONS_CONSUMER = Symbol('TRAINEE_RELATIONS_CONSUMER');

/**
 * Keeps `trainee_relations` from the facts that relate an organisation to a trainee (see
 * relatedOrganisationOf), on every topic that carries one, once per message whatever the transport redelivers.
 */
@Controller()
export class TraineeRelationsConsumer {
  constructor(
    private readonly consumer: MessageConsumer,
    @Inject(TRAINEE_RELATIONS_CONSUMER) private readonly name: string,
  ) {}

  @EventPattern(TRAINEE_TOPIC)
  onTraineeEvent(@Payload() envelope: IntegrationEnvelope): Promise<void> {
    return this.consume(TRAINEE_TOPIC, envelope);
  }

  @EventPattern(TRAINING_TOPIC)
  onTrainingEvent(@Payload() envelope: IntegrationEnvelope): Promise<void> {
    return this.consume(TRAINING_TOPIC, envelope);
  }

  @EventPattern(CERTIFICATION_TOPIC)
  onCertificationEvent(@Payload() envelope: IntegrationEnvelope): Promise<void> {
    return this.consume(CERTIFICATION_TOPIC, envelope);
  }

  @EventPattern(PLACEMENT_TOPIC)
  onPlacementEvent(@Payload() envelope: IntegrationEnvelope): Promise<void> {
    return this.consume(PLACEMENT_TOPIC, envelope);
  }

  private consume(topic: string, envelope: IntegrationEnvelope): Promise<void> {
    return this.consumer.consume(this.name, topic, envelope, async (tx, message) => {
      const relation = relatedOrganisationOf(message);
      if (relation) await relate(tx, relation.traineeId, relation.organisationId);
    });
  }
}
