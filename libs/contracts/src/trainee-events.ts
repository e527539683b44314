import { IntegrationEnvelope, TOPICS } from './envelope';

export const TRAINEE_TOPIC = TOPICS.trainee;

/**
 * A trainee exists. Deliberately free of personal data (name, identity number, phone): the topic is
 * kept forever and read by every context, and personal data must stay erasable.
 */
export interface TraineeRegisteredV1 {
  traineeId: string;
  regionCode: string;
  birthDate: string;
  gender: 'male' | 'female';
  categories: string[];
  registeredOn: string;
}

export type TraineeIntegrationEvent = IntegrationEnvelope<'TraineeRegistered', TraineeRegisteredV1>;
