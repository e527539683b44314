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
import { MessageConsumer } from '@skills/messaging';
import { PoolClient } from 'pg';

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
 * certification (evaluators) and placement (employers), once per event whatever the transport redelivers.
 */
@Controller()
export class OrganisationReplicaConsumer {
  constructor(
    private readonly consumer: MessageConsumer,
    @Inject(ORGANISATION_REPLICA_CONSUMER) private readonly name: string,
  ) {}

  @EventPattern(BRAND_TOPIC)
  async onBrandEvent(@Payload() envelope: BrandIntegrationEvent): Promise<void> {
    await this.consumer.consume(this.name, BRAND_TOPIC, envelope, (tx, current) => record(tx, current));
  }

  @EventPattern(TRAINING_TOPIC)
  async onTrainingEvent(@Payload() envelope: TrainingIntegrationEvent): Promise<void> {
    await this.consumer.consume(this.name, TRAINING_TOPIC, envelope, (tx, current) => record(tx, current));
  }

  @EventPattern(CERTIFICATION_TOPIC)
  async onCertificationEvent(@Payload() envelope: CertificationIntegrationEvent): Promise<void> {
    await this.consumer.consume(this.name, CERTIFICATION_TOPIC, envelope, (tx, current) => record(tx, current));
  }

  @EventPattern(PLACEMENT_TOPIC)
  async onPlacementEvent(@Payload() envelope: PlacementIntegrationEvent): Promise<void> {
    await this.consumer.consume(this.name, PLACEMENT_TOPIC, envelope, (tx, current) => record(tx, current));
  }
}

/** A registration is never changed afterwards: the first one stands. */
async function record(tx: PoolClient, message: IntegrationEnvelope): Promise<void> {
  const organisation = registeredOrganisationOf(message);
  if (!organisation) return;
  await tx.query(
    'INSERT INTO organisations (organisation_id, kind, name, credit_code, region_code) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
    [organisation.organisationId, organisation.kind, organisation.name, organisation.creditCode, organisation.regionCode],
  );
}
