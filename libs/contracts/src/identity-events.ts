import { IntegrationEnvelope, TOPICS } from './envelope';

export const IDENTITY_TOPIC = TOPICS.identity;

/**
 * A user may no longer act: every service refuses their tokens from now on, not only identity-service
 * (a token stays valid until it expires, so each service keeps the disabled users of its own).
 * Carries no personal data: the user's id and the day only. A trainee's user disabled (by whoever manages
 * it, or with the erasure of the trainee's personal data, which disables it first) is the user a
 * TraineeUserCreated named: from then on the trainee holds no active user through it.
 */
export interface UserDisabledV1 {
  userId: string;
  disabledOn: string;
}

/**
 * A user linked to a trainee was created (redeeming an activation code, or made by whoever manages users):
 * the trainee holds an active user until a UserDisabled names `userId`. Published under the user's id, as
 * UserDisabled is, so the two reach a consumer in their order. Ids and the day only.
 */
export interface TraineeUserCreatedV1 {
  traineeId: string;
  userId: string;
  createdOn: string;
}

/**
 * An API key was revoked: every service refuses the access tokens got with it from now on, as a disabled
 * user's (a token names its key in `client_id`). `apiKeyId` is the key's client id. Published under the
 * user's id, as UserDisabled is. Ids and the day only.
 */
export interface ApiKeyRevokedV1 {
  apiKeyId: string;
  userId: string;
  revokedOn: string;
}

export type IdentityIntegrationEvent =
  | IntegrationEnvelope<'UserDisabled', UserDisabledV1>
  | IntegrationEnvelope<'TraineeUserCreated', TraineeUserCreatedV1>
  | IntegrationEnvelope<'ApiKeyRevoked', ApiKeyRevokedV1>;
