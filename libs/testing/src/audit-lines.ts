import { Controller, Module, Type } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AUDIT_TOPIC, IntegrationEnvelope } from '@skills/contracts';

/**
 * The audit lines a service under test sends (identity-service keeps them; here they are only collected):
 * give `module` to the test host beside the service's, and read `lines`.
 */
export function auditLines(): { module: Type; lines: IntegrationEnvelope[] } {
  const lines: IntegrationEnvelope[] = [];

  @Controller()
  class AuditLines {
    @EventPattern(AUDIT_TOPIC)
    collect(@Payload() envelope: IntegrationEnvelope): void {
      lines.push(envelope);
    }
  }

  @Module({ controllers: [AuditLines] })
  class AuditLinesModule {}

  return { module: AuditLinesModule, lines };
}
