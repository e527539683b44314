import { IntegrationEnvelope, TOPICS } from './envelope';

export const TRAINING_TOPIC = TOPICS.training;

export interface ProviderRegisteredV1 {
  providerId: string;
  name: string;
  creditCode: string;
  regionCode: string;
}

export interface CourseScheduledV1 {
  courseId: string;
  providerId: string;
  providerCreditCode: string;
  title: string;
  occupationCode: string;
  kind: 'skill' | 'ethics_and_law';
  targetLevel?: string;
  capacity: number;
  startDate: string;
  endDate: string;
  sponsorEmployerId?: string;
}

export interface TraineeEnrolledV1 {
  enrollmentId: string;
  courseId: string;
  traineeId: string;
  enrolledOn: string;
}

export interface EnrollmentWithdrawnV1 {
  enrollmentId: string;
  courseId: string;
  traineeId: string;
  withdrawnOn: string;
}

export type TrainingIntegrationEvent =
  | IntegrationEnvelope<'ProviderRegistered', ProviderRegisteredV1>
  | IntegrationEnvelope<'CourseScheduled', CourseScheduledV1>
  | IntegrationEnvelope<'TraineeEnrolled', TraineeEnrolledV1>
  | IntegrationEnvelope<'EnrollmentWithdrawn', EnrollmentWithdrawnV1>;
