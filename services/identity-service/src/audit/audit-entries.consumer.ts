import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AUDIT_TOPIC, AuditEvent, IntegrationEnvelope } from '@skills/contracts';
import { MessageConsumer } from '@skills/messaging';
import { PoolClient } from 'pg';

export const AUDIT_CONSUMER = 'identity.audit';

/**
 * Keeps `audit_entries` from the audit topic every service publishes to (its command pipeline for each
 * user's command, its AuditTrail for each read of personal data), once per line.
 */
@Controller()
export class AuditEntriesConsumer {
  constructor(private readonly consumer: MessageConsumer) {}

  @EventPattern(AUDIT_TOPIC)
  async onAuditEvent(@Payload() envelope: AuditEvent): Promise<void> {
    await this.consumer.consume(AUDIT_CONSUMER, AUDIT_TOPIC, envelope, (tx, current) => this.apply(tx, current));
  }

  private async apply(tx: PoolClient, message: IntegrationEnvelope): Promise<void> {
    const { type, payload: entry } = message as AuditEvent;
    await tx.query(
      `INSERT INTO audit_entries (entry_id, kind, at, actor, actor_user_id, action, service, resource, organisation_id, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (entry_id) DO NOTHING`,
      [message.eventId, type, entry.at, entry.actor, entry.actor.userId, entry.action, entry.service, entry.resource, entry.organisationId, entry.correlationId],
    );
  }
}
