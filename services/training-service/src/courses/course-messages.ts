import { AssessmentRecordedV1, CourseFactsV1, CourseScheduledV2, currentSchemaVersion, EnrollmentWithdrawnV1, TRAINING_TOPIC, TraineeEnrolledV1 } from '@skills/contracts';
import { assertNever } from '@skills/domain-kernel';
import { integrationMessage, OutboxMessage, RecordedEvent } from '@skills/event-sourcing';
import { Course, CourseEvent } from './course.aggregate';

/**
 * The course's events as other contexts see them. Each enrolment, withdrawal and result carries the
 * facts of its course, so the archive and the brand figures need no course replica of their own.
 */
export function courseIntegrationEvents(events: RecordedEvent<CourseEvent>[], state: Course): OutboxMessage[] {
  if (state.status !== 'scheduled') return [];
  const course = state.course;
  const facts: CourseFactsV1 = {
    title: course.title,
    providerId: course.providerId,
    providerCreditCode: course.providerCreditCode,
    occupationCode: course.occupationCode,
    occupationEdition: course.occupationEdition,
    kind: course.kind,
  };
  const message = <Payload>(event: RecordedEvent<CourseEvent>, payload: Payload, occurredAt: string) =>
    integrationMessage(TRAINING_TOPIC, course.courseId, event, event.type, payload, occurredAt, currentSchemaVersion(event.type));
  return events.map((event) => {
    switch (event.type) {
      case 'CourseScheduled':
        return message<CourseScheduledV2>(event, event.data, event.data.startDate);
      case 'TraineeEnrolled':
        return message<TraineeEnrolledV1>(event, { ...event.data, course: facts }, event.data.enrolledOn);
      case 'EnrollmentWithdrawn':
        return message<EnrollmentWithdrawnV1>(event, { ...event.data, course: facts }, event.data.withdrawnOn);
      case 'AssessmentRecorded':
        return message<AssessmentRecordedV1>(event, { ...event.data, course: facts }, event.data.assessedOn);
      default:
        return assertNever(event);
    }
  });
}
