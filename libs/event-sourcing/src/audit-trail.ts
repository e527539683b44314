import { AUDIT_TOPIC, AuditEntryV1, AuditEventType } from '@skills/contracts';
import { randomUUID } from 'node:crypto';
import { DecidedEvent, EventMetadata } from './event-store';
import { OutboxMessage } from './outbox';

/**
 * One line of the audit log as an outbox message (identity-service keeps the log). Keyed by the
 * resource, so the lines of one stream stay in order; a fresh id, since it is no domain event's.
 */
export function auditMessage(type: AuditEventType, entry: AuditEntryV1, source?: { version: number; recordedAt: string }): OutboxMessage {
  const key = entry.resource ?? entry.actor.userId ?? entry.service;
  return {
    topic: AUDIT_TOPIC,
    key,
    envelope: {
      eventId: randomUUID(),
      type,
      schemaVersion: 1,
      aggregateId: key,
      aggregateVersion: source?.version ?? 0,
      occurredAt: entry.at,
      recordedAt: source?.recordedAt ?? entry.at,
      correlationId: entry.correlationId,
      payload: entry,
    },
  };
}

/**
 * The audit line of a command that recorded events (domain.md section 9: who did what, when), or none
 * for work the platform does by itself (`via: system`): that is a consequence of a line already kept.
 * Only the command's type and the stream's id: never the command's fields, which may be personal data.
 */
export function commandAuditMessage(
  service: string,
  command: unknown,
  recorded: DecidedEvent[],
  caller: Pick<EventMetadata, 'correlationId' | 'actor'>,
  now: Date,
  /** The organisation whose resource the stream is, when the command says (default: the actor's). */
  resourceOrganisation?: string | null,
): OutboxMessage | undefined {
  const { actor } = caller;
  const last = recorded[recorded.length - 1];
  if (!actor || actor.via === 'system' || !last) return undefined;
  const action = typeof (command as { type?: unknown })?.type === 'string' ? (command as { type: string }).type : 'command';
  return auditMessage(
    'CommandAccepted',
    { at: now.toISOString(), actor, action, service, resource: last.streamId, organisationId: resourceOrganisation === undefined ? actor.organisationId : resourceOrganisation, correlationId: caller.correlationId },
    { version: last.streamVersion, recordedAt: last.recordedAt },
  );
}
