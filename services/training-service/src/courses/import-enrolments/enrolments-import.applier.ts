import { Injectable } from '@nestjs/common';
import { actorOf, ImportRowSubmitted } from '@skills/contracts';
import { FieldRefusal, UnknownEntity } from '@skills/domain-kernel';
import { foldStream, readStream } from '@skills/event-sourcing';
import { Transactions } from '@skills/postgres';
import { ImportJobOf, importCaller, ImportRowApplier, validatedAs } from '@skills/service-runtime';
import { Course, courseAggregate, CourseEvent, courseStreamId, Enrollment, refuseCourseEnroller, ScheduledCourse } from '../course.aggregate';
import { EnrollTraineeDto } from '../enroll-trainee/enroll-trainee.dto';
import { EnrollTraineeHandler } from '../enroll-trainee/enroll-trainee.handler';
import { RecordAssessmentDto } from '../record-assessment/record-assessment.dto';
import { RecordAssessmentHandler } from '../record-assessment/record-assessment.handler';

/**
 * A row of a school's `enrolments_and_results` import into one of its courses (api.md, Imports): the
 * person is enrolled unless already enrolled (through the API or an earlier import), and the result, if
 * the row has one, is recorded; a later result corrects the earlier one (domain.md section 3). Every
 * command goes through the API's own handlers, judged by the same rules, as the job's school.
 */
@Injectable()
export class EnrolmentsImportApplier implements ImportRowApplier {
  readonly kind = 'enrolments_and_results' as const;

  constructor(
    private readonly transactions: Transactions,
    private readonly enrol: EnrollTraineeHandler,
    private readonly record: RecordAssessmentHandler,
  ) {}

  async apply(row: ImportRowSubmitted, job: ImportJobOf, previouslyImported: boolean): Promise<'created' | 'corrected'> {
    if (job.courseId === null) throw new FieldRefusal('courseId', 'required', 'an enrolments_and_results import names the course it is for');
    const school = importCaller(job);
    const course = await this.courseInBatch(job.courseId);
    // Another school's course: every row refused as the API refuses it, before anything of it is read.
    refuseCourseEnroller(course, actorOf(school));
    if (row.traineeId === null) throw new UnknownEntity('trainee', 'of this row');
    const { enrolment, result } = await rowOf(row.traineeId, row.fields);
    const existing = enrolmentOf(course, row.traineeId, result?.assessedOn ?? enrolment.enrolledOn);
    // Enrolled on the row's enrolledOn, else on the day of its result, else today (as the API defaults it).
    if (!existing) await this.enrol.execute(course.course.courseId, { ...enrolment, enrolledOn: enrolment.enrolledOn ?? result?.assessedOn }, school);
    if (result) await this.record.execute(course.course.courseId, result, school);
    const changedResult = result !== undefined && existing?.assessment !== undefined;
    return previouslyImported || changedResult ? 'corrected' : 'created';
  }

  /**
   * The course as this batch's transaction sees it (earlier rows of the batch included, also in a
   * judged batch that will be rolled back); 404 naming the course when there is none.
   */
  private async courseInBatch(courseId: string): Promise<ScheduledCourse> {
    const events = await this.transactions.run((tx) => readStream<CourseEvent>(tx, courseStreamId(courseId)));
    const course: Course = foldStream(courseAggregate, events);
    if (course.status === 'unknown') throw new UnknownEntity('course', courseId);
    return course;
  }
}

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
 * The trainee's enrolment the row is about, if there is one: the one that held a seat on the row's day
 * (a result for a trainee who withdrew since), else the active one.
 */
function enrolmentOf({ seats, enrollments }: ScheduledCourse, traineeId: string, day: string | undefined): Enrollment | undefined {
  const heldOnDay = (seat: Enrollment) => day !== undefined && seat.enrolledOn <= day && (seat.withdrawnOn === undefined || day < seat.withdrawnOn);
  return seats.find((seat) => seat.traineeId === traineeId && heldOnDay(seat)) ?? enrollments.get(traineeId);
}
