// What training-service's routes answer, for the OpenAPI document.
import { ApiProperty, PickType } from '@nestjs/swagger';
import { OCCUPATION_CODE, OCCUPATION_EDITIONS, SKILL_LEVELS } from '@skills/domain-kernel';
import { patternOf } from '@skills/service-runtime';
import { COURSE_KINDS } from './courses/schedule-course/schedule-course.dto';
import { COURSE_STATUSES } from './courses/course-reader';
import { ENROLLMENT_STATUSES } from './courses/list-enrollments/list-enrollments.query';

export class CourseAnswer {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  providerId: string;
  @ApiProperty({ example: '株洲焊工（初级）培训班' })
  title: string;
  @ApiProperty({ pattern: patternOf(OCCUPATION_CODE), example: '6-18-02-04' })
  occupationCode: string;
  @ApiProperty({ enum: OCCUPATION_EDITIONS, example: '2015' })
  occupationEdition: string;
  @ApiProperty({ enum: COURSE_KINDS, example: 'skill' })
  kind: string;
  @ApiProperty({ enum: SKILL_LEVELS, example: 'junior', required: false, description: 'The level the course prepares for, when it names one' })
  targetLevel?: string;
  @ApiProperty({ example: 40 })
  capacity: number;
  @ApiProperty({ example: 38, description: 'Active enrolments' })
  enrolled: number;
  @ApiProperty({ example: 36 })
  assessed: number;
  @ApiProperty({ example: 33, description: 'Latest result per enrolment' })
  passed: number;
  @ApiProperty({ format: 'date', example: '2021-03-15' })
  startDate: string;
  @ApiProperty({ format: 'date', example: '2021-04-30' })
  endDate: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, required: false })
  sponsorEmployerId?: string | null;
}

export class EnrolmentAnswer {
  @ApiProperty({ format: 'uuid' })
  enrollmentId: string;
}

export class VoidedEnrolmentAnswer {
  @ApiProperty({ format: 'uuid', description: 'The enrolment voided, with every result recorded for it' })
  enrollmentId: string;
  @ApiProperty({ enum: ['voided'] })
  status: 'voided';
}

export class AssessmentAnswer {
  @ApiProperty({ format: 'uuid' })
  assessmentId: string;
  @ApiProperty({ format: 'uuid', required: false, description: 'The result this one replaced (the one that stood for the enrolment); absent when none stood' })
  corrects?: string;
}

/** A course as lists show it: GET /api/v1/courses items, and the roster's `course`. */
export class CourseSummaryAnswer extends PickType(CourseAnswer, ['id', 'providerId', 'title', 'occupationCode', 'kind', 'targetLevel', 'capacity', 'enrolled', 'assessed', 'passed', 'startDate', 'endDate'] as const) {
  @ApiProperty({ enum: COURSE_STATUSES, description: 'On asOf (default today): upcoming before startDate, running from startDate to endDate, ended after' })
  status: string;
}

export class CoursesPage {
  @ApiProperty({ type: [CourseSummaryAnswer], description: 'Latest start first, then by id' })
  items: CourseSummaryAnswer[];
  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' })
  nextCursor: string | null;
}

/** The result that stands for an enrolment: the latest recorded. */
export class RosterAssessmentAnswer {
  @ApiProperty({ format: 'uuid', description: "The standing result's id: what a correction names in `corrects` (POST /api/v1/courses/{id}/assessments)" })
  assessmentId: string;
  @ApiProperty({ example: true })
  passed: boolean;
  @ApiProperty({ example: 86.5, minimum: 0, maximum: 100 })
  score: number;
  @ApiProperty({ format: 'date', example: '2021-04-30' })
  assessedOn: string;
  @ApiProperty({ description: 'A later result replaced an earlier one for this enrolment' })
  corrected: boolean;
  @ApiProperty({ format: 'date-time', description: 'When this result was recorded' })
  recordedAt: string;
}

/** A result as it stands for an enrolment: the `standing` of a 409 assessment_changed (a problem's extension member). */
export class StandingAssessmentAnswer extends PickType(RosterAssessmentAnswer, ['assessmentId', 'passed', 'score', 'assessedOn'] as const) {}

/** One enrolment of a course's roster (a trainee who withdrew and enrolled again has one of each). */
export class RosterEntryAnswer {
  @ApiProperty({ format: 'uuid' })
  traineeId: string;
  @ApiProperty({ format: 'uuid' })
  enrollmentId: string;
  @ApiProperty({ format: 'date', example: '2021-03-15' })
  enrolledOn: string;
  @ApiProperty({ enum: ENROLLMENT_STATUSES })
  status: string;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'The day the seat was freed; null while enrolled' })
  withdrawnOn: string | null;
  @ApiProperty({ type: RosterAssessmentAnswer, nullable: true, description: 'null until a result is recorded' })
  assessment: RosterAssessmentAnswer | null;
  @ApiProperty({
    description:
      "trainee-service voided the trainee's registration (made in error): their enrolments without a result were withdrawn from the day they were made (the seat freed), and no result is recorded for them (trainee_voided)",
  })
  registrationVoided: boolean;
}

export class RosterPage {
  @ApiProperty({ type: CourseSummaryAnswer, description: 'The course now, from its own stream: capacity and active enrolments as enrolments are judged' })
  course: CourseSummaryAnswer;
  @ApiProperty({ type: [RosterEntryAnswer], description: 'By enrolment date, then in the order enrolments were made' })
  items: RosterEntryAnswer[];
  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' })
  nextCursor: string | null;
}
