import { IntegrationEnvelope, TOPICS } from './envelope';

export const TRAINEE_TOPIC = TOPICS.trainee;

/**
 * A trainee exists. Free of personal data (name, identity number, phone): the topic is kept forever
 * and read by every context, and personal data must stay erasable. Only the masked name travels
 * (the surname and one star per further character, 张**), for public certificate verification;
 * consumers drop it when PersonalDataErased arrives.
 */
export interface TraineeRegisteredV1 {
  traineeId: string;
  nameMasked: string;
  regionCode: string;
  birthDate: string;
  gender: 'male' | 'female';
  categories: string[];
  registeredOn: string;
}

/** The trainee's name, identity number and phone were erased; everything else about them stands. */
export interface PersonalDataErasedV1 {
  traineeId: string;
  erasedOn: string;
}

export type TraineeIntegrationEvent =
  | IntegrationEnvelope<'TraineeRegistered', TraineeRegisteredV1>
  | IntegrationEnvelope<'PersonalDataErased', PersonalDataErasedV1>;
