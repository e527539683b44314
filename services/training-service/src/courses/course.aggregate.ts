import { assertNever, DomainRefusal } from '@skills/domain-kernel';

// ---- events ---------------------------------------------------------------------------------

export interface CourseScheduled {
  type: 'CourseScheduled';
  data: {
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
  };
}

export interface TraineeEnrolled {
  type: 'TraineeEnrolled';
  data: { enrollmentId: string; courseId: string; traineeId: string; enrolledOn: string };
}

export interface EnrollmentWithdrawn {
  type: 'EnrollmentWithdrawn';
  data: { enrollmentId: string; courseId: string; traineeId: string; withdrawnOn: string };
}

export type CourseEvent = CourseScheduled | TraineeEnrolled | EnrollmentWithdrawn;

// ---- commands -------------------------------------------------------------------------------

export interface ScheduleCourse {
  type: 'ScheduleCourse';
  course: CourseScheduled['data'];
}

export interface EnrollTrainee {
  type: 'EnrollTrainee';
  enrollmentId: string;
  traineeId: string;
  enrolledOn: string;
}

export interface WithdrawEnrollment {
  type: 'WithdrawEnrollment';
  traineeId: string;
  withdrawnOn: string;
}

export type CourseCommand = ScheduleCourse | EnrollTrainee | WithdrawEnrollment;

// ---- state ----------------------------------------------------------------------------------

export interface ScheduledCourse {
  status: 'scheduled';
  course: CourseScheduled['data'];
  /** Active enrolments by trainee id. */
  enrollments: Map<string, { enrollmentId: string; enrolledOn: string }>;
}

export type Course = { status: 'unknown' } | ScheduledCourse;

export const courseStreamId = (courseId: string) => `course-${courseId}`;

export const courseAggregate = {
  initialState: (): Course => ({ status: 'unknown' }),

  evolve(state: Course, event: CourseEvent): Course {
    switch (event.type) {
      case 'CourseScheduled':
        return { status: 'scheduled', course: event.data, enrollments: new Map() };
      case 'TraineeEnrolled': {
        const scheduled = state as ScheduledCourse;
        const enrollments = new Map(scheduled.enrollments);
        enrollments.set(event.data.traineeId, { enrollmentId: event.data.enrollmentId, enrolledOn: event.data.enrolledOn });
        return { ...scheduled, enrollments };
      }
      case 'EnrollmentWithdrawn': {
        const scheduled = state as ScheduledCourse;
        const enrollments = new Map(scheduled.enrollments);
        enrollments.delete(event.data.traineeId);
        return { ...scheduled, enrollments };
      }
      default:
        return assertNever(event);
    }
  },

  decide(command: CourseCommand, state: Course): CourseEvent[] {
    switch (command.type) {
      case 'ScheduleCourse': {
        if (state.status !== 'unknown') throw new DomainRefusal('course_already_scheduled', `course ${command.course.courseId} already exists`);
        const { startDate, endDate, capacity } = command.course;
        if (endDate < startDate) throw new DomainRefusal('course_ends_before_it_starts', `endDate ${endDate} is before startDate ${startDate}`, { startDate, endDate });
        if (!Number.isInteger(capacity) || capacity < 1) throw new DomainRefusal('capacity_must_be_positive', `capacity must be at least 1 (got ${capacity})`, { capacity });
        return [{ type: 'CourseScheduled', data: command.course }];
      }
      case 'EnrollTrainee': {
        const course = scheduled(state);
        const { traineeId, enrolledOn } = command;
        if (course.enrollments.has(traineeId)) {
          throw new DomainRefusal('already_enrolled', `trainee ${traineeId} is already enrolled in this course`, { traineeId });
        }
        if (enrolledOn > course.course.endDate) {
          throw new DomainRefusal('enrolled_after_course_end', `enrolledOn ${enrolledOn} is after the course ended on ${course.course.endDate}`, {
            enrolledOn,
            endDate: course.course.endDate,
          });
        }
        if (course.enrollments.size >= course.course.capacity) {
          throw new DomainRefusal('course_full', `all ${course.course.capacity} seats are taken`, { capacity: course.course.capacity, enrolled: course.enrollments.size });
        }
        return [{ type: 'TraineeEnrolled', data: { enrollmentId: command.enrollmentId, courseId: course.course.courseId, traineeId, enrolledOn } }];
      }
      case 'WithdrawEnrollment': {
        const course = scheduled(state);
        const enrollment = course.enrollments.get(command.traineeId);
        if (!enrollment) throw new DomainRefusal('not_enrolled', `trainee ${command.traineeId} is not enrolled in this course`, { traineeId: command.traineeId });
        if (command.withdrawnOn > course.course.endDate) {
          throw new DomainRefusal('withdrawn_after_course_end', `the course ended on ${course.course.endDate}; a withdrawal frees a seat only before that`, {
            withdrawnOn: command.withdrawnOn,
            endDate: course.course.endDate,
          });
        }
        return [
          {
            type: 'EnrollmentWithdrawn',
            data: { enrollmentId: enrollment.enrollmentId, courseId: course.course.courseId, traineeId: command.traineeId, withdrawnOn: command.withdrawnOn },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },
};

function scheduled(state: Course): ScheduledCourse {
  if (state.status !== 'scheduled') throw new DomainRefusal('course_not_scheduled', 'the course does not exist');
  return state;
}
