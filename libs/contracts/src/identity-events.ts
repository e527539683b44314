import { IntegrationEnvelope, TOPICS } from './envelope';

export const IDENTITY_TOPIC = TOPICS.identity;

/**
 * A user may no longer act: every service refuses their tokens from now on, not only identity-service
 * (a token stays valid until it expires, so each service keeps the disabled users of its own).
 * Carries no personal data: the user's id and the day only.
 */
export interface UserDisabledV1 {
  userId: string;
  disabledOn: string;
}

export type IdentityIntegrationEvent = IntegrationEnvelope<'UserDisabled', UserDisabledV1>;
