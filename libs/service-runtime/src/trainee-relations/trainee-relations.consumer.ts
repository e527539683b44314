import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CERTIFICATION_TOPIC, IntegrationEnvelope, PLACEMENT_TOPIC, TRAINEE_TOPIC, TRAINING_TOPIC } from '@skills/contracts';
import { MessageConsumer } from '@skills/messaging';
import { relate, relatedOrganisationOf } from './trainee-relations';

export const TRAINEE_RELATIONS_CONSUMER = Symbol('TRAINEE_RELATIONS_CONSUMER');

export interface TraineeRelationsConsumerOptions {
  /** The consumer's inbox name. */
  inbox: string;
  /**
   * The service's own topic, whose relating facts its commands write with the fact, in the same
   * transaction (trainee-service's registrations): its messages come back to a relation already there,
   * and claiming them would cost an inbox row and a statement per fact for nothing.
   */
  relatedWithTheFact?: string;
}

/**
 * Keeps `trainee_relations` from the facts that relate an organisation to a trainee (see
 * relatedOrganisationOf), on every topic that carries one (but the service's own, where the commands
 * relate), once per message whatever the transport redelivers.
 */
@Controller()
export class TraineeRelationsConsumer {
  constructor(
    private readonly consumer: MessageConsumer,
    @Inject(TRAINEE_RELATIONS_CONSUMER) private readonly options: TraineeRelationsConsumerOptions,
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

  private async consume(topic: string, envelope: IntegrationEnvelope): Promise<void> {
    if (topic === this.options.relatedWithTheFact) return;
    await this.consumer.consume(this.options.inbox, topic, envelope, async (tx, message) => {
      const relation = relatedOrganisationOf(message);
      if (relation) await relate(tx, relation.traineeId, relation.organisationId);
      // Its one effect is a statement on tx: the inbox claim goes with it.
    }, { onlyThroughTx: true });
  }
}
