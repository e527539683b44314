import { IntegrationEnvelope, TOPICS } from './envelope';

export const TRAINEE_TOPIC = TOPICS.trainee;

/**
 * A trainee exists. Free of personal data (name, identity number, phone): the topic is kept forever
 * and read by every context, and personal data must stay erasable. Only the masked name travels
 * (the surname and one star per further character, 张**), for public certificate verification;
 * consumers drop it when PersonalDataErased arrives.
 *
 * v2 added `registeredBy`: the registering organisation is related to the trainee (domain.md section 9)
 * in every service that judges reads of them, not only in trainee-service. v1 messages are upcast with
 * null (see upcasters.ts): their registering organisation is unknown outside trainee-service.
 */
export interface TraineeRegisteredV2 {
  traineeId: string;
  nameMasked: string;
  regionCode: string;
  birthDate: string;
  gender: 'male' | 'female';
  categories: string[];
  registeredOn: string;
  /** The organisation of the registering user; null when a platform admin registered the trainee. */
  registeredBy: string | null;
}

export type TraineeRegisteredV1 = Omit<TraineeRegisteredV2, 'registeredBy'>;

/** The trainee's name, identity number and phone were erased; everything else about them stands. */
export interface PersonalDataErasedV1 {
  traineeId: string;
  erasedOn: string;
}

/**
 * The trainee was given a code to create their own user with (identity-service redeems it). Only the
 * code's hash travels (see activation-codes.ts); the code itself is answered once, to whoever issued it.
 */
export interface ActivationCodeIssuedV1 {
  traineeId: string;
  codeHash: string;
  /** The instant after which the code is refused (ISO 8601 UTC). */
  expiresAt: string;
  issuedOn: string;
}

export type TraineeIntegrationEvent =
  | IntegrationEnvelope<'TraineeRegistered', TraineeRegisteredV2>
  | IntegrationEnvelope<'PersonalDataErased', PersonalDataErasedV1>
  | IntegrationEnvelope<'ActivationCodeIssued', ActivationCodeIssuedV1>;
