import { aggregateSpec } from '@skills/testing';
import { AssessmentRecorded, courseAggregate, CourseScheduled, EnrollmentWithdrawn, EnrollTrainee, RecordAssessment, TraineeEnrolled } from './course.aggregate';

const given = aggregateSpec(courseAggregate);

const scheduled: CourseScheduled = {
  type: 'CourseScheduled',
  data: {
    courseId: 'c-1',
    providerId: 'p-1',
    providerCreditCode: '91430200MA4L00001P',
    title: '焊工（中级）',
    occupationCode: '6-18-02-04',
    occupationEdition: '2022',
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
const withdrawn = (traineeId: string, withdrawnOn = '2021-04-01'): EnrollmentWithdrawn => ({
  type: 'EnrollmentWithdrawn',
  data: { enrollmentId: `e-${traineeId}`, courseId: 'c-1', traineeId, withdrawnOn },
});
const withdraw = (traineeId: string, withdrawnOn = '2021-04-01') => ({ type: 'WithdrawEnrollment' as const, traineeId, withdrawnOn });
const assess = (traineeId: string, passed: boolean, assessedOn = '2021-05-31', assessmentId = 'a-1'): RecordAssessment => ({
  type: 'RecordAssessment',
  assessmentId,
  traineeId,
  passed,
  score: passed ? 82 : 55,
  assessedOn,
});
const assessed = (traineeId: string, passed: boolean, assessedOn = '2021-05-31', assessmentId = 'a-1', corrects?: string): AssessmentRecorded => ({
  type: 'AssessmentRecorded',
  data: { assessmentId, enrollmentId: `e-${traineeId}`, courseId: 'c-1', traineeId, passed, score: passed ? 82 : 55, assessedOn, ...(corrects ? { corrects } : {}) },
});

describe('scheduling a course', () => {
  it('schedules it, with the occupation code and its classification edition', () => {
    given().when({ type: 'ScheduleCourse', course: scheduled.data }).then([scheduled]);
  });
  it('schedules an ethics-and-law course (职业道德和法律法规培训) of one day', () => {
    const ethics = { ...scheduled.data, kind: 'ethics_and_law' as const, endDate: '2021-03-01' };
    given().when({ type: 'ScheduleCourse', course: ethics }).then([{ type: 'CourseScheduled', data: ethics }]);
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
  it('refuses to schedule the same course twice', () => {
    given(scheduled).when({ type: 'ScheduleCourse', course: scheduled.data }).thenRefuses('course_already_scheduled');
  });
  it('refuses any command on a course that was never scheduled', () => {
    given().when(enroll('t-1')).thenRefuses('course_not_scheduled');
  });
});

describe('enrolling a trainee', () => {
  it('enrols a trainee into a free seat, on a business date in the past', () => {
    given(scheduled).when(enroll('t-1', '2021-03-05')).then([enrolled('t-1', '2021-03-05')]);
  });
  it('accepts an enrolment before the course starts and on its last day', () => {
    given(scheduled).when(enroll('t-1', '2021-02-15')).then([enrolled('t-1', '2021-02-15')]);
    given(scheduled).when(enroll('t-1', '2021-05-31')).then([enrolled('t-1', '2021-05-31')]);
  });
  it('refuses a second enrolment of the same trainee', () => {
    given(scheduled, enrolled('t-1')).when(enroll('t-1')).thenRefuses('already_enrolled');
  });
  it('refuses when every seat is taken', () => {
    const refusal = given(scheduled, enrolled('t-1'), enrolled('t-2')).when(enroll('t-3')).thenRefuses('course_full');
    expect(refusal).toMatchObject({ context: { capacity: 2, enrolled: 2 } });
  });
  it('refuses an enrolment dated after the course ended', () => {
    given(scheduled).when(enroll('t-1', '2021-06-01')).thenRefuses('enrolled_after_course_end');
  });
  it('enrols a trainee again after a withdrawal, while seats are left', () => {
    given(scheduled, enrolled('t-1'), withdrawn('t-1')).when(enroll('t-1', '2021-04-02')).then([enrolled('t-1', '2021-04-02')]);
  });
});

describe('withdrawing', () => {
  it('frees the seat for someone else', () => {
    given(scheduled, enrolled('t-1'), enrolled('t-2')).when(withdraw('t-1')).then([withdrawn('t-1')]);
    given(scheduled, enrolled('t-1'), enrolled('t-2'), withdrawn('t-1')).when(enroll('t-3')).then([enrolled('t-3')]);
  });
  it('accepts a withdrawal on the enrolment day and on the last day of the course', () => {
    given(scheduled, enrolled('t-1')).when(withdraw('t-1', '2021-03-01')).then([withdrawn('t-1', '2021-03-01')]);
    given(scheduled, enrolled('t-1')).when(withdraw('t-1', '2021-05-31')).then([withdrawn('t-1', '2021-05-31')]);
  });
  it('refuses to withdraw someone who is not enrolled, or no longer', () => {
    given(scheduled).when(withdraw('t-1')).thenRefuses('not_enrolled');
    given(scheduled, enrolled('t-1'), withdrawn('t-1')).when(withdraw('t-1')).thenRefuses('not_enrolled');
  });
  it('refuses a withdrawal after the course ended', () => {
    given(scheduled, enrolled('t-1')).when(withdraw('t-1', '2021-06-01')).thenRefuses('withdrawn_after_course_end');
  });
  it('refuses a withdrawal dated before the enrolment', () => {
    given(scheduled, enrolled('t-1', '2021-03-10')).when(withdraw('t-1', '2021-03-09')).thenRefuses('withdrawn_before_enrolment');
  });
});

describe('recording an assessment', () => {
  it('records a result for an enrolled trainee, also after the course ended (entered years later)', () => {
    given(scheduled, enrolled('t-1')).when(assess('t-1', true, '2021-06-15')).then([assessed('t-1', true, '2021-06-15')]);
  });
  it('records a failed result', () => {
    given(scheduled, enrolled('t-1')).when(assess('t-1', false)).then([assessed('t-1', false)]);
  });
  it('corrects an earlier result of the same enrolment: the new one names it and stands', () => {
    const { state } = given(scheduled, enrolled('t-1'), assessed('t-1', false, '2021-05-30', 'a-1'))
      .when(assess('t-1', true, '2021-05-31', 'a-2'))
      .then([assessed('t-1', true, '2021-05-31', 'a-2', 'a-1')]);
    expect(state.status === 'scheduled' && state.enrollments.get('t-1')?.assessment).toEqual({ assessmentId: 'a-2', passed: true, score: 82, assessedOn: '2021-05-31' });
  });
  it('refuses a result for a trainee who is not enrolled, or withdrew', () => {
    given(scheduled).when(assess('t-1', true)).thenRefuses('not_enrolled');
    given(scheduled, enrolled('t-1'), withdrawn('t-1')).when(assess('t-1', true)).thenRefuses('not_enrolled');
  });
  it('refuses a result dated before the course started', () => {
    given(scheduled, enrolled('t-1', '2021-02-15')).when(assess('t-1', true, '2021-02-28')).thenRefuses('assessed_before_course_start');
  });
  it('refuses a result dated before the enrolment', () => {
    given(scheduled, enrolled('t-1', '2021-04-01')).when(assess('t-1', true, '2021-03-31')).thenRefuses('assessed_before_enrolment');
  });
  it('emits nothing but the result: passing a course does not by itself change a skill level', () => {
    const { events } = given(scheduled, enrolled('t-1')).when(assess('t-1', true)).then([assessed('t-1', true)]);
    expect(events.map((event) => event.type)).toEqual(['AssessmentRecorded']);
  });
});
