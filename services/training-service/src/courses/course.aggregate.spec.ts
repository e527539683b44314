import { aggregateSpec } from '@skills/testing';
import { courseAggregate, CourseScheduled, EnrollTrainee, TraineeEnrolled } from './course.aggregate';

const given = aggregateSpec(courseAggregate);

const scheduled: CourseScheduled = {
  type: 'CourseScheduled',
  data: {
    courseId: 'c-1',
    providerId: 'p-1',
    providerCreditCode: '91430200MA4L00001P',
    title: '焊工（中级）',
    occupationCode: '6-18-02-04',
    kind: 'skill',
    capacity: 2,
    startDate: '2021-03-01',
    endDate: '2021-05-31',
  },
};

const enrolled = (traineeId: string, enrolledOn = '2021-03-01'): TraineeEnrolled => ({
  type: 'TraineeEnrolled',
  data: { enrollmentId: `e-${traineeId}`, courseId: 'c-1', traineeId, enrolledOn },
});

const enroll = (traineeId: string, enrolledOn = '2021-03-01'): EnrollTrainee => ({ type: 'EnrollTrainee', enrollmentId: `e-${traineeId}`, traineeId, enrolledOn });

describe('scheduling a course', () => {
  it('schedules it', () => {
    given().when({ type: 'ScheduleCourse', course: scheduled.data }).then([scheduled]);
  });
  it('refuses an end before the start', () => {
    given()
      .when({ type: 'ScheduleCourse', course: { ...scheduled.data, endDate: '2021-02-28' } })
      .thenRefuses('course_ends_before_it_starts');
  });
  it('refuses a capacity below one', () => {
    given()
      .when({ type: 'ScheduleCourse', course: { ...scheduled.data, capacity: 0 } })
      .thenRefuses('capacity_must_be_positive');
  });
});

describe('enrolling a trainee', () => {
  it('enrols a trainee into a free seat, on a business date in the past', () => {
    given(scheduled).when(enroll('t-1', '2021-03-05')).then([enrolled('t-1', '2021-03-05')]);
  });
  it('refuses a second enrolment of the same trainee', () => {
    given(scheduled, enrolled('t-1')).when(enroll('t-1')).thenRefuses('already_enrolled');
  });
  it('refuses when every seat is taken', () => {
    given(scheduled, enrolled('t-1'), enrolled('t-2')).when(enroll('t-3')).thenRefuses('course_full');
  });
  it('refuses an enrolment dated after the course ended', () => {
    given(scheduled).when(enroll('t-1', '2021-06-01')).thenRefuses('enrolled_after_course_end');
  });
  it('accepts an enrolment on the last day of the course', () => {
    given(scheduled).when(enroll('t-1', '2021-05-31')).then([enrolled('t-1', '2021-05-31')]);
  });
});

describe('withdrawing', () => {
  it('frees the seat for someone else', () => {
    const withdrawn = { type: 'EnrollmentWithdrawn' as const, data: { enrollmentId: 'e-t-1', courseId: 'c-1', traineeId: 't-1', withdrawnOn: '2021-04-01' } };
    given(scheduled, enrolled('t-1'), enrolled('t-2')).when({ type: 'WithdrawEnrollment', traineeId: 't-1', withdrawnOn: '2021-04-01' }).then([withdrawn]);
    given(scheduled, enrolled('t-1'), enrolled('t-2'), withdrawn).when(enroll('t-3')).then([enrolled('t-3')]);
  });
  it('refuses to withdraw someone who is not enrolled', () => {
    given(scheduled).when({ type: 'WithdrawEnrollment', traineeId: 't-1', withdrawnOn: '2021-04-01' }).thenRefuses('not_enrolled');
  });
  it('refuses a withdrawal after the course ended', () => {
    given(scheduled, enrolled('t-1')).when({ type: 'WithdrawEnrollment', traineeId: 't-1', withdrawnOn: '2021-06-01' }).thenRefuses('withdrawn_after_course_end');
  });
});
