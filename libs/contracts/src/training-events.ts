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

/**
 * An enrolment recorded in error, voided with every result recorded for it: as if neither had ever been
 * recorded (the person was never in the course; the seat is free, and they may be enrolled in it again, a
 * new enrolment). Unlike a withdrawal, which keeps the enrolment and its results. Consumers take the
 * enrolment and the results named away wherever they hold them. The void's reason is kept in
 * training-service's log only: it is free text and may name people.
 */
export interface EnrollmentVoidedV1 {
  enrollmentId: string;
  courseId: string;
  traineeId: string;
  /** Every result recorded for the enrolment (corrections included), voided with it; empty if none. */
  assessmentIds: string[];
  voidedOn: string;
  course: CourseFactsV1;
}

/** The facts of a course its school may correct once scheduled (any other makes a different course). */
export interface CorrectableCourseFactsV1 {
  title?: string;
  capacity?: number;
  startDate?: string;
  endDate?: string;
}

/**
 * A course scheduled with a mistake, corrected by its school: `before` and `after` hold the fields
 * changed (title, capacity, startDate, endDate), `course` the course's facts as they now read. Consumers
 * that keep a corrected fact apply it to what they keep of the course, the correction of the highest
 * `aggregateVersion` standing (a message of the course carries its facts as of its own version). The
 * correction's reason is kept in training-service's log only: it is free text and may name people.
 */
export interface CourseCorrectedV1 {
  courseId: string;
  before: CorrectableCourseFactsV1;
  after: CorrectableCourseFactsV1;
  correctedOn: string;
  course: CourseFactsV1;
}

export type TrainingIntegrationEvent =
  | IntegrationEnvelope<'ProviderRegistered', ProviderRegisteredV1>
  | IntegrationEnvelope<'CourseScheduled', CourseScheduledV2>
  | IntegrationEnvelope<'TraineeEnrolled', TraineeEnrolledV1>
  | IntegrationEnvelope<'EnrollmentWithdrawn', EnrollmentWithdrawnV1>
  | IntegrationEnvelope<'AssessmentRecorded', AssessmentRecordedV1>
  | IntegrationEnvelope<'EnrollmentVoided', EnrollmentVoidedV1>
  | IntegrationEnvelope<'CourseCorrected', CourseCorrectedV1>
  // Training's answers to import batches (import-events.ts): for trainee-service's import jobs only.
  | ImportRowsAnswered;
