import type { ImportRowsAnswered } from './import-events';
import { IntegrationEnvelope, TOPICS } from './envelope';

export const TRAINING_TOPIC = TOPICS.training;

export interface ProviderRegisteredV1 {
  providerId: string;
  name: string;
  creditCode: string;
  regionCode: string;
}

/**
 * v2 added `occupationEdition`: occupation codes change between editions of the national
 * classification, so a code means nothing without it. v1 messages are upcast (see upcasters.ts).
 */
export interface CourseScheduledV2 {
  courseId: string;
  providerId: string;
  providerCreditCode: string;
  title: string;
  occupationCode: string;
  occupationEdition: string;
  kind: 'skill' | 'ethics_and_law';
  targetLevel?: string;
  capacity: number;
  startDate: string;
  endDate: string;
  sponsorEmployerId?: string;
}

export type CourseScheduledV1 = Omit<CourseScheduledV2, 'occupationEdition'>;

/**
 * What a consumer needs to know of the course an enrolment or result belongs to, carried on each
 * message so that the archive and the brand figures need no course replica of their own.
 */
export interface CourseFactsV1 {
  title: string;
  providerId: string;
  providerCreditCode: string;
  /**
   * The provider's region as registered when the course was scheduled: training figures count by
   * it. Absent on messages published before it was added (consumers look the provider up).
   */
  providerRegionCode?: string;
  occupationCode: string;
  occupationEdition: string;
  kind: 'skill' | 'ethics_and_law';
  /**
   * The course's end date, from which outcomes such as "employed within 3/6 months of the course's
   * end" are counted. Absent on messages published before it was added.
   */
  endDate?: string;
}

export interface TraineeEnrolledV1 {
  enrollmentId: string;
  courseId: string;
  traineeId: string;
  enrolledOn: string;
  course: CourseFactsV1;
}

export interface EnrollmentWithdrawnV1 {
  enrollmentId: string;
  courseId: string;
  traineeId: string;
  withdrawnOn: string;
  course: CourseFactsV1;
}

/**
 * A result for one enrolment. A later result for the same `enrollmentId` corrects the earlier one
 * (`corrects` names it); consumers keep the one with the highest `aggregateVersion`.
 */
export interface AssessmentRecordedV1 {
  assessmentId: string;
  enrollmentId: string;
  courseId: string;
  traineeId: string;
  passed: boolean;
  score: number;
  assessedOn: string;
  corrects?: string;
  course: CourseFactsV1;
}

export type TrainingIntegrationEvent =
  | IntegrationEnvelope<'ProviderRegistered', ProviderRegisteredV1>
  | IntegrationEnvelope<'CourseScheduled', CourseScheduledV2>
  | IntegrationEnvelope<'TraineeEnrolled', TraineeEnrolledV1>
  | IntegrationEnvelope<'EnrollmentWithdrawn', EnrollmentWithdrawnV1>
  | IntegrationEnvelope<'AssessmentRecorded', AssessmentRecordedV1>
  // Training's answers to import batches (import-events.ts): for trainee-service's import jobs only.
  | ImportRowsAnswered;
