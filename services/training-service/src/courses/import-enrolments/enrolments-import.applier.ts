import { Inject, Injectable } from '@nestjs/common';
import { Actor, actorOf, ImportMode, ImportRowOutcome, ImportRowSubmitted } from '@skills/contracts';
import { AgeOnDate, Clock, DomainRefusal, FieldRefusal, UnknownEntity } from '@skills/domain-kernel';
import { CommandPipeline, foldStream, readStream } from '@skills/event-sourcing';
import { CLOCK, ImportBatchApplier, ImportJobOf, importCaller, NOT_REGISTERED, parkedTraineeRefusal, PendingImportRow, refusalOf, TraineeAges, TraineeReplica, validatedAs } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { PoolClient } from 'pg';
import { Course, courseAggregate, CourseCommand, CourseEvent, courseStreamId, Enrollment, refuseCourseEnroller, ScheduledCourse, seatsOf } from '../course.aggregate';
import { courseIntegrationEvents } from '../course-messages';
import { EnrollTraineeDto } from '../enroll-trainee/enroll-trainee.dto';
import { RecordAssessmentDto } from '../record-assessment/record-assessment.dto';
import { ImportedEnrolmentRows } from './imported-enrolment-rows';

/** A row whose cells passed the API's DTOs: the enrolment it asks for, and its result if it has one. */
interface CheckedRow {
  row: number;
  previouslyImported: boolean;
  traineeId: string;
  enrolment: EnrollTraineeDto;
  result?: RecordAssessmentDto;
}

/** A row the course accepted, decided on the course as the rows before it left it: its commands and what it did. */
interface PlannedRow {
  row: number;
  commands: CourseCommand[];
  outcome: 'created' | 'corrected' | 'already_present';
  /** The enrolment the row recorded, or found recorded: a void of it forgets the row (ImportedEnrolmentRows). */
  enrollmentId: string;
}

/**
 * A batch of a school's `enrolments_and_results` import into one of its courses (api.md, Imports): each
 * person is enrolled unless already enrolled (through the API or an earlier import), and the result, if
 * the row has one, is recorded; a later result corrects the earlier one (domain.md section 3). The rows'
 * commands are the API's own (EnrollTrainee, RecordAssessment), judged by the course's rules as the
 * job's school, and a row stands or falls whole: a refused result takes its row's enrolment with it.
 *
 * All the rows are on one stream, the course's: it is locked and read once, the rows are decided on it
 * one after another in memory, and the accepted rows' commands are recorded in one decideAll (decided
 * again on the course as read, under the same lock, so to the same events); a dry run records
 * nothing and answers by the plan. Row by row, each row read the whole course two or three times and
 * took up to three savepoints: a 500-row batch took 21 s and overflowed Postgres's cache of
 * subtransactions (docs/benchmarks.md, "Enrolments in one pass").
 */
@Injectable()
export class EnrolmentsImportApplier implements ImportBatchApplier {
  readonly kind = 'enrolments_and_results' as const;

  constructor(
    private readonly commands: CommandPipeline,
    private readonly trainees: TraineeReplica,
    private readonly ages: TraineeAges,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly importedRows: ImportedEnrolmentRows,
  ) {}

  /** The course, before the rows' keys are looked up: a second job of the same file waits, then finds them present. */
  streamsLockedFirst(job: ImportJobOf): string[] {
    return job.courseId === null ? [] : [courseStreamId(job.courseId)];
  }

  async applyAll(tx: PoolClient, rows: PendingImportRow[], job: ImportJobOf, mode: ImportMode): Promise<ImportRowOutcome[]> {
    if (rows.length === 0) return [];
    const school = actorOf(importCaller(job));
    let read: { course: ScheduledCourse; version: number };
    try {
      read = await this.courseAsLocked(tx, job, school);
    } catch (error) {
      return rows.map(({ row }) => refusalOf(row.row, error));
    }
    const outcomes: ImportRowOutcome[] = [];
    const checked: CheckedRow[] = [];
    for (const { row, previouslyImported } of rows) {
      try {
        if (row.traineeId === null) throw new UnknownEntity('trainee', 'of this row');
        checked.push({ row: row.row, previouslyImported, traineeId: row.traineeId, ...(await rowOf(row.traineeId, row.fields)) });
      } catch (error) {
        outcomes.push(refusalOf(row.row, error));
      }
    }
    // An enrolment needs its trainee known here, as the API's does (waiting for the replica as it does), and
    // none of their facts parked here as a dead letter (the API's answers 503 then).
    const enrollingRows = checked.filter((each) => !enrolmentOf(read.course, each));
    const enrolling = enrollingRows.map((each) => each.traineeId);
    // Parked first: a parked registration never arrives, and is not waited for.
    const parked = await this.trainees.parkedAmong(enrolling, tx);
    // Held until the batch commits, as the API's enrolment holds its trainee: a void applied meanwhile waits, then frees these seats.
    const known = await this.trainees.holdKnown(await this.trainees.waitForAll(enrolling.filter((id) => !parked.has(id.toLowerCase())), tx), tx);
    const ages = await this.agesOn(read.course, enrollingRows.filter((each) => known.has(each.traineeId.toLowerCase())));
    // A result for a trainee whose registration was voided is refused, as the API's is (trainee_voided).
    const voided = await this.trainees.voidedAmong(checked.filter((each) => each.result).map((each) => each.traineeId), tx);
    // One time for the whole batch, given to the record too: the plan and the record judge dates alike.
    const now = this.clock.now();
    const planned: PlannedRow[] = [];
    let course = read.course;
    for (const each of checked) {
      try {
        if (parked.has(each.traineeId.toLowerCase()) && !enrolmentOf(course, each)) throw parkedTraineeRefusal();
        const decided = decideRow(course, each, { known, ages, voided }, school, now);
        planned.push(decided.planned);
        course = decided.state;
      } catch (error) {
        outcomes.push(refusalOf(each.row, error));
      }
    }
    // A dry run answers by the plan: the aggregate's own decisions, which the record would make again.
    if (mode === 'apply') {
      await this.record(tx, read, planned, now);
      // The rows whose keys the batch keeps (none refused), with their course: a void of an enrolment forgets them.
      const enrolmentOfRow = new Map(planned.map(({ row, enrollmentId }) => [row, enrollmentId]));
      const accepted = rows.flatMap(({ row }) => {
        const enrollmentId = enrolmentOfRow.get(row.row);
        return enrollmentId ? [{ ...row, enrollmentId }] : [];
      });
      await this.importedRows.remember(tx, job.organisationId, read.course.course.courseId, accepted);
    }
    return [...outcomes, ...planned.map(({ row, outcome }): ImportRowOutcome => ({ row, outcome }))];
  }

  /**
   * Each enrolling row's trainee's age on the day it would be enrolled, for the course's
   * enrolled_before_birth, from trainee-service, which alone holds the birth date (TraineeAges). It has no
   * question for many trainees at once, so each (trainee, day) is asked once, a few at a time: a row with
   * no day (enrolled today, never before a registered person's birth) or whose person is enrolled
   * already asks nothing. A registry that does not answer (TraineeRegistryUnavailable) fails the batch,
   * nothing of it kept, and the consumer tries it again.
   */
  private async agesOn(course: ScheduledCourse, rows: CheckedRow[]): Promise<Map<string, AgeOnDate>> {
    const questions = new Map<string, { traineeId: string; day: string }>();
    for (const row of rows) {
      const day = enrolmentDayOf(course, row);
      if (day !== undefined) questions.set(ageKey(row.traineeId, day), { traineeId: row.traineeId, day });
    }
    const ages = new Map<string, AgeOnDate>();
    const pending = [...questions];
    // One question that fails fails the batch: the others stop asking (the batch is rolled back, its lock let go).
    let failed = false;
    const ask = async () => {
      for (let next = pending.shift(); next && !failed; next = pending.shift()) {
        const [key, { traineeId, day }] = next;
        const age = await this.ages.ageOn(traineeId, day).catch((error: unknown) => {
          failed = true;
          throw error;
        });
        // Nothing known (erased), or no registration there (the replica answers who is registered): no age judged.
        if (age !== undefined && age !== NOT_REGISTERED) ages.set(key, age);
      }
    };
    await Promise.all(Array.from({ length: AGE_QUESTIONS_AT_ONCE }, ask));
    return ages;
  }

  /**
   * The job's course and its version, read in the batch's transaction, which holds its lock already
   * (streamsLockedFirst, taken by applyImportBatch); refused for every row as the API refuses it.
   */
  private async courseAsLocked(tx: PoolClient, job: ImportJobOf, school: Actor): Promise<{ course: ScheduledCourse; version: number }> {
    if (job.courseId === null) throw new FieldRefusal('courseId', 'required', 'an enrolments_and_results import names the course it is for');
    const events = await readStream<CourseEvent>(tx, courseStreamId(job.courseId));
    const course: Course = foldStream(courseAggregate, events);
    if (course.status === 'unknown') throw new UnknownEntity('course', job.courseId);
    // Another school's course: every row refused, before any row of it is judged.
    refuseCourseEnroller(course, school);
    return { course, version: events.length };
  }

  /**
   * The planned rows' commands recorded together, in row order, decided again on the course as read
   * (not read again: the lock has held since); the course decides them as planned, or nothing is kept.
   */
  private async record(tx: PoolClient, read: { course: ScheduledCourse; version: number }, planned: PlannedRow[], now: Date): Promise<void> {
    const commands = planned.flatMap((each) => each.commands);
    if (commands.length === 0) return;
    const streamId = courseStreamId(read.course.course.courseId);
    const decided = await this.commands.decideAllInTransaction(tx, {
      aggregate: courseAggregate,
      commands: commands.map((command) => ({ streamId, command })),
      integrationEvents: courseIntegrationEvents,
      now,
      read: new Map([[streamId, { version: read.version, state: read.course as Course }]]),
    });
    const refused = decided.find((outcome): outcome is Extract<typeof outcome, { refusal: unknown }> => 'refusal' in outcome);
    // Decided on the same course at the same time, so never; were it to happen, the batch is tried again
    // as a whole rather than a row kept in part.
    if (refused) throw new Error(`the course decided an import row otherwise than planned (${refused.refusal.message}); the batch is tried again`);
  }
}

/**
 * One row decided on the course as the rows before it left it: enrolled unless enrolled already on
 * the row's day (enrolled on its enrolledOn, else on the day of its result or the course's last day if
 * that came after it, else today, as the API defaults it), then its result recorded. A row that asks for
 * nothing new (a person enrolled already, no result) is already present. Throws the first refusal; the
 * course is then as it was.
 */
function decideRow(course: ScheduledCourse, row: CheckedRow, trainees: { known: Set<string>; ages: Map<string, AgeOnDate>; voided: Set<string> }, by: Actor, now: Date): { planned: PlannedRow; state: ScheduledCourse } {
  const { traineeId, enrolment, result } = row;
  const existing = enrolmentOf(course, row);
  if (existing && !result) return { planned: { row: row.row, commands: [], outcome: 'already_present', enrollmentId: existing.enrollmentId }, state: course };
  const commands: CourseCommand[] = [];
  const enrollmentId = existing?.enrollmentId ?? randomUUID();
  if (!existing) {
    if (!trainees.known.has(traineeId.toLowerCase())) throw new UnknownEntity('trainee', traineeId);
    const enrolledOn = enrolmentDayOf(course, row);
    const traineeAge = enrolledOn === undefined ? undefined : trainees.ages.get(ageKey(traineeId, enrolledOn));
    commands.push({ type: 'EnrollTrainee', enrollmentId, traineeId, enrolledOn, ...(traineeAge ? { traineeAge } : {}), by });
  }
  if (result) commands.push({ type: 'RecordAssessment', assessmentId: randomUUID(), ...result, traineeVoided: trainees.voided.has(traineeId.toLowerCase()), by });
  let state: Course = course;
  try {
    for (const command of commands) state = courseAggregate.decide(command, state, now).reduce(courseAggregate.evolve, state);
  } catch (error) {
    throw cellOfTheDay(error, row, course);
  }
  const changedResult = result !== undefined && existing?.assessment !== undefined;
  return { planned: { row: row.row, commands, outcome: row.previouslyImported || changedResult ? 'corrected' : 'created', enrollmentId }, state: state as ScheduledCourse };
}

/**
 * The day a row's new enrolment is dated: its enrolledOn, else the day of its result, else none (today,
 * as the API defaults it). An exam held after the course ended (allowed) dates no enrolment after it
 * (refused): the last day is the latest it can be.
 */
function enrolmentDayOf({ course }: ScheduledCourse, { enrolment, result }: CheckedRow): string | undefined {
  const resultDay = result && (result.assessedOn > course.endDate ? course.endDate : result.assessedOn);
  return enrolment.enrolledOn ?? resultDay;
}

/**
 * A refusal of the enrolment's day names the cell the day came from: a row without enrolledOn is dated by
 * its assessedOn (enrolmentDayOf), and the file's author is pointed at a column that is in the file.
 */
function cellOfTheDay(error: unknown, { enrolment, result }: CheckedRow, { course }: ScheduledCourse): unknown {
  if (!(error instanceof DomainRefusal) || error.rule !== 'enrolled_before_birth' || enrolment.enrolledOn !== undefined) return error;
  const dated = result && result.assessedOn > course.endDate ? "the course's last day (the result came after it)" : 'the day of the result';
  return new DomainRefusal(error.rule, `${dated}, which dates the enrolment of a row without enrolledOn, is before the trainee was born`, { ...error.context, field: 'assessedOn' });
}

/** How many questions to trainee-service one batch has open at once: a batch of 500 rows waits on a few, never floods it. */
const AGE_QUESTIONS_AT_ONCE = 8;

const ageKey = (traineeId: string, day: string) => `${traineeId.toLowerCase()}|${day}`;

/**
 * The row's cells checked by the API's own DTOs, so a refusal names the field and rule a 400 would.
 * A result is all of passed, score and assessedOn: once one is given, the others are required.
 */
async function rowOf(traineeId: string, fields: ImportRowSubmitted['fields']): Promise<{ enrolment: EnrollTraineeDto; result?: RecordAssessmentDto }> {
  const enrolment = await validatedAs(EnrollTraineeDto, { traineeId, enrolledOn: cell(fields, 'enrolledOn') });
  const [passed, score, assessedOn] = [cell(fields, 'passed'), cell(fields, 'score'), cell(fields, 'assessedOn')];
  if (passed === undefined && score === undefined && assessedOn === undefined) return { enrolment };
  // Text the DTO would refuse stays text, and is refused by it: 'yes' is no boolean, '八十' no number.
  const result = await validatedAs(RecordAssessmentDto, {
    traineeId,
    passed: passed === 'true' ? true : passed === 'false' ? false : passed,
    score: score !== undefined && DECIMAL.test(score) ? Number(score) : score,
    assessedOn,
  });
  return { enrolment, result };
}

/** A score as the file's cell gives it: digits, and a point with more digits (the DTO judges its range and places). */
const DECIMAL = /^\d+(\.\d+)?$/;

/** A cell as given; a blank one is not given. */
function cell(fields: ImportRowSubmitted['fields'], name: string): string | undefined {
  const value = fields[name]?.trim();
  return value ? value : undefined;
}

/**
 * The enrolment a row is about, of its person's seats, if there is one: the one that held a seat on the
 * row's day (a result for a trainee who withdrew since), else the active one. The newest of each, as the
 * course records a result on (`enrollmentOn`), should an old stream hold two.
 */
function enrolmentOf(course: ScheduledCourse, { traineeId, enrolment, result }: CheckedRow): Enrollment | undefined {
  const own = seatsOf(course, traineeId);
  const day = result?.assessedOn ?? enrolment.enrolledOn;
  const heldOnDay = (seat: Enrollment) => day !== undefined && seat.enrolledOn <= day && (seat.withdrawnOn === undefined || day < seat.withdrawnOn);
  const newestFirst = [...own].reverse();
  return newestFirst.find(heldOnDay) ?? newestFirst.find((seat) => seat.withdrawnOn === undefined);
}
