import { AssessmentRecordedV1, CourseCorrectedV1, CourseFactsV1, CourseScheduledV2, currentSchemaVersion, EnrollmentVoidedV1, EnrollmentWithdrawnV1, TRAINING_TOPIC, TraineeEnrolledV1 } from '@skills/contracts';
import { assertNever } from '@skills/domain-kernel';
import { DecidedEvent, integrationMessage, OutboxMessage } from '@skills/event-sourcing';
import { AssessmentRecorded, Course, CourseCorrected, CourseEvent, CourseScheduled, EnrollmentVoided, EnrollmentWithdrawn, TraineeEnrolled } from './course.aggregate';

/**
 * The course's events as other contexts see them, at the newest schema version of each type, dated by
 * the business date of the fact. Each enrolment, withdrawal and result carries the facts of its
 * course, so the archive and the brand figures need no course replica of their own.
 *
 * Payloads are mapped field by field (no spreading of domain events): a field added to a domain event
 * must not leak into the published contract unnoticed.
 */
export function courseIntegrationEvents(events: DecidedEvent<CourseEvent>[], state: Course): OutboxMessage[] {
  if (state.status !== 'scheduled') return [];
  const { course } = state;
  const facts = courseFacts(course);
  const message = <Payload>(event: DecidedEvent<CourseEvent>, payload: Payload, occurredAt: string) =>
    integrationMessage(TRAINING_TOPIC, course.courseId, event, event.type, payload, occurredAt, currentSchemaVersion(event.type));
  return events.map((event) => {
    switch (event.type) {
      case 'CourseScheduled':
        return message(event, courseScheduledV2(event.data), event.data.startDate);
      case 'TraineeEnrolled':
        return message(event, traineeEnrolledV1(event.data, facts), event.data.enrolledOn);
      case 'EnrollmentWithdrawn':
        return message(event, enrollmentWithdrawnV1(event.data, facts), event.data.withdrawnOn);
      case 'AssessmentRecorded':
        return message(event, assessmentRecordedV1(event.data, facts), event.data.assessedOn);
      case 'EnrollmentVoided':
        return message(event, enrollmentVoidedV1(event.data, facts), event.data.voidedOn);
      case 'CourseCorrected':
        return message(event, courseCorrectedV1(event.data, facts), event.data.correctedOn);
      default:
        return assertNever(event);
    }
  });
}

export function courseFacts(course: CourseScheduled['data']): CourseFactsV1 {
  return {
    title: course.title,
    providerId: course.providerId,
    providerCreditCode: course.providerCreditCode,
    ...(course.providerRegionCode !== undefined ? { providerRegionCode: course.providerRegionCode } : {}),
    occupationCode: course.occupationCode,
    occupationEdition: course.occupationEdition,
    kind: course.kind,
    endDate: course.endDate,
  };
}

function courseScheduledV2(course: CourseScheduled['data']): CourseScheduledV2 {
  return {
    courseId: course.courseId,
    providerId: course.providerId,
    providerCreditCode: course.providerCreditCode,
    title: course.title,
    occupationCode: course.occupationCode,
    occupationEdition: course.occupationEdition,
    kind: course.kind,
    ...(course.targetLevel !== undefined ? { targetLevel: course.targetLevel } : {}),
    capacity: course.capacity,
    startDate: course.startDate,
    endDate: course.endDate,
    ...(course.sponsorEmployerId !== undefined ? { sponsorEmployerId: course.sponsorEmployerId } : {}),
  };
}

function traineeEnrolledV1(enrolment: TraineeEnrolled['data'], course: CourseFactsV1): TraineeEnrolledV1 {
  return { enrollmentId: enrolment.enrollmentId, courseId: enrolment.courseId, traineeId: enrolment.traineeId, enrolledOn: enrolment.enrolledOn, course };
}

function enrollmentWithdrawnV1(withdrawal: EnrollmentWithdrawn['data'], course: CourseFactsV1): EnrollmentWithdrawnV1 {
  return { enrollmentId: withdrawal.enrollmentId, courseId: withdrawal.courseId, traineeId: withdrawal.traineeId, withdrawnOn: withdrawal.withdrawnOn, course };
}

function assessmentRecordedV1(result: AssessmentRecorded['data'], course: CourseFactsV1): AssessmentRecordedV1 {
  return {
    assessmentId: result.assessmentId,
    enrollmentId: result.enrollmentId,
    courseId: result.courseId,
    traineeId: result.traineeId,
    passed: result.passed,
    score: result.score,
    assessedOn: result.assessedOn,
    ...(result.corrects !== undefined ? { corrects: result.corrects } : {}),
    course,
  };
}

/** Without the reason: it stays in this service's log (free text, it may name people); consumers only take the enrolment and its results away. */
function enrollmentVoidedV1(voided: EnrollmentVoided['data'], course: CourseFactsV1): EnrollmentVoidedV1 {
  return { enrollmentId: voided.enrollmentId, courseId: voided.courseId, traineeId: voided.traineeId, assessmentIds: [...voided.assessmentIds], voidedOn: voided.voidedOn, course };
}

/** Without the reason, as a void's: it stays in this service's log (free text, it may name people). */
function courseCorrectedV1(corrected: CourseCorrected['data'], course: CourseFactsV1): CourseCorrectedV1 {
  const { before, after } = corrected;
  const fields = (facts: CourseCorrected['data']['before']) => ({
    ...(facts.title !== undefined ? { title: facts.title } : {}),
    ...(facts.capacity !== undefined ? { capacity: facts.capacity } : {}),
    ...(facts.startDate !== undefined ? { startDate: facts.startDate } : {}),
    ...(facts.endDate !== undefined ? { endDate: facts.endDate } : {}),
  });
  return { courseId: corrected.courseId, before: fields(before), after: fields(after), correctedOn: corrected.correctedOn, course };
}
