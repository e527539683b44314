import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  BRAND_TOPIC,
  BrandIntegrationEvent,
  CERTIFICATION_TOPIC,
  CertificationIntegrationEvent,
  IntegrationEnvelope,
  OrganisationKind,
  PLACEMENT_TOPIC,
  PlacementIntegrationEvent,
  TRAINING_TOPIC,
  TrainingIntegrationEvent,
} from '@skills/contracts';
import { ApplyTogether, MessageConsumer } from '@skills/messaging';

export const ORGANISATION_REPLICA_CONSUMER = Symbol('ORGANISATION_REPLICA_CONSUMER');

export interface RegisteredOrganisation {
  organisationId: string;
  kind: OrganisationKind;
  name: string;
  /** Bureaus are registered without one. */
  creditCode: string | null;
  regionCode: string;
}

/** The organisation a registration event names, or nothing for every other event of the topic. */
export function registeredOrganisationOf(message: IntegrationEnvelope): RegisteredOrganisation | undefined {
  const fact = message as TrainingIntegrationEvent | CertificationIntegrationEvent | PlacementIntegrationEvent | BrandIntegrationEvent;
  switch (fact.type) {
    case 'BureauRegistered':
      return { organisationId: fact.payload.bureauId, kind: 'bureau', name: fact.payload.name, creditCode: null, regionCode: fact.payload.regionCode };
    case 'ProviderRegistered':
      return { organisationId: fact.payload.providerId, kind: 'provider', name: fact.payload.name, creditCode: fact.payload.creditCode, regionCode: fact.payload.regionCode };
    case 'EvaluatorRegistered':
      return { organisationId: fact.payload.evaluatorId, kind: 'evaluator', name: fact.payload.name, creditCode: fact.payload.creditCode, regionCode: fact.payload.regionCode };
    case 'EmployerRegistered':
      return { organisationId: fact.payload.employerId, kind: 'employer', name: fact.payload.name, creditCode: fact.payload.creditCode, regionCode: fact.payload.regionCode };
    default:
      return undefined;
  }
}

/**
 * Keeps `organisations` from the registration events of brand (bureaus), training (providers),
 * certification (evaluators) and placement (employers), once per event whatever the transport
 * redelivers. A chunk's messages together: their claims in one statement (most of them, an import's
 * certificates, register nobody), the registrations among them in one insert.
 */
@Controller()
export class OrganisationReplicaConsumer {
  constructor(
    private readonly consumer: MessageConsumer,
    @Inject(ORGANISATION_REPLICA_CONSUMER) private readonly name: string,
  ) {}

  @EventPattern(BRAND_TOPIC)
  onBrandEvent(@Payload() envelope: BrandIntegrationEvent): Promise<void> {
    return this.consume(BRAND_TOPIC, envelope);
  }

  @EventPattern(TRAINING_TOPIC)
  onTrainingEvent(@Payload() envelope: TrainingIntegrationEvent): Promise<void> {
    return this.consume(TRAINING_TOPIC, envelope);
  }

  @EventPattern(CERTIFICATION_TOPIC)
  onCertificationEvent(@Payload() envelope: CertificationIntegrationEvent): Promise<void> {
    return this.consume(CERTIFICATION_TOPIC, envelope);
  }

  @EventPattern(PLACEMENT_TOPIC)
  onPlacementEvent(@Payload() envelope: PlacementIntegrationEvent): Promise<void> {
    return this.consume(PLACEMENT_TOPIC, envelope);
  }

  private consume(topic: string, envelope: IntegrationEnvelope): Promise<void> {
    return this.consumer.consumeTogether(this.name, topic, envelope, registeredOrganisationOf, recordAll);
  }
}

/** In their order, in one insert. A registration is never changed afterwards: the first one stands. */
const recordAll: ApplyTogether<RegisteredOrganisation | undefined> = async (tx, messages) => {
  const organisations = messages.flatMap(({ value }) => (value ? [value] : []));
  if (organisations.length === 0) return;
  await tx.query(
    `INSERT INTO organisations (organisation_id, kind, name, credit_code, region_code)
     SELECT id, kind, name, credit_code, region_code FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS o(id, kind, name, credit_code, region_code, n)
     ORDER BY n ON CONFLICT DO NOTHING`,
    [
      organisations.map((each) => each.organisationId),
      organisations.map((each) => each.kind),
      organisations.map((each) => each.name),
      organisations.map((each) => each.creditCode),
      organisations.map((each) => each.regionCode),
    ],
  );
};
