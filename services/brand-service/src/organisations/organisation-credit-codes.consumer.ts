import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { IntegrationEnvelope, PLACEMENT_TOPIC, PlacementIntegrationEvent, TRAINING_TOPIC, TrainingIntegrationEvent } from '@skills/contracts';
import { MessageConsumer } from '@skills/messaging';
import { PoolClient } from 'pg';

export const ORGANISATION_CREDIT_CODES_CONSUMER = 'brand.organisation-credit-codes';

/**
 * Keeps `organisation_credit_codes` from the providers' and employers' registration events, once per
 * event: a brand names its building units by credit code, a caller's token names its organisation by id.
 */
@Controller()
export class OrganisationCreditCodesConsumer {
  constructor(private readonly consumer: MessageConsumer) {}

  @EventPattern(TRAINING_TOPIC)
  async onTrainingEvent(@Payload() envelope: IntegrationEnvelope): Promise<void> {
    await this.consumer.consume(ORGANISATION_CREDIT_CODES_CONSUMER, TRAINING_TOPIC, envelope, async (tx, current) => {
      const message = current as TrainingIntegrationEvent;
      if (message.type === 'ProviderRegistered') await record(tx, message.payload.providerId, message.payload.creditCode);
    });
  }

  @EventPattern(PLACEMENT_TOPIC)
  async onPlacementEvent(@Payload() envelope: IntegrationEnvelope): Promise<void> {
    await this.consumer.consume(ORGANISATION_CREDIT_CODES_CONSUMER, PLACEMENT_TOPIC, envelope, async (tx, current) => {
      const message = current as PlacementIntegrationEvent;
      if (message.type === 'EmployerRegistered') await record(tx, message.payload.employerId, message.payload.creditCode);
    });
  }
}

/** An organisation's credit code does not change once registered. */
async function record(tx: PoolClient, organisationId: string, creditCode: string): Promise<void> {
  await tx.query('INSERT INTO organisation_credit_codes (organisation_id, credit_code) VALUES ($1, $2) ON CONFLICT DO NOTHING', [organisationId, creditCode]);
}
