import { Actor } from '@skills/contracts';
import { DomainRefusal, NotPermitted, UnknownEntity } from '@skills/domain-kernel';
import { aggregateSpec } from '@skills/testing';
import {
  AssessmentRecorded,
  CorrectCourse,
  Course,
  courseAggregate,
  CourseCorrected,
  CourseEvent,
  CourseScheduled,
  EnrollmentVoided,
  EnrollmentWithdrawn,
  EnrollTrainee,
  RecordAssessment,
  refuseCourseReader,
  ScheduledCourse,
  ScheduleCourse,
  seatsOf,
  TraineeEnrolled,
  VoidEnrollment,
  WithdrawEnrollment,
  WithdrawVoidedTrainee,
} from './course.aggregate';

const given = aggregateSpec(courseAggregate);

/** Staff of the course's provider (p-1), who schedule and run its courses; and of another school. */
const owner: Actor = { userId: 'u-1', role: 'school_staff', organisationId: 'p-1', via: 'token' };
const otherSchool: Actor = { userId: 'u-2', role: 'school_staff', organisationId: 'p-2', via: 'token' };

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

const enrolled = (traineeId: string, enrolledOn = '2021-03-01', enrollmentId = `e-${traineeId}`): TraineeEnrolled => ({
  type: 'TraineeEnrolled',
  data: { enrollmentId, courseId: 'c-1', traineeId, enrolledOn },
});
const schedule = (course: CourseScheduled['data'], by: Actor = owner): ScheduleCourse => ({ type: 'ScheduleCourse', course, by });
const enroll = (traineeId: string, enrolledOn = '2021-03-01', enrollmentId = `e-${traineeId}`, by: Actor = owner): EnrollTrainee => ({
  type: 'EnrollTrainee',
  enrollmentId,
  traineeId,
  enrolledOn,
  by,
});
const withdrawn = (traineeId: string, withdrawnOn = '2021-04-01', enrollmentId = `e-${traineeId}`): EnrollmentWithdrawn => ({
  type: 'EnrollmentWithdrawn',
  data: { enrollmentId, courseId: 'c-1', traineeId, withdrawnOn },
});
const withdraw = (traineeId: string, withdrawnOn = '2021-04-01', by: Actor = owner): WithdrawEnrollment => ({ type: 'WithdrawEnrollment', traineeId, withdrawnOn, by });
const assess = (traineeId: string, passed: boolean, assessedOn = '2021-05-31', assessmentId = 'a-1', by: Actor = owner): RecordAssessment => ({
  type: 'RecordAssessment',
  assessmentId,
  traineeId,
  passed,
  score: passed ? 82 : 55,
  assessedOn,
  by,
});
const assessed = (
  traineeId: string,
  passed: boolean,
  assessedOn = '2021-05-31',
  assessmentId = 'a-1',
  corrects?: string,
  enrollmentId = `e-${traineeId}`,
): AssessmentRecorded => ({
  type: 'AssessmentRecorded',
  data: { assessmentId, enrollmentId, courseId: 'c-1', traineeId, passed, score: passed ? 82 : 55, assessedOn, ...(corrects ? { corrects } : {}) },
});
const enrollmentOf = (state: Course, traineeId: string) => (state.status === 'scheduled' ? state.enrollments.get(traineeId) : undefined);
const allSeats = (state: Course) => (state.status === 'scheduled' ? [...state.seats.values()] : []);
/** A course of one seat, for the capacity rules judged on each day. */
const oneSeat: CourseScheduled = { type: 'CourseScheduled', data: { ...scheduled.data, capacity: 1 } };
const stateAfter = (...past: CourseEvent[]) => past.reduce<Course>(courseAggregate.evolve, courseAggregate.initialState());

describe('scheduling a course', () => {
  it('schedules it, with the occupation code and its classification edition', () => {
    given().when(schedule(scheduled.data)).then([scheduled]);
  });
  it('schedules an ethics-and-law course (职业道德和法律法规培训) of one day', () => {
    const ethics = { ...scheduled.data, kind: 'ethics_and_law' as const, endDate: '2021-03-01' };
    given().when(schedule(ethics)).then([{ type: 'CourseScheduled', data: ethics }]);
  });
  it('refuses an end before the start', () => {
    given()
      .when(schedule({ ...scheduled.data, endDate: '2021-02-28' }))
      .thenRefuses('course_ends_before_it_starts');
  });
  it('keeps the optional target level and the sponsoring employer (订单式培养, order-based training)', () => {
    const ordered = { ...scheduled.data, targetLevel: 'intermediate', sponsorEmployerId: 'emp-1' };
    given().when(schedule(ordered)).then([{ type: 'CourseScheduled', data: ordered }]);
  });
  it('refuses a capacity below one', () => {
    given()
      .when(schedule({ ...scheduled.data, capacity: 0 }))
      .thenRefuses('capacity_must_be_positive');
  });
  it('refuses a capacity that is not a whole number of seats', () => {
    given()
      .when(schedule({ ...scheduled.data, capacity: 1.5 }))
      .thenRefuses('capacity_must_be_positive');
  });
  // "Already scheduled" and "never scheduled" are the pipeline's mustNotExist / mustExist now
  // (libs/event-sourcing command-pipeline.int-spec.ts), answered 409 stream_exists / 404.
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
  it('fills the last seat exactly', () => {
    given(scheduled, enrolled('t-1')).when(enroll('t-2')).then([enrolled('t-2')]);
  });
  it('refuses when every seat is taken', () => {
    const refusal = given(scheduled, enrolled('t-1'), enrolled('t-2')).when(enroll('t-3')).thenRefuses('course_full');
    expect(refusal).toMatchObject({ context: { capacity: 2, enrolled: 2 } });
  });
  it('refuses an enrolment dated after the course ended', () => {
    given(scheduled).when(enroll('t-1', '2021-06-01')).thenRefuses('enrolled_after_course_end');
  });
  it('refuses an enrolment dated before the trainee was born, by their age that day as trainee-service tells it, naming no birth date', () => {
    const refusal = given(scheduled).when({ ...enroll('t-1', '2021-03-01'), traineeAge: 'not_yet_born' }).thenRefuses('enrolled_before_birth');
    expect(refusal).toMatchObject({ context: { field: 'enrolledOn', enrolledOn: '2021-03-01' } });
    given(scheduled).when({ ...enroll('t-1', '2021-03-01'), traineeAge: 'under_working_age' }).then([enrolled('t-1', '2021-03-01')]);
  });
  it('enrols a trainee again after a withdrawal, while seats are left: a new enrolment, without the old result', () => {
    const { state } = given(scheduled, enrolled('t-1'), assessed('t-1', true, '2021-03-20'), withdrawn('t-1'))
      .when(enroll('t-1', '2021-04-02', 'e-t-1-again'))
      .then([enrolled('t-1', '2021-04-02', 'e-t-1-again')]);
    expect(enrollmentOf(state, 't-1')).toEqual({ enrollmentId: 'e-t-1-again', traineeId: 't-1', enrolledOn: '2021-04-02' });
  });
  it('refuses to enrol a withdrawn trainee again once the freed seat was taken', () => {
    given(scheduled, enrolled('t-1'), enrolled('t-2'), withdrawn('t-1'), enrolled('t-3', '2021-04-01')).when(enroll('t-1', '2021-04-02')).thenRefuses('course_full');
  });

  describe('judged on the days the new seat is held, from enrolledOn to the end of the course', () => {
    it('refuses an enrolment dated while a seat withdrawn later was still held', () => {
      const refusal = given(oneSeat, enrolled('t-a', '2021-03-01'), withdrawn('t-a', '2021-03-10')).when(enroll('t-b', '2021-03-05')).thenRefuses('course_full');
      expect(refusal).toMatchObject({ context: { capacity: 1, enrolled: 1, fullOn: '2021-03-05' } });
    });
    it('accepts an enrolment dated on the day that seat was freed, or later', () => {
      given(oneSeat, enrolled('t-a', '2021-03-01'), withdrawn('t-a', '2021-03-10')).when(enroll('t-b', '2021-03-10')).then([enrolled('t-b', '2021-03-10')]);
      given(oneSeat, enrolled('t-a', '2021-03-01'), withdrawn('t-a', '2021-03-10')).when(enroll('t-b', '2021-04-01')).then([enrolled('t-b', '2021-04-01')]);
    });
    it('refuses an enrolment dated before someone who holds the seat now enrolled: the new seat would overlap theirs', () => {
      const refusal = given(oneSeat, enrolled('t-a', '2021-04-01')).when(enroll('t-b', '2021-03-01')).thenRefuses('course_full');
      expect(refusal).toMatchObject({ context: { capacity: 1, enrolled: 1, fullOn: '2021-04-01' } });
    });
    it('refuses when the seats are all taken on a later day of the span, though one is free on enrolledOn and now', () => {
      // Two seats: t-a holds one in March, t-b one from April 1, t-c one from April 15 to May 1.
      const past = [scheduled, enrolled('t-a', '2021-03-01'), withdrawn('t-a', '2021-03-20'), enrolled('t-b', '2021-04-01'), enrolled('t-c', '2021-04-15'), withdrawn('t-c', '2021-05-01')];
      const refusal = given(...past).when(enroll('t-d', '2021-03-10')).thenRefuses('course_full');
      expect(refusal).toMatchObject({ context: { capacity: 2, enrolled: 2, fullOn: '2021-04-15' } });
      given(...past).when(enroll('t-d', '2021-05-01')).then([enrolled('t-d', '2021-05-01')]);
    });
    it('still folds a stream that the earlier, count-of-now rule let through (events are history)', () => {
      const { state } = given(oneSeat, enrolled('t-a', '2021-03-01'), withdrawn('t-a', '2021-03-10'), enrolled('t-b', '2021-03-05'))
        .when(withdraw('t-b', '2021-03-20'))
        .then([withdrawn('t-b', '2021-03-20')]);
      expect(allSeats(state).map((seat) => [seat.traineeId, seat.withdrawnOn])).toEqual([['t-a', '2021-03-10'], ['t-b', '2021-03-20']]);
    });
  });

  describe('the same trainee enrols again only after the earlier enrolment ended', () => {
    it('refuses a re-enrolment dated before the earlier withdrawal (the two would overlap)', () => {
      given(scheduled, enrolled('t-1', '2021-03-01'), withdrawn('t-1', '2021-03-10')).when(enroll('t-1', '2021-03-05', 'e-2')).thenRefuses('already_enrolled');
    });
    it('refuses a re-enrolment dated before the earlier enrolment even began: it runs on past that', () => {
      given(scheduled, enrolled('t-1', '2021-04-01'), withdrawn('t-1', '2021-04-10')).when(enroll('t-1', '2021-03-01', 'e-2')).thenRefuses('already_enrolled');
    });
    it('accepts a re-enrolment dated on the day of the earlier withdrawal', () => {
      given(scheduled, enrolled('t-1', '2021-03-01'), withdrawn('t-1', '2021-03-10')).when(enroll('t-1', '2021-03-10', 'e-2')).then([enrolled('t-1', '2021-03-10', 'e-2')]);
    });
  });
});

describe('the course as a value', () => {
  it('leaves the course before an event as it was: an import keeps it when a row is refused', () => {
    const before = stateAfter(scheduled, enrolled('t-1'), enrolled('t-2')) as ScheduledCourse;
    const seatsBefore = allSeats(before);
    const after = [withdrawn('t-1'), assessed('t-2', true, '2021-05-31'), enrolled('t-3', '2021-04-01')].reduce<Course>(courseAggregate.evolve, before) as ScheduledCourse;
    expect(allSeats(before)).toEqual(seatsBefore);
    expect([...before.enrollments.keys()]).toEqual(['t-1', 't-2']);
    expect(seatsOf(before, 't-3')).toEqual([]);
    expect(allSeats(after).map((seat) => [seat.traineeId, seat.withdrawnOn, seat.assessment?.passed])).toEqual([
      ['t-1', '2021-04-01', undefined],
      ['t-2', undefined, true],
      ['t-3', undefined, undefined],
    ]);
    expect([...after.enrollments.keys()]).toEqual(['t-2', 't-3']);
  });
  it("keeps an enrolment's first event should its id come again (its first again, as on the roster)", () => {
    const course = stateAfter(scheduled, enrolled('t-1', '2021-03-01', 'e-1'), enrolled('t-3', '2021-03-02', 'e-1')) as ScheduledCourse;
    expect(allSeats(course)).toEqual([{ enrollmentId: 'e-1', traineeId: 't-1', enrolledOn: '2021-03-01' }]);
    expect(seatsOf(course, 't-1')).toEqual(allSeats(course));
    expect(seatsOf(course, 't-3')).toEqual([]);
  });
  it("finds a trainee's enrolments, withdrawn ones included, in the order they were made", () => {
    const course = stateAfter(scheduled, enrolled('t-1', '2021-03-01'), enrolled('t-2'), withdrawn('t-1', '2021-03-10'), enrolled('t-1', '2021-03-10', 'e-2')) as ScheduledCourse;
    expect(seatsOf(course, 't-1').map((seat) => [seat.enrollmentId, seat.withdrawnOn])).toEqual([
      ['e-t-1', '2021-03-10'],
      ['e-2', undefined],
    ]);
    expect(seatsOf(course, 't-9')).toEqual([]);
  });
});

describe('withdrawing', () => {
  it('frees the seat for someone else', () => {
    const { state } = given(scheduled, enrolled('t-1'), enrolled('t-2')).when(withdraw('t-1')).then([withdrawn('t-1')]);
    expect(state.status === 'scheduled' && [...state.enrollments.keys()]).toEqual(['t-2']);
    given(scheduled, enrolled('t-1'), enrolled('t-2'), withdrawn('t-1')).when(enroll('t-3', '2021-04-01')).then([enrolled('t-3', '2021-04-01')]);
  });
  it('keeps the withdrawn enrolment, with its dates and its result, in the course\'s history', () => {
    const { state } = given(scheduled, enrolled('t-1'), assessed('t-1', true, '2021-03-20')).when(withdraw('t-1')).then([withdrawn('t-1')]);
    expect(allSeats(state)).toEqual([
      { enrollmentId: 'e-t-1', traineeId: 't-1', enrolledOn: '2021-03-01', withdrawnOn: '2021-04-01', assessment: { assessmentId: 'a-1', passed: true, score: 82, assessedOn: '2021-03-20' }, assessmentIds: ['a-1'] },
    ]);
    expect(enrollmentOf(state, 't-1')).toBeUndefined();
  });
  it('refuses a withdrawal dated on or before the standing result, and accepts one the day after', () => {
    const past = [scheduled, enrolled('t-1'), assessed('t-1', true, '2021-04-20')];
    const refusal = given(...past).when(withdraw('t-1', '2021-04-20')).thenRefuses('withdrawn_before_assessment');
    expect(refusal).toMatchObject({ context: { withdrawnOn: '2021-04-20', assessedOn: '2021-04-20' } });
    given(...past).when(withdraw('t-1', '2021-04-10')).thenRefuses('withdrawn_before_assessment');
    given(...past).when(withdraw('t-1', '2021-04-21')).then([withdrawn('t-1', '2021-04-21')]);
  });
  it('judges a withdrawal against the standing result only, not a corrected one', () => {
    given(scheduled, enrolled('t-1'), assessed('t-1', false, '2021-04-20', 'a-1'), assessed('t-1', true, '2021-04-05', 'a-2', 'a-1'))
      .when(withdraw('t-1', '2021-04-10'))
      .then([withdrawn('t-1', '2021-04-10')]);
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
  it('accepts a withdrawal dated years before the day it is entered (only the course dates count)', () => {
    given(scheduled, enrolled('t-1', '2021-03-10')).when(withdraw('t-1', '2021-03-10')).then([withdrawn('t-1', '2021-03-10')]);
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
  it('accepts a result on the first day of the course and on the day of the enrolment', () => {
    given(scheduled, enrolled('t-1', '2021-02-15')).when(assess('t-1', true, '2021-03-01')).then([assessed('t-1', true, '2021-03-01')]);
    given(scheduled, enrolled('t-1', '2021-04-01')).when(assess('t-1', true, '2021-04-01')).then([assessed('t-1', true, '2021-04-01')]);
  });
  it('corrects an earlier result of the same enrolment: the new one names it and stands', () => {
    const { state } = given(scheduled, enrolled('t-1'), assessed('t-1', false, '2021-05-30', 'a-1'))
      .when(assess('t-1', true, '2021-05-31', 'a-2'))
      .then([assessed('t-1', true, '2021-05-31', 'a-2', 'a-1')]);
    expect(state.status === 'scheduled' && state.enrollments.get('t-1')?.assessment).toEqual({ assessmentId: 'a-2', passed: true, score: 82, assessedOn: '2021-05-31' });
  });
  it('corrects a pass into a fail too, and each correction names the result it replaces', () => {
    const { state } = given(scheduled, enrolled('t-1'), assessed('t-1', true, '2021-05-30', 'a-1'), assessed('t-1', true, '2021-05-31', 'a-2', 'a-1'))
      .when(assess('t-1', false, '2021-05-31', 'a-3'))
      .then([assessed('t-1', false, '2021-05-31', 'a-3', 'a-2')]);
    expect(enrollmentOf(state, 't-1')?.assessment).toEqual({ assessmentId: 'a-3', passed: false, score: 55, assessedOn: '2021-05-31' });
  });
  it('keeps results per enrolment: another trainee\'s result corrects nothing', () => {
    given(scheduled, enrolled('t-1'), enrolled('t-2'), assessed('t-1', true, '2021-05-31', 'a-1'))
      .when(assess('t-2', false, '2021-05-31', 'a-2'))
      .then([assessed('t-2', false, '2021-05-31', 'a-2')]);
  });
  it('does not correct the result of an earlier enrolment of the same trainee', () => {
    given(scheduled, enrolled('t-1'), assessed('t-1', false, '2021-03-20', 'a-1'), withdrawn('t-1', '2021-03-21'), enrolled('t-1', '2021-04-01', 'e-2'))
      .when(assess('t-1', true, '2021-05-31', 'a-2'))
      .then([assessed('t-1', true, '2021-05-31', 'a-2', undefined, 'e-2')]);
  });
  describe('against the enrolment active on assessedOn, not the one active now', () => {
    it('records a result dated while enrolled, for a trainee who withdrew later', () => {
      const { state } = given(scheduled, enrolled('t-1', '2021-03-01'), withdrawn('t-1', '2021-05-01'))
        .when(assess('t-1', true, '2021-04-20'))
        .then([assessed('t-1', true, '2021-04-20')]);
      expect(allSeats(state)[0].assessment).toEqual({ assessmentId: 'a-1', passed: true, score: 82, assessedOn: '2021-04-20' });
    });
    it('refuses a result dated on the withdrawal day or later: the seat was free by then', () => {
      given(scheduled, enrolled('t-1', '2021-03-01'), withdrawn('t-1', '2021-05-01')).when(assess('t-1', true, '2021-05-01')).thenRefuses('not_enrolled');
    });
    it("corrects the standing result of a withdrawn enrolment, which evolve kept", () => {
      given(scheduled, enrolled('t-1'), assessed('t-1', false, '2021-04-20', 'a-1'), withdrawn('t-1', '2021-05-01'))
        .when(assess('t-1', true, '2021-04-25', 'a-2'))
        .then([assessed('t-1', true, '2021-04-25', 'a-2', 'a-1')]);
    });
    it('attaches a result to the earlier enrolment when dated within it, and to the new one when dated within that', () => {
      const past = [scheduled, enrolled('t-1', '2021-03-01'), assessed('t-1', false, '2021-03-15', 'a-1'), withdrawn('t-1', '2021-03-21'), enrolled('t-1', '2021-04-01', 'e-2')];
      given(...past).when(assess('t-1', true, '2021-03-18', 'a-2')).then([assessed('t-1', true, '2021-03-18', 'a-2', 'a-1')]);
      given(...past).when(assess('t-1', true, '2021-04-05', 'a-2')).then([assessed('t-1', true, '2021-04-05', 'a-2', undefined, 'e-2')]);
    });
    it('attaches a result to the latest made of two enrolments active at once, which an old stream may hold', () => {
      const past = [scheduled, enrolled('t-1', '2021-03-01'), enrolled('t-1', '2021-03-05', 'e-2')];
      const { state } = given(...past)
        .when(assess('t-1', true, '2021-03-10', 'a-2'))
        .then([assessed('t-1', true, '2021-03-10', 'a-2', undefined, 'e-2')]);
      expect(enrollmentOf(state, 't-1')?.enrollmentId).toBe('e-2');
      given(...past).when(enroll('t-1', '2021-04-01', 'e-3')).thenRefuses('already_enrolled');
    });
    it('refuses a result dated between two enrolments as before the next one', () => {
      const refusal = given(scheduled, enrolled('t-1', '2021-03-01'), withdrawn('t-1', '2021-03-21'), enrolled('t-1', '2021-04-01', 'e-2'))
        .when(assess('t-1', true, '2021-03-25'))
        .thenRefuses('assessed_before_enrolment');
      expect(refusal).toMatchObject({ context: { assessedOn: '2021-03-25', enrolledOn: '2021-04-01' } });
    });
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
    const course = { ...scheduled.data, targetLevel: 'intermediate' };
    const { events, state } = given({ type: 'CourseScheduled', data: course }, enrolled('t-1'))
      .when(assess('t-1', true))
      .then([assessed('t-1', true)]);
    expect(events.map((event) => event.type)).toEqual(['AssessmentRecorded']);
    // The course's facts stand as scheduled; no level is held or granted here (certification does that).
    expect(state.status === 'scheduled' && state.course).toEqual(course);
  });
});

describe("only the course's provider runs it (domain.md section 9: school_staff of the course's provider)", () => {
  it('refuses to schedule a course for another school, before any other rule', () => {
    const error = given().when(schedule({ ...scheduled.data, endDate: '2021-02-28' }, otherSchool)).thenForbids('courses:schedule');
    expect(error).toBeInstanceOf(NotPermitted);
  });
  it('refuses staff of another school enrolling into the course, even into a free seat', () => {
    given(scheduled).when(enroll('t-1', '2021-03-05', 'e-t-1', otherSchool)).thenForbids('courses:enrol');
  });
  it('refuses staff of another school withdrawing an enrolment', () => {
    given(scheduled, enrolled('t-1')).when(withdraw('t-1', '2021-04-01', otherSchool)).thenForbids('courses:withdraw');
  });
  it('refuses staff of another school recording a result', () => {
    given(scheduled, enrolled('t-1')).when(assess('t-1', true, '2021-05-31', 'a-1', otherSchool)).thenForbids('courses:record-results');
  });
  it('refuses a caller of the right organisation id but not school staff (no other role runs courses)', () => {
    const admin: Actor = { userId: 'u-3', role: 'platform_admin', organisationId: null, via: 'token' };
    given(scheduled).when(enroll('t-1', '2021-03-05', 'e-t-1', admin)).thenForbids('courses:enrol');
    given(scheduled).when(enroll('t-1', '2021-03-05', 'e-t-1', { ...owner, role: 'employer_staff' })).thenForbids('courses:enrol');
  });

  describe('reading the course', () => {
    const course = stateAfter(scheduled) as ScheduledCourse;
    it("lets the provider's staff read it, and refuses another school's", () => {
      expect(() => refuseCourseReader(course, { ...owner, regionCode: '430200' }, null)).not.toThrow();
      expect(() => refuseCourseReader(course, { ...otherSchool, regionCode: '430200' }, null)).toThrow(NotPermitted);
      expect(() => refuseCourseReader(course, { ...otherSchool, regionCode: '430200' }, null)).toThrow(expect.objectContaining({ permission: 'courses:read' }));
    });
    it("lets a bureau officer of a region containing the provider's read it, and no other", () => {
      const officerOf = (regionCode: string | null) => ({ userId: 'u-4', role: 'bureau_officer' as const, organisationId: 'b-1', via: 'token' as const, regionCode });
      expect(() => refuseCourseReader(course, officerOf('430200'), '430202')).not.toThrow();
      expect(() => refuseCourseReader(course, officerOf('430000'), '430202')).not.toThrow();
      expect(() => refuseCourseReader(course, officerOf('430100'), '430202')).toThrow(expect.objectContaining({ permission: 'courses:read' }));
      expect(() => refuseCourseReader(course, officerOf(null), '430202')).toThrow(expect.objectContaining({ permission: 'courses:read' }));
    });
    it('refuses every other role, a platform admin too', () => {
      expect(() => refuseCourseReader(course, { userId: 'u-5', role: 'platform_admin', organisationId: null, via: 'token', regionCode: null }, null)).toThrow(expect.objectContaining({ permission: 'courses:read' }));
      expect(() => refuseCourseReader(course, { ...owner, role: 'employer_staff', regionCode: '430200' }, null)).toThrow(expect.objectContaining({ permission: 'courses:read' }));
    });
  });
});

describe('a target level', () => {
  it('keeps one a skill course prepares for, up to senior_technician', () => {
    const course = { ...scheduled.data, targetLevel: 'senior_technician' };
    given().when(schedule(course)).then([{ type: 'CourseScheduled', data: course }]);
  });
  it('refuses one on an ethics-and-law course, which leads to no level', () => {
    given()
      .when(schedule({ ...scheduled.data, kind: 'ethics_and_law', targetLevel: 'junior' }))
      .thenRefuses('target_level_on_ethics_course');
  });
  it.each(['special_technician', 'chief_technician'])('refuses %s, an appointed level nobody is trained for', (targetLevel) => {
    given()
      .when(schedule({ ...scheduled.data, targetLevel }))
      .thenRefuses('target_level_appointed');
  });
});

describe('a result that names the one it means to replace (corrects)', () => {
  const standingOf = assessed('t-1', false, '2021-05-20', 'a-1');
  const correcting = (corrects: string | null): RecordAssessment => ({ ...assess('t-1', true, '2021-05-31', 'a-2'), corrects });
  const contextOf = (refusal: Error & { rule: string }) => (refusal as DomainRefusal).context;
  it('records a first result that expects none (null)', () => {
    given(scheduled, enrolled('t-1')).when(correcting(null)).then([assessed('t-1', true, '2021-05-31', 'a-2')]);
  });
  it('replaces the standing result it names', () => {
    given(scheduled, enrolled('t-1'), standingOf).when(correcting('a-1')).then([assessed('t-1', true, '2021-05-31', 'a-2', 'a-1')]);
  });
  it('refuses, naming the standing result, when another stands than the one named, or one stands where none was expected', () => {
    const standing = { assessmentId: 'a-1', passed: false, score: 55, assessedOn: '2021-05-20' };
    const changed = given(scheduled, enrolled('t-1'), standingOf, assessed('t-1', true, '2021-05-21', 'a-3', 'a-1')).when(correcting('a-1')).thenRefuses('assessment_changed');
    expect(contextOf(changed)).toEqual({ standing: { ...standing, assessmentId: 'a-3', passed: true, score: 82, assessedOn: '2021-05-21' } });
    expect(contextOf(given(scheduled, enrolled('t-1'), standingOf).when(correcting(null)).thenRefuses('assessment_changed'))).toEqual({ standing });
  });
  it('refuses one that names a result where none stands', () => {
    expect(contextOf(given(scheduled, enrolled('t-1')).when(correcting('a-1')).thenRefuses('assessment_changed'))).toEqual({ standing: null });
  });
});

describe('a registration voided in trainee-service', () => {
  const voided = (traineeId: string, enrolledOn = '2021-03-01', enrollmentId = `e-${traineeId}`): EnrollmentWithdrawn => ({
    type: 'EnrollmentWithdrawn',
    data: { enrollmentId, courseId: 'c-1', traineeId, withdrawnOn: enrolledOn, reason: 'registration_voided' },
  });
  const withdrawVoided = (traineeId: string): WithdrawVoidedTrainee => ({ type: 'WithdrawVoidedTrainee', traineeId });
  it('frees the seat of each active enrolment of theirs without a result, from the day it was taken', () => {
    given(scheduled, enrolled('t-1', '2021-03-05'), enrolled('t-2')).when(withdrawVoided('t-1')).then([voided('t-1', '2021-03-05')]);
  });
  it('leaves an enrolment with a result, one already withdrawn, and a course they were never in as they are', () => {
    given(scheduled, enrolled('t-1'), assessed('t-1', true)).when(withdrawVoided('t-1')).then([]);
    given(scheduled, enrolled('t-1'), withdrawn('t-1')).when(withdrawVoided('t-1')).then([]);
    given(scheduled).when(withdrawVoided('t-1')).then([]);
  });
  it('records no result for them, said only to a course that enrolled them', () => {
    given(scheduled, enrolled('t-1'), voided('t-1')).when({ ...assess('t-1', true), traineeVoided: true }).thenRefuses('trainee_voided');
    given(scheduled).when({ ...assess('t-1', true), traineeVoided: true }).thenRefuses('not_enrolled');
  });
});

describe('an enrolment voided (recorded in error)', () => {
  const now = new Date('2021-06-15T02:00:00.000Z');
  const voidIt = (traineeId: string, enrollmentId = `e-${traineeId}`, by: Actor = owner): VoidEnrollment => ({ type: 'VoidEnrollment', traineeId, enrollmentId, reason: '报名时选错了学员', by });
  const voided = (traineeId: string, assessmentIds: string[] = [], enrollmentId = `e-${traineeId}`): EnrollmentVoided => ({
    type: 'EnrollmentVoided',
    data: { enrollmentId, courseId: 'c-1', traineeId, assessmentIds, reason: '报名时选错了学员', voidedOn: '2021-06-15' },
  });
  const decided = (command: VoidEnrollment, ...past: CourseEvent[]) => courseAggregate.decide(command, stateAfter(...past), now);

  it('names every result recorded for it, corrections included; after the course ended, withdrawn or not', () => {
    expect(decided(voidIt('t-1'), scheduled, enrolled('t-1'), assessed('t-1', false, '2021-05-20', 'a-1'), assessed('t-1', true, '2021-05-31', 'a-2', 'a-1'))).toEqual([voided('t-1', ['a-1', 'a-2'])]);
    expect(decided(voidIt('t-1'), scheduled, enrolled('t-1'), withdrawn('t-1'))).toEqual([voided('t-1')]);
  });
  it('frees the seat as if never taken: another takes it from the same day, and the trainee is enrolled again, a new enrolment', () => {
    given(oneSeat, enrolled('t-1'), assessed('t-1', true), voided('t-1', ['a-1'])).when(enroll('t-2')).then([enrolled('t-2')]);
    const { state } = given(oneSeat, enrolled('t-1'), voided('t-1')).when(enroll('t-1', '2021-03-01', 'e-again')).then([enrolled('t-1', '2021-03-01', 'e-again')]);
    expect(allSeats(state).map((seat) => seat.enrollmentId)).toEqual(['e-again']);
    expect(enrollmentOf(state, 't-1')).toMatchObject({ enrollmentId: 'e-again' });
    expect(enrollmentOf(state, 't-1')?.assessment).toBeUndefined();
  });
  it("voids the trainee's enrolment named, not their latest; a voided one is unknown, and takes no result", () => {
    const past = [scheduled, enrolled('t-1', '2021-03-01', 'e-first'), withdrawn('t-1', '2021-03-10', 'e-first'), enrolled('t-1', '2021-03-15', 'e-second')];
    expect(decided(voidIt('t-1', 'e-first'), ...past)).toEqual([voided('t-1', [], 'e-first')]);
    expect(decided(voidIt('t-1', 'e-second'), ...past)).toEqual([voided('t-1', [], 'e-second')]);
    // Another trainee's enrolment is not this trainee's.
    expect(() => decided(voidIt('t-2', 'e-first'), ...past)).toThrow(UnknownEntity);
    expect(() => decided(voidIt('t-1', 'e-first'), ...past, voided('t-1', [], 'e-first'))).toThrow(UnknownEntity);
    expect(() => decided(voidIt('t-1'), scheduled, enrolled('t-1'), voided('t-1'))).toThrow(UnknownEntity);
    expect(() => decided(voidIt('t-2'), scheduled, enrolled('t-1'))).toThrow(UnknownEntity);
    given(scheduled, enrolled('t-1'), voided('t-1')).when(assess('t-1', true)).thenRefuses('not_enrolled');
  });
  it("refuses another school's staff before it looks for the enrolment (courses:withdraw)", () => {
    expect(() => decided(voidIt('t-1', undefined, otherSchool), scheduled, enrolled('t-1'))).toThrow(NotPermitted);
    expect(() => decided(voidIt('t-9', undefined, otherSchool), scheduled)).toThrow(NotPermitted);
  });
});

describe('a course scheduled with a mistake, corrected by its school', () => {
  const now = new Date('2021-06-15T02:00:00.000Z');
  const correctIt = (correction: CorrectCourse['correction'], by: Actor = owner): CorrectCourse => ({ type: 'CorrectCourse', correction, reason: '录入时填错了', by });
  const corrected = (before: CourseCorrected['data']['before'], after: CourseCorrected['data']['after']): CourseCorrected => ({
    type: 'CourseCorrected',
    data: { courseId: 'c-1', before, after, reason: '录入时填错了', correctedOn: '2021-06-15' },
  });
  const decided = (command: CorrectCourse, ...past: CourseEvent[]) => courseAggregate.decide(command, stateAfter(...past), now);
  const refusal = (command: CorrectCourse, ...past: CourseEvent[]) => {
    try {
      decided(command, ...past);
    } catch (error) {
      return error as DomainRefusal & { field?: string; context: Record<string, unknown> };
    }
    throw new Error('not refused');
  };

  it('records the changed fields only, before and after, and the course reads the corrected values from then on', () => {
    const events = decided(correctIt({ title: '焊工（高级）', capacity: 2, endDate: '2021-06-30' }), scheduled, enrolled('t-1'));
    expect(events).toEqual([corrected({ title: '焊工（中级）', endDate: '2021-05-31' }, { title: '焊工（高级）', endDate: '2021-06-30' })]);
    const state = stateAfter(scheduled, enrolled('t-1'), ...events);
    expect(state.status === 'scheduled' && state.course).toMatchObject({ title: '焊工（高级）', capacity: 2, endDate: '2021-06-30', occupationCode: '6-18-02-04', providerId: 'p-1' });
    expect(enrollmentOf(state, 't-1')).toMatchObject({ enrollmentId: 'e-t-1' });
    // The new end admits a withdrawal up to it; the new capacity counts the seats.
    given(scheduled, enrolled('t-1'), ...events).when(withdraw('t-1', '2021-06-10')).then([withdrawn('t-1', '2021-06-10')]);
    given(scheduled, corrected({ capacity: 2 }, { capacity: 1 }), enrolled('t-1')).when(enroll('t-2')).thenRefuses('course_full');
  });
  it('records nothing when every field given is as it stands (a retried correction)', () => {
    expect(decided(correctIt({ title: '焊工（中级）', capacity: 2 }), scheduled)).toEqual([]);
    expect(decided(correctIt({}), scheduled)).toEqual([]);
  });
  it('refuses an end before the start, naming the field corrected, as scheduling does', () => {
    expect(refusal(correctIt({ endDate: '2021-02-28' }), scheduled)).toMatchObject({ rule: 'course_ends_before_it_starts', field: 'endDate' });
    expect(refusal(correctIt({ startDate: '2021-06-01' }), scheduled)).toMatchObject({ rule: 'course_ends_before_it_starts', field: 'startDate' });
    expect(decided(correctIt({ startDate: '2021-06-01', endDate: '2021-06-30' }), scheduled)).toEqual([
      corrected({ startDate: '2021-03-01', endDate: '2021-05-31' }, { startDate: '2021-06-01', endDate: '2021-06-30' }),
    ]);
  });
  it('refuses a capacity below one, and below the most enrolments that held a seat on a day of the course, as enrolment judges seats (a withdrawn one held its seat until withdrawn)', () => {
    expect(refusal(correctIt({ capacity: 0 }), scheduled)).toMatchObject({ rule: 'capacity_must_be_positive', field: 'capacity' });
    expect(refusal(correctIt({ capacity: 1 }), scheduled, enrolled('t-1'), enrolled('t-2'))).toMatchObject({ rule: 'capacity_below_enrolments', context: { field: 'capacity', capacity: 1, enrolled: 2 } });
    // Two seats held in March: a course of one would have refused the second, though one of them withdrew since.
    expect(refusal(correctIt({ capacity: 1 }), scheduled, enrolled('t-1'), enrolled('t-2'), withdrawn('t-2'))).toMatchObject({
      rule: 'capacity_below_enrolments',
      context: { field: 'capacity', capacity: 1, enrolled: 2, on: '2021-03-01' },
    });
    // One after the other, never two at once: a course of one holds them.
    expect(decided(correctIt({ capacity: 1 }), scheduled, enrolled('t-1'), withdrawn('t-1', '2021-03-10'), enrolled('t-2', '2021-03-10'))).toEqual([corrected({ capacity: 2 }, { capacity: 1 })]);
  });
  it('refuses an end before an enrolment or a withdrawal, and a start after a standing result, naming the date corrected', () => {
    expect(refusal(correctIt({ endDate: '2021-03-31' }), scheduled, enrolled('t-1', '2021-04-01'))).toMatchObject({ rule: 'enrolled_after_course_end', context: { field: 'endDate', enrolledOn: '2021-04-01' } });
    expect(refusal(correctIt({ endDate: '2021-03-31' }), scheduled, enrolled('t-1'), withdrawn('t-1', '2021-04-01'))).toMatchObject({ rule: 'withdrawn_after_course_end', context: { field: 'endDate' } });
    expect(refusal(correctIt({ startDate: '2021-05-01' }), scheduled, enrolled('t-1'), assessed('t-1', true, '2021-04-30'))).toMatchObject({
      rule: 'assessed_before_course_start',
      context: { field: 'startDate', assessedOn: '2021-04-30' },
    });
    // A voided enrolment is as if never made: it holds the dates to nothing.
    expect(decided(correctIt({ endDate: '2021-03-31' }), scheduled, enrolled('t-1', '2021-04-01'), { type: 'EnrollmentVoided', data: { enrollmentId: 'e-t-1', courseId: 'c-1', traineeId: 't-1', assessmentIds: [], reason: 'x', voidedOn: '2021-06-15' } })).toEqual([
      corrected({ endDate: '2021-05-31' }, { endDate: '2021-03-31' }),
    ]);
    // An end on the day of the latest enrolment and a start on the day of a result stand.
    expect(decided(correctIt({ startDate: '2021-04-30', endDate: '2021-04-30' }), scheduled, enrolled('t-1', '2021-04-30'), assessed('t-1', true, '2021-04-30'))).toHaveLength(1);
  });
  it("refuses another school's staff and anyone else (courses:schedule)", () => {
    expect(() => decided(correctIt({ title: 'x' }, otherSchool), scheduled)).toThrow(NotPermitted);
    given(scheduled).when(correctIt({ title: 'x' }, otherSchool)).thenForbids('courses:schedule');
    given(scheduled).when(correctIt({ title: 'x' }, { userId: 'u-9', role: 'platform_admin', via: 'token' } as Actor)).thenForbids('courses:schedule');
  });
});
