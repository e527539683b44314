import { TRAINING_TOPIC } from '@skills/contracts';
import { integrationMessage, OutboxMessage, RecordedEvent } from '@skills/event-sourcing';
import { CourseEvent } from './course.aggregate';

/** The course's domain events as they are published to other contexts (same shapes, v1). */
export function courseIntegrationEvents(events: RecordedEvent<CourseEvent>[]): OutboxMessage[] {
  return events.map((event) => {
    switch (event.type) {
      case 'CourseScheduled':
        return integrationMessage(TRAINING_TOPIC, event.data.courseId, event, event.type, event.data, event.data.startDate);
      case 'TraineeEnrolled':
        return integrationMessage(TRAINING_TOPIC, event.data.courseId, event, event.type, event.data, event.data.enrolledOn);
      case 'EnrollmentWithdrawn':
        return integrationMessage(TRAINING_TOPIC, event.data.courseId, event, event.type, event.data, event.data.withdrawnOn);
    }
  });
}
