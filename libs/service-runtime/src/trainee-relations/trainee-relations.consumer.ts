import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CERTIFICATION_TOPIC, IntegrationEnvelope, PLACEMENT_TOPIC, TRAINEE_TOPIC, TRAINING_TOPIC } from '@skills/contracts';
import { ApplyTogether, MessageConsumer } from '@skills/messaging';
import { CertificateRelation, certificateRelationOf, recordCertificateRelations } from './certificate-relations';
import { relateAll, TraineeRelation, TraineeRelationVoided } from './relating-facts';
import { relatedOrganisationOf } from './trainee-relations';
import { TRAINEE_RELATIONS_CONSUMER, TraineeRelationsConsumerOptions } from './trainee-relations.options';

/**
 * Keeps `trainee_relations` from the facts that relate an organisation to a trainee (see
 * relatedOrganisationOf: registrations, enrolments and hires, and the voids of the last two) and from
 * certificates certified and voided (certificateRelationOf), on every topic that carries one, once per
 * message whatever the transport redelivers; but for the facts the service's own commands relate as they
 * record them.
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
    if (this.options.relatedWithTheFact?.includes(envelope?.type)) return;
    await this.consumer.consumeTogether(this.options.inbox, topic, envelope, relationOf, this.relateChunk);
  }

  /**
   * A chunk's relations by other facts (in one statement but for a chunk holding a void), then its
   * certificates' (which take back only a relation resting on certificates alone); its effects, on tx.
   */
  private readonly relateChunk: ApplyTogether<Relation | undefined> = async (tx, consumed) => {
    const values = consumed.flatMap(({ value }) => (value ? [value] : []));
    await relateAll(tx, values.filter((value): value is TraineeRelation | TraineeRelationVoided => !isCertificate(value)));
    await recordCertificateRelations(tx, values.filter(isCertificate));
  };
}

type Relation = TraineeRelation | TraineeRelationVoided | CertificateRelation;

const relationOf = (message: IntegrationEnvelope): Relation | undefined => certificateRelationOf(message) ?? relatedOrganisationOf(message);

const isCertificate = (value: Relation): value is CertificateRelation => 'certificateNumber' in value;
