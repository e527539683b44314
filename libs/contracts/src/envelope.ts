/**
 * What travels between contexts: one integration event with enough context to be applied
 * idempotently (eventId), in order (aggregateId, aggregateVersion) and traced (correlationId).
 */
export interface IntegrationEnvelope<Type extends string = string, Payload = unknown> {
  eventId: string;
  type: Type;
  schemaVersion: number;
  aggregateId: string;
  aggregateVersion: number;
  /** Business time of the fact (ISO date or instant). */
  occurredAt: string;
  recordedAt: string;
  correlationId: string;
  causationId?: string;
  payload: Payload;
}

/** The integration log of each context: one topic per context, keyed by aggregate id. */
export const TOPICS = {
  trainee: 'skills.trainee.events.v1',
  training: 'skills.training.events.v1',
  certification: 'skills.certification.events.v1',
  placement: 'skills.placement.events.v1',
  brand: 'skills.brand.events.v1',
  identity: 'skills.identity.events.v1',
  /** Who did or read what: every accepted command and every read of full personal data, kept by identity. */
  audit: 'skills.audit.v1',
} as const;

export type Context = keyof typeof TOPICS;
export type Topic = (typeof TOPICS)[Context];

/** Where messages that keep failing are parked, with their error, so the partition moves on. */
export const DEAD_LETTER_TOPIC = 'skills.dead-letters.v1';
