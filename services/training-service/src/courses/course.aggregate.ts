import { Actor } from '@skills/contracts';
import { AgeOnDate, assertNever, businessDateOf, DomainRefusal, existing, FieldRefusal, NotPermitted, RegionalActor, refuseFutureDate, refuseOutsideBureauRegion, UnknownEntity } from '@skills/domain-kernel';
import { Map as PersistentMap, OrderedMap } from 'immutable';

// ---- events ---------------------------------------------------------------------------------

export interface CourseScheduled {
  type: 'CourseScheduled';
  data: {
    courseId: string;
    providerId: string;
    providerCreditCode: string;
    /**
     * The provider's region as registered when the course was scheduled: training figures count by it
     * (domain.md section 6). Absent on events recorded before it was added.
     */
    providerRegionCode?: string;
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

/**
 * A seat freed from `withdrawnOn` on. `reason` `registration_voided`: training applied trainee-service's
 * void of the registration (made in error) to an enrolment accepted before it learnt of it; the seat is
 * freed from the day it was taken (withdrawnOn = enrolledOn), as if never held. Absent: the school withdrew it.
 */
export interface EnrollmentWithdrawn {
  type: 'EnrollmentWithdrawn';
  data: { enrollmentId: string; courseId: string; traineeId: string; withdrawnOn: string; reason?: 'registration_voided' };
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

/**
 * An enrolment recorded in error (the wrong person, the wrong course), voided with every result recorded
 * for it: the course goes on as if neither had been recorded. Its seat was never held, and the person may
 * be enrolled in the course again (a new enrolment). Unlike a withdrawal, which keeps the enrolment and
 * its results. `reason` stays in this log: it is free text and may name people (not published).
 */
export interface EnrollmentVoided {
  type: 'EnrollmentVoided';
  data: { enrollmentId: string; courseId: string; traineeId: string; assessmentIds: string[]; reason: string; voidedOn: string };
}

/** The facts of a course its school may correct once scheduled; the others make a different course. */
export type CorrectableCourseFacts = Partial<Pick<CourseScheduled['data'], 'title' | 'capacity' | 'startDate' | 'endDate'>>;

export const CORRECTABLE_COURSE_FIELDS = ['title', 'capacity', 'startDate', 'endDate'] as const;

/**
 * A course scheduled with a mistake (a wrong title, capacity or date), corrected by its school: `before`
 * and `after` hold the changed fields only. `reason` stays in this log: it is free text and may name
 * people (not published, as EnrollmentVoided's).
 */
export interface CourseCorrected {
  type: 'CourseCorrected';
  data: { courseId: string; before: CorrectableCourseFacts; after: CorrectableCourseFacts; reason: string; correctedOn: string };
}

export type CourseEvent = CourseScheduled | TraineeEnrolled | EnrollmentWithdrawn | AssessmentRecorded | EnrollmentVoided | CourseCorrected;

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
  /**
   * The trainee's age on `enrolledOn` as trainee-service tells it (TraineeAges), which alone holds the birth
   * date; absent when nothing is known of it (erased, no registry to ask) or nothing was asked (no
   * enrolledOn: today is never before a registered person's birth).
   */
  traineeAge?: AgeOnDate;
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
  /**
   * The standing result the caller means to replace (its assessmentId), or null for "none stands": another
   * result standing is refused (assessment_changed), so nobody overwrites one recorded meanwhile unseen.
   * Absent: whatever stands is replaced (imports and scripts).
   */
  corrects?: string | null;
  /** Trainee-service voided the trainee's registration, as this service's replica knows (trainee_voided). */
  traineeVoided?: boolean;
  by: Actor;
}

/**
 * Trainee-service voided the trainee's registration (made in error), learnt after this course accepted
 * enrolments of theirs. Not a user's command: the platform applies another service's fact, so no permission.
 */
export interface WithdrawVoidedTrainee {
  type: 'WithdrawVoidedTrainee';
  traineeId: string;
}

/**
 * An enrolment recorded in error, voided with its results, by staff of the course's provider (as a
 * withdrawal: `courses:withdraw`), withdrawn or not, also after the course ended. `enrollmentId` names
 * which of the trainee's enrolments, always: "their latest" would make a retried void take the one before it.
 */
export interface VoidEnrollment {
  type: 'VoidEnrollment';
  traineeId: string;
  enrollmentId: string;
  reason: string;
  by: Actor;
}

/**
 * A course scheduled with a mistake corrected by its school (the permission scheduling uses,
 * `courses:schedule`): the fields given replace the recorded ones, judged by the rules scheduling,
 * enrolments, withdrawals and results were judged by, as if the course had been scheduled so. Fields
 * given as they stand change nothing; none changed, nothing is recorded (a retried correction).
 */
export interface CorrectCourse {
  type: 'CorrectCourse';
  correction: CorrectableCourseFacts;
  reason: string;
  by: Actor;
}

export type CourseCommand = ScheduleCourse | EnrollTrainee | WithdrawEnrollment | RecordAssessment | WithdrawVoidedTrainee | VoidEnrollment | CorrectCourse;

// ---- state ----------------------------------------------------------------------------------

/** A result as it stands (the latest recorded for its enrolment). */
export interface StandingAssessment {
  assessmentId: string;
  passed: boolean;
  score: number;
  assessedOn: string;
}

/**
 * One enrolment and the seat it holds: from enrolledOn up to, not including, withdrawnOn. A withdrawn
 * enrolment stays here with its dates and result, because a rule dated in the past is judged against the
 * seats held and the enrolment active on that date, not against those active now.
 */
export interface Enrollment {
  enrollmentId: string;
  traineeId: string;
  enrolledOn: string;
  /** Absent while the enrolment is active; the seat is free again from this day on. */
  withdrawnOn?: string;
  /** The result that stands (the latest recorded), if any. */
  assessment?: StandingAssessment;
  /** Every result recorded for it, corrections included, in order: a void names them all (EnrollmentVoided). */
  assessmentIds?: readonly string[];
}

/**
 * Made only by `scheduledWith` (never spread into a new one: its `enrollments` would be the old seats').
 *
 * The seats are persistent maps (immutable.js): the course after an event shares its seats with the
 * course before it, which stays as it was. An import decides its rows one after another on the course
 * as the rows before left it, and keeps that course when a row is refused. Copying an array of seats at
 * every event, and looking through it for a trainee at every command, made a course cost time in the
 * square of its size (an import of a course of 10,000 took 49 s, docs/benchmarks.md).
 */
export interface ScheduledCourse {
  status: 'scheduled';
  course: CourseScheduled['data'];
  /** Every enrolment, withdrawn ones included, by enrollmentId, in the order they were made. */
  seats: OrderedMap<string, Enrollment>;
  /** Each trainee's enrollmentIds in `seats`, in the order they were made. */
  seatIdsByTrainee: PersistentMap<string, readonly string[]>;
  /**
   * Active enrolments by trainee id (derived from `seats`): what the course shows as enrolled now. Made
   * on first read, not with every event: a fold that made it each event took time in the square of the
   * course's size (13 s for a course of 5,000 with their results).
   */
  readonly enrollments: ReadonlyMap<string, Enrollment>;
}

/** The trainee's enrolments in the course, withdrawn ones included, in the order they were made. */
export function seatsOf({ seats, seatIdsByTrainee }: ScheduledCourse, traineeId: string): Enrollment[] {
  return (seatIdsByTrainee.get(traineeId) ?? []).flatMap((enrollmentId) => seats.get(enrollmentId) ?? []);
}

export type Course = { status: 'unknown' } | ScheduledCourse;

export const courseStreamId = (courseId: string) => `course-${courseId}`;

export const courseAggregate = {
  initialState: (): Course => ({ status: 'unknown' }),

  evolve(state: Course, event: CourseEvent): Course {
    switch (event.type) {
      case 'CourseScheduled':
        return scheduledWith(event.data, OrderedMap(), PersistentMap());
      case 'TraineeEnrolled': {
        const { enrollmentId, traineeId, enrolledOn } = event.data;
        const { course, seats, seatIdsByTrainee } = existing(state, 'course');
        // An enrolment's id is new each time (randomUUID); an event of an id already held is its first
        // again, and the first stands, as on the course's roster (course-rosters.projection.ts).
        if (seats.has(enrollmentId)) return state;
        return scheduledWith(
          course,
          seats.set(enrollmentId, { enrollmentId, traineeId, enrolledOn }),
          seatIdsByTrainee.update(traineeId, (ids = []) => [...ids, enrollmentId]),
        );
      }
      case 'EnrollmentWithdrawn': {
        const { withdrawnOn } = event.data;
        return withSeat(state, event.data.enrollmentId, (seat) => ({ ...seat, withdrawnOn }));
      }
      case 'AssessmentRecorded': {
        // By enrollmentId: a result dated while an enrolment was active belongs to it, even once withdrawn.
        const { enrollmentId, assessmentId, passed, score, assessedOn } = event.data;
        return withSeat(state, enrollmentId, (seat) => ({ ...seat, assessment: { assessmentId, passed, score, assessedOn }, assessmentIds: [...(seat.assessmentIds ?? []), assessmentId] }));
      }
      case 'EnrollmentVoided': {
        // Gone from the seats, as if never taken: the capacity count, once per course and the results no longer see it.
        const { enrollmentId, traineeId } = event.data;
        const { course, seats, seatIdsByTrainee } = existing(state, 'course');
        if (!seats.has(enrollmentId)) return state;
        const others = (seatIdsByTrainee.get(traineeId) ?? []).filter((id) => id !== enrollmentId);
        return scheduledWith(course, seats.delete(enrollmentId), others.length > 0 ? seatIdsByTrainee.set(traineeId, others) : seatIdsByTrainee.delete(traineeId));
      }
      case 'CourseCorrected': {
        const { course, seats, seatIdsByTrainee } = existing(state, 'course');
        return scheduledWith({ ...course, ...event.data.after }, seats, seatIdsByTrainee);
      }
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
        refuseTargetLevel(command.course);
        return [{ type: 'CourseScheduled', data: command.course }];
      }
      case 'EnrollTrainee': {
        const course = existing(state, 'course');
        refuseCourseEnroller(course, command.by);
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
      case 'WithdrawVoidedTrainee':
        return withdrawVoided(existing(state, 'course'), command.traineeId);
      case 'VoidEnrollment': {
        const course = existing(state, 'course');
        // Before the enrolment is looked for: another school learns nothing of who is enrolled.
        refuseUnlessProviderStaff('courses:withdraw', course.course.providerId, command.by, "voids enrolments only in its own provider's courses");
        return [voidEnrollment(course, command, now)];
      }
      case 'CorrectCourse': {
        const course = existing(state, 'course');
        // Before anything of the course is judged: another school learns nothing of its enrolments.
        refuseUnlessProviderStaff('courses:schedule', course.course.providerId, command.by, "corrects only its own provider's courses");
        return correct(course, command, now);
      }
      default:
        return assertNever(command);
    }
  },
};

/** Levels reached by appointment to an enterprise position (domain.md section 2, route `appointment`), never by training. */
const APPOINTED_LEVELS: readonly string[] = ['special_technician', 'chief_technician'];

/**
 * A target level is the level a skill course prepares for: an ethics-and-law course prepares for none,
 * and no course for a level that is appointed rather than trained and assessed for.
 */
function refuseTargetLevel({ kind, targetLevel }: CourseScheduled['data']): void {
  if (targetLevel === undefined) return;
  if (kind === 'ethics_and_law') {
    throw new FieldRefusal('targetLevel', 'target_level_on_ethics_course', `an ethics_and_law course leads to no level; targetLevel ${targetLevel} is for skill courses`, { kind, targetLevel });
  }
  if (APPOINTED_LEVELS.includes(targetLevel)) {
    throw new FieldRefusal('targetLevel', 'target_level_appointed', `${targetLevel} is appointed by an employer, not trained for; a course targets at most senior_technician`, { targetLevel });
  }
}

/** Only the course's provider's `school_staff` enrol into it; an import checks this first, before it reads the roster. */
export function refuseCourseEnroller({ course }: ScheduledCourse, by: Actor): void {
  refuseUnlessProviderStaff('courses:enrol', course.providerId, by, "enrols only into its own provider's courses");
}

/** A course is read by whoever may read its provider's courses (refuseProviderCoursesReader). */
export function refuseCourseReader({ course }: ScheduledCourse, by: Actor & RegionalActor, providerRegion: string | null): void {
  refuseProviderCoursesReader(course.providerId, by, providerRegion);
}

/**
 * A provider's courses and their rosters are read by its `school_staff` and by a `bureau_officer` of a
 * region containing the provider's (`providerRegion`, from the provider's stream; null when the caller
 * is no bureau officer); domain.md section 9 names no other reader, not even a `platform_admin`.
 */
export function refuseProviderCoursesReader(providerId: string, by: Actor & RegionalActor, providerRegion: string | null): void {
  if (by.role === 'bureau_officer') return refuseOutsideBureauRegion('courses:read', by, providerRegion ?? '');
  refuseUnlessProviderStaff('courses:read', providerId, by, "reads only its own provider's courses");
}

/** `school_staff` of the course's provider (domain.md section 9); no other role, not even `platform_admin`. */
function refuseUnlessProviderStaff(permission: string, providerId: string, by: Actor, what: string): void {
  if (by.role !== 'school_staff' || by.organisationId !== providerId) throw new NotPermitted(permission, `a school's staff ${what}`);
}

function enroll(scheduled: ScheduledCourse, { traineeId, enrollmentId, ...command }: EnrollTrainee, now: Date): TraineeEnrolled {
  const { course, seats } = scheduled;
  const enrolledOn = command.enrolledOn ?? businessDateOf(now);
  refuseFutureDate('enrolledOn', enrolledOn, now);
  // Once per course at a time: the new enrolment runs from enrolledOn on, so an earlier one of the same
  // trainee that still held its seat on that day (or holds it now) would overlap it.
  const overlapping = seatsOf(scheduled, traineeId).find((seat) => seat.withdrawnOn === undefined || seat.withdrawnOn > enrolledOn);
  if (overlapping) {
    const detail =
      overlapping.withdrawnOn === undefined
        ? `trainee ${traineeId} is already enrolled in this course (since ${overlapping.enrolledOn})`
        : `trainee ${traineeId} was enrolled in this course until ${overlapping.withdrawnOn}, after enrolledOn ${enrolledOn}`;
    throw new DomainRefusal('already_enrolled', detail, { traineeId });
  }
  // Nobody is enrolled before they were born (the date only, never the birth date, in the refusal). A
  // result is dated within its seat (assessed_before_enrolment), so this rule keeps results after birth too.
  if (command.traineeAge === 'not_yet_born') {
    throw new DomainRefusal('enrolled_before_birth', `enrolledOn ${enrolledOn} is before the trainee was born`, { field: 'enrolledOn', enrolledOn });
  }
  if (enrolledOn > course.endDate) {
    throw new DomainRefusal('enrolled_after_course_end', `enrolledOn ${enrolledOn} is after the course ended on ${course.endDate}`, { enrolledOn, endDate: course.endDate });
  }
  // The new seat is held from enrolledOn to the end of the course: there must be one free on every day of
  // that. No day holds more seats than were ever taken, so fewer than capacity need no count of the days.
  const peak = seats.size < course.capacity ? undefined : peakOccupancy(seats.values(), enrolledOn, course.endDate);
  if (peak && peak.held >= course.capacity) {
    throw new DomainRefusal('course_full', `all ${course.capacity} seats are taken on ${peak.on}`, { capacity: course.capacity, enrolled: peak.held, fullOn: peak.on });
  }
  return { type: 'TraineeEnrolled', data: { enrollmentId, courseId: course.courseId, traineeId, enrolledOn } };
}

function withdraw({ course, enrollments }: ScheduledCourse, { traineeId, ...command }: WithdrawEnrollment, now: Date): EnrollmentWithdrawn {
  const withdrawnOn = command.withdrawnOn ?? businessDateOf(now);
  refuseFutureDate('withdrawnOn', withdrawnOn, now);
  const enrollment = enrollments.get(traineeId);
  if (!enrollment) throw new DomainRefusal('not_enrolled', `trainee ${traineeId} is not enrolled in this course`, { traineeId });
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
  // The standing result was recorded as of a day the trainee was enrolled; a withdrawal on or before it would undo that.
  const assessedOn = enrollment.assessment?.assessedOn;
  if (assessedOn !== undefined && withdrawnOn <= assessedOn) {
    throw new DomainRefusal('withdrawn_before_assessment', `withdrawnOn ${withdrawnOn} is not after the standing result of ${assessedOn}`, { withdrawnOn, assessedOn });
  }
  return { type: 'EnrollmentWithdrawn', data: { enrollmentId: enrollment.enrollmentId, courseId: course.courseId, traineeId, withdrawnOn } };
}

/**
 * Judged against the course's dates and the enrolment active on assessedOn, never the wall clock or the
 * enrolment active now: old records may be entered, also for a trainee who has withdrawn since.
 */
function assess(scheduled: ScheduledCourse, command: RecordAssessment, now: Date): AssessmentRecorded {
  const { course } = scheduled;
  const { traineeId, assessedOn } = command;
  refuseFutureDate('assessedOn', assessedOn, now);
  const own = seatsOf(scheduled, traineeId);
  if (own.length === 0) throw new DomainRefusal('not_enrolled', `trainee ${traineeId} is not enrolled in this course`, { traineeId });
  if (assessedOn < course.startDate) {
    throw new DomainRefusal('assessed_before_course_start', `assessedOn ${assessedOn} is before the course started on ${course.startDate}`, {
      assessedOn,
      startDate: course.startDate,
    });
  }
  // Said only to the school that enrolled them (not_enrolled first): a voided registration was made in error.
  if (command.traineeVoided) {
    throw new DomainRefusal('trainee_voided', `trainee ${traineeId}'s registration was voided in trainee-service (made in error); no result is recorded for it`, { traineeId });
  }
  const enrollment = enrollmentOn(own, assessedOn);
  const standing = enrollment.assessment;
  if (command.corrects !== undefined && command.corrects !== (standing?.assessmentId ?? null)) {
    const detail = standing
      ? `another result (${standing.assessmentId}) stands for this enrolment than the one given in corrects (${command.corrects ?? 'none'})`
      : `no result stands for this enrolment, though corrects names ${command.corrects}`;
    throw new DomainRefusal('assessment_changed', detail, { standing: standing ? { ...standing } : null });
  }
  const corrects = standing?.assessmentId;
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

/**
 * Each of the trainee's active enrolments with no result freed from the day it was taken: the registration
 * was made in error, so the seat was never rightly held. One with a result keeps it: a withdrawal on or
 * before the day of a result would undo that result (withdrawn_before_assessment).
 */
function withdrawVoided(scheduled: ScheduledCourse, traineeId: string): EnrollmentWithdrawn[] {
  return seatsOf(scheduled, traineeId)
    .filter((seat) => seat.withdrawnOn === undefined && seat.assessment === undefined)
    .map((seat) => ({
      type: 'EnrollmentWithdrawn',
      data: { enrollmentId: seat.enrollmentId, courseId: scheduled.course.courseId, traineeId, withdrawnOn: seat.enrolledOn, reason: 'registration_voided' },
    }));
}

/**
 * The trainee's enrolment named voided with every result recorded for it, withdrawn or not, whenever: a void
 * corrects the record, it is no business fact of a day. None such (never made, another trainee's, or voided
 * already): 404, as an unknown enrolment.
 */
function voidEnrollment(scheduled: ScheduledCourse, { traineeId, enrollmentId, reason }: VoidEnrollment, now: Date): EnrollmentVoided {
  const own = seatsOf(scheduled, traineeId);
  const seat = own.find((each) => each.enrollmentId.toLowerCase() === enrollmentId.toLowerCase());
  if (!seat) throw new UnknownEntity('enrollment', enrollmentId);
  return {
    type: 'EnrollmentVoided',
    data: { enrollmentId: seat.enrollmentId, courseId: scheduled.course.courseId, traineeId: seat.traineeId, assessmentIds: [...(seat.assessmentIds ?? [])], reason, voidedOn: businessDateOf(now) },
  };
}

/**
 * The fields given that differ from the course's, judged as scheduling judges them and against what the
 * course holds: the seats held now (capacity), every enrolment and withdrawal (the end) and every standing
 * result (the start), by the rules that accepted them. None differ: nothing to record.
 */
function correct(scheduled: ScheduledCourse, { correction, reason }: CorrectCourse, now: Date): CourseCorrected[] {
  const { course, seats } = scheduled;
  const changed = CORRECTABLE_COURSE_FIELDS.filter((field) => correction[field] !== undefined && correction[field] !== course[field]);
  if (changed.length === 0) return [];
  const before: CorrectableCourseFacts = Object.fromEntries(changed.map((field) => [field, course[field]]));
  const after: CorrectableCourseFacts = Object.fromEntries(changed.map((field) => [field, correction[field]]));
  const { startDate, endDate, capacity } = { ...course, ...after };
  if (endDate < startDate) {
    const field = after.endDate !== undefined ? 'endDate' : 'startDate';
    throw new FieldRefusal(field, 'course_ends_before_it_starts', `endDate ${endDate} is before startDate ${startDate}`, { startDate, endDate });
  }
  if (after.capacity !== undefined) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new FieldRefusal('capacity', 'capacity_must_be_positive', `capacity must be at least 1 (got ${capacity})`, { capacity });
    // As enrolment judges a seat: by the most seats held on any day of the course, not those held today
    // (enrolments withdrawn since held theirs then: a course of that capacity would have refused one of them).
    const peak = peakOccupancy(seats.values(), '0000-01-01', endDate);
    if (capacity < peak.held) {
      throw new DomainRefusal('capacity_below_enrolments', `${peak.held} enrolments held a seat on ${peak.on}, more than capacity ${capacity}`, { field: 'capacity', capacity, enrolled: peak.held, on: peak.on });
    }
  }
  if (after.endDate !== undefined) {
    for (const seat of seats.values()) {
      if (seat.enrolledOn > endDate) {
        throw new DomainRefusal('enrolled_after_course_end', `an enrolment of ${seat.enrolledOn} would be after the course ended on ${endDate}`, { field: 'endDate', endDate, enrolledOn: seat.enrolledOn });
      }
      if (seat.withdrawnOn !== undefined && seat.withdrawnOn > endDate) {
        throw new DomainRefusal('withdrawn_after_course_end', `a withdrawal of ${seat.withdrawnOn} would be after the course ended on ${endDate}`, { field: 'endDate', endDate, withdrawnOn: seat.withdrawnOn });
      }
    }
  }
  if (after.startDate !== undefined) {
    for (const seat of seats.values()) {
      const assessedOn = seat.assessment?.assessedOn;
      if (assessedOn !== undefined && assessedOn < startDate) {
        throw new DomainRefusal('assessed_before_course_start', `a result of ${assessedOn} would be before the course started on ${startDate}`, { field: 'startDate', startDate, assessedOn });
      }
    }
  }
  return [{ type: 'CourseCorrected', data: { courseId: course.courseId, before, after, reason, correctedOn: businessDateOf(now) } }];
}

/** The trainee's enrolment that held a seat on `day`, or the refusal saying why there is none. */
function enrollmentOn(own: Enrollment[], day: string): Enrollment {
  // A trainee's enrolments do not overlap (already_enrolled); the latest made wins should an old stream hold two.
  const held = own.filter((seat) => holdsSeatOn(seat, day));
  if (held.length > 0) return held[held.length - 1];
  const next = own.filter((seat) => seat.enrolledOn > day).sort((a, b) => a.enrolledOn.localeCompare(b.enrolledOn))[0];
  if (next) {
    throw new DomainRefusal('assessed_before_enrolment', `assessedOn ${day} is before the enrolment on ${next.enrolledOn}`, { assessedOn: day, enrolledOn: next.enrolledOn });
  }
  const traineeId = own[0].traineeId;
  throw new DomainRefusal('not_enrolled', `trainee ${traineeId} was not enrolled in this course on ${day}`, { traineeId, assessedOn: day });
}

/** A seat is held from its enrolledOn up to, not including, its withdrawnOn. */
function holdsSeatOn(seat: Enrollment, day: string): boolean {
  return seat.enrolledOn <= day && (seat.withdrawnOn === undefined || day < seat.withdrawnOn);
}

/**
 * The most seats held on any day of [from, until], and the first day with that many: one sweep over the
 * days seats are taken (+1) and freed (−1), so a course of thousands of seats costs n log n per enrolment.
 * Occupancy only rises on a day someone enrols, so the days of change are the only ones to look at.
 */
function peakOccupancy(seats: Iterable<Enrollment>, from: string, until: string): { held: number; on: string } {
  const changes = new Map<string, number>();
  const change = (day: string, by: number) => changes.set(day, (changes.get(day) ?? 0) + by);
  for (const seat of seats) {
    change(seat.enrolledOn, 1);
    if (seat.withdrawnOn !== undefined) change(seat.withdrawnOn, -1);
  }
  const days = [...changes.keys()].sort();
  let held = days.filter((day) => day <= from).reduce((sum, day) => sum + changes.get(day)!, 0);
  let peak = { held, on: from };
  for (const day of days.filter((day) => day > from && day <= until)) {
    held += changes.get(day)!;
    if (held > peak.held) peak = { held, on: day };
  }
  return peak;
}

/** The course with one enrolment's seat changed (none if the course has no such enrolment). */
function withSeat(state: Course, enrollmentId: string, change: (seat: Enrollment) => Enrollment): Course {
  const { course, seats, seatIdsByTrainee } = existing(state, 'course');
  const seat = seats.get(enrollmentId);
  return seat ? scheduledWith(course, seats.set(enrollmentId, change(seat)), seatIdsByTrainee) : state;
}

/** A scheduled course with these seats; its active enrolments by trainee made when first read, once. */
function scheduledWith(course: CourseScheduled['data'], seats: ScheduledCourse['seats'], seatIdsByTrainee: ScheduledCourse['seatIdsByTrainee']): ScheduledCourse {
  let active: Map<string, Enrollment> | undefined;
  return {
    status: 'scheduled',
    course,
    seats,
    seatIdsByTrainee,
    get enrollments() {
      if (!active) {
        active = new Map();
        for (const seat of seats.values()) if (seat.withdrawnOn === undefined) active.set(seat.traineeId, seat);
      }
      return active;
    },
  };
}
