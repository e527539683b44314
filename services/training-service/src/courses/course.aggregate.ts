import { Actor } from '@skills/contracts';
import { assertNever, businessDateOf, DomainRefusal, existing, FieldRefusal, NotPermitted, RegionalActor, refuseFutureDate, refuseOutsideBureauRegion } from '@skills/domain-kernel';

// ---- events ---------------------------------------------------------------------------------

export interface CourseScheduled {
  type: 'CourseScheduled';
  data: {
    courseId: string;
    providerId: string;
    providerCreditCode: string;
    title: string;
    occupationCode: string;
    /** Edition of the national occupation classification the code is from (codes change between editions). */
    occupationEdition: string;
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

/** A result for an enrolment; `corrects` names the earlier result of the same enrolment it replaces. */
export interface AssessmentRecorded {
  type: 'AssessmentRecorded';
  data: {
    assessmentId: string;
    enrollmentId: string;
    courseId: string;
    traineeId: string;
    passed: boolean;
    score: number;
    assessedOn: string;
    corrects?: string;
  };
}

export type CourseEvent = CourseScheduled | TraineeEnrolled | EnrollmentWithdrawn | AssessmentRecorded;

// ---- commands -------------------------------------------------------------------------------

// Every command says who asks (`by`): only `school_staff` of the course's provider schedule and run its
// courses (domain.md section 9); the check runs here, against the course's state, first in each branch.

export interface ScheduleCourse {
  type: 'ScheduleCourse';
  course: CourseScheduled['data'];
  by: Actor;
}

/** Dates default to today (by the pipeline's clock); an earlier one enters a record of an earlier year. */
export interface EnrollTrainee {
  type: 'EnrollTrainee';
  enrollmentId: string;
  traineeId: string;
  enrolledOn?: string;
  by: Actor;
}

export interface WithdrawEnrollment {
  type: 'WithdrawEnrollment';
  traineeId: string;
  withdrawnOn?: string;
  by: Actor;
}

export interface RecordAssessment {
  type: 'RecordAssessment';
  assessmentId: string;
  traineeId: string;
  passed: boolean;
  score: number;
  assessedOn: string;
  by: Actor;
}

export type CourseCommand = ScheduleCourse | EnrollTrainee | WithdrawEnrollment | RecordAssessment;

// ---- state ----------------------------------------------------------------------------------

export interface ActiveEnrollment {
  enrollmentId: string;
  enrolledOn: string;
  /** The result that stands (the latest recorded), if any. */
  assessment?: { assessmentId: string; passed: boolean; score: number; assessedOn: string };
}

export interface ScheduledCourse {
  status: 'scheduled';
  course: CourseScheduled['data'];
  /** Active enrolments by trainee id. */
  enrollments: Map<string, ActiveEnrollment>;
}

export type Course = { status: 'unknown' } | ScheduledCourse;

export const courseStreamId = (courseId: string) => `course-${courseId}`;

export const courseAggregate = {
  initialState: (): Course => ({ status: 'unknown' }),

  evolve(state: Course, event: CourseEvent): Course {
    switch (event.type) {
      case 'CourseScheduled':
        return { status: 'scheduled', course: event.data, enrollments: new Map() };
      case 'TraineeEnrolled':
        return withEnrollments(state, (enrollments) =>
          enrollments.set(event.data.traineeId, { enrollmentId: event.data.enrollmentId, enrolledOn: event.data.enrolledOn }),
        );
      case 'EnrollmentWithdrawn':
        return withEnrollments(state, (enrollments) => enrollments.delete(event.data.traineeId));
      case 'AssessmentRecorded':
        return withEnrollments(state, (enrollments) => {
          const { traineeId, assessmentId, passed, score, assessedOn } = event.data;
          const enrollment = enrollments.get(traineeId);
          if (enrollment) enrollments.set(traineeId, { ...enrollment, assessment: { assessmentId, passed, score, assessedOn } });
        });
      default:
        return assertNever(event);
    }
  },

  decide(command: CourseCommand, state: Course, now: Date): CourseEvent[] {
    switch (command.type) {
      case 'ScheduleCourse': {
        refuseUnlessProviderStaff('courses:schedule', command.course.providerId, command.by, 'schedules courses only for its own provider');
        const { startDate, endDate, capacity } = command.course;
        if (endDate < startDate) throw new DomainRefusal('course_ends_before_it_starts', `endDate ${endDate} is before startDate ${startDate}`, { startDate, endDate });
        if (!Number.isInteger(capacity) || capacity < 1) throw new FieldRefusal('capacity', 'capacity_must_be_positive', `capacity must be at least 1 (got ${capacity})`, { capacity });
        return [{ type: 'CourseScheduled', data: command.course }];
      }
      case 'EnrollTrainee': {
        const course = existing(state, 'course');
        refuseUnlessProviderStaff('courses:enrol', course.course.providerId, command.by, "enrols only into its own provider's courses");
        return [enroll(course, command, now)];
      }
      case 'WithdrawEnrollment': {
        const course = existing(state, 'course');
        refuseUnlessProviderStaff('courses:withdraw', course.course.providerId, command.by, "withdraws only from its own provider's courses");
        return [withdraw(course, command, now)];
      }
      case 'RecordAssessment': {
        const course = existing(state, 'course');
        refuseUnlessProviderStaff('courses:record-results', course.course.providerId, command.by, "records results only for its own provider's courses");
        return [assess(course, command, now)];
      }
      default:
        return assertNever(command);
    }
  },
};

/**
 * A course is read by `school_staff` of its provider, or by a `bureau_officer` of a region containing
 * the provider's (`providerRegion`, from the provider's stream; null when the caller is no bureau officer).
 */
export function refuseCourseReader({ course }: ScheduledCourse, by: Actor & RegionalActor, providerRegion: string | null): void {
  if (by.role === 'bureau_officer') return refuseOutsideBureauRegion('courses:read', by, providerRegion ?? '');
  refuseUnlessProviderStaff('courses:read', course.providerId, by, "reads only its own provider's courses");
}

/** `school_staff` of the course's provider (domain.md section 9); no other role, not even `platform_admin`. */
function refuseUnlessProviderStaff(permission: string, providerId: string, by: Actor, what: string): void {
  if (by.role !== 'school_staff' || by.organisationId !== providerId) throw new NotPermitted(permission, `a school's staff ${what}`);
}

function enroll({ course, enrollments }: ScheduledCourse, { traineeId, enrollmentId, ...command }: EnrollTrainee, now: Date): TraineeEnrolled {
  const enrolledOn = command.enrolledOn ?? businessDateOf(now);
  refuseFutureDate('enrolledOn', enrolledOn, now);
  if (enrollments.has(traineeId)) throw new DomainRefusal('already_enrolled', `trainee ${traineeId} is already enrolled in this course`, { traineeId });
  if (enrolledOn > course.endDate) {
    throw new DomainRefusal('enrolled_after_course_end', `enrolledOn ${enrolledOn} is after the course ended on ${course.endDate}`, { enrolledOn, endDate: course.endDate });
  }
  if (enrollments.size >= course.capacity) {
    throw new DomainRefusal('course_full', `all ${course.capacity} seats are taken`, { capacity: course.capacity, enrolled: enrollments.size });
  }
  return { type: 'TraineeEnrolled', data: { enrollmentId, courseId: course.courseId, traineeId, enrolledOn } };
}

function withdraw({ course, enrollments }: ScheduledCourse, { traineeId, ...command }: WithdrawEnrollment, now: Date): EnrollmentWithdrawn {
  const withdrawnOn = command.withdrawnOn ?? businessDateOf(now);
  refuseFutureDate('withdrawnOn', withdrawnOn, now);
  const enrollment = activeEnrollment(enrollments, traineeId);
  if (withdrawnOn > course.endDate) {
    throw new DomainRefusal('withdrawn_after_course_end', `the course ended on ${course.endDate}; a withdrawal frees a seat only before that`, {
      withdrawnOn,
      endDate: course.endDate,
    });
  }
  if (withdrawnOn < enrollment.enrolledOn) {
    throw new DomainRefusal('withdrawn_before_enrolment', `withdrawnOn ${withdrawnOn} is before the enrolment on ${enrollment.enrolledOn}`, {
      withdrawnOn,
      enrolledOn: enrollment.enrolledOn,
    });
  }
  return { type: 'EnrollmentWithdrawn', data: { enrollmentId: enrollment.enrollmentId, courseId: course.courseId, traineeId, withdrawnOn } };
}

/** Judged against the course's and the enrolment's dates, never the wall clock: old records may be entered. */
function assess({ course, enrollments }: ScheduledCourse, command: RecordAssessment, now: Date): AssessmentRecorded {
  const { traineeId, assessedOn } = command;
  refuseFutureDate('assessedOn', assessedOn, now);
  const enrollment = activeEnrollment(enrollments, traineeId);
  if (assessedOn < course.startDate) {
    throw new DomainRefusal('assessed_before_course_start', `assessedOn ${assessedOn} is before the course started on ${course.startDate}`, {
      assessedOn,
      startDate: course.startDate,
    });
  }
  if (assessedOn < enrollment.enrolledOn) {
    throw new DomainRefusal('assessed_before_enrolment', `assessedOn ${assessedOn} is before the enrolment on ${enrollment.enrolledOn}`, {
      assessedOn,
      enrolledOn: enrollment.enrolledOn,
    });
  }
  const corrects = enrollment.assessment?.assessmentId;
  return {
    type: 'AssessmentRecorded',
    data: {
      assessmentId: command.assessmentId,
      enrollmentId: enrollment.enrollmentId,
      courseId: course.courseId,
      traineeId,
      passed: command.passed,
      score: command.score,
      assessedOn,
      ...(corrects ? { corrects } : {}),
    },
  };
}

function activeEnrollment(enrollments: Map<string, ActiveEnrollment>, traineeId: string): ActiveEnrollment {
  const enrollment = enrollments.get(traineeId);
  if (!enrollment) throw new DomainRefusal('not_enrolled', `trainee ${traineeId} is not enrolled in this course`, { traineeId });
  return enrollment;
}

function withEnrollments(state: Course, change: (enrollments: Map<string, ActiveEnrollment>) => unknown): Course {
  const course = existing(state, 'course');
  const enrollments = new Map(course.enrollments);
  change(enrollments);
  return { ...course, enrollments };
}
