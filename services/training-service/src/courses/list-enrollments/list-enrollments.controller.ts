import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { Clock, todayBy } from '@skills/domain-kernel';
import { ProjectionRunner } from '@skills/event-sourcing';
import { Database } from '@skills/postgres';
import {
  answerFreshness,
  ApiWaitsForFacts,
  CatchUp,
  CLOCK,
  CurrentCaller,
  cursorKeys,
  decodeCursor,
  encodeCursor,
  FRESHNESS_HEADERS,
  isConsistent,
  pageOf,
  Permission,
  rowsForPage,
  UuidParam,
} from '@skills/service-runtime';
import { Response } from 'express';
import { RosterPage } from '../../training-answers';
import { CourseReader, summaryOf } from '../course-reader';
import { ListEnrollmentsQuery } from './list-enrollments.query';

interface RosterRow {
  enrollment_id: string;
  trainee_id: string;
  enrolled_on: string;
  enrolled_version: number;
  withdrawn_on: string | null;
  assessment_id: string | null;
  passed: boolean | null;
  score: string | null;
  assessed_on: string | null;
  assessment_recorded_at: Date | null;
  corrected: boolean;
  registration_voided: boolean;
}

@ApiTags('training')
@Controller('api/v1/courses/:id/enrollments')
export class ListEnrollmentsController {
  constructor(
    private readonly database: Database,
    private readonly reader: CourseReader,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly catchUp: CatchUp,
    private readonly projections: ProjectionRunner,
  ) {}

  /**
   * `course` from the course's stream (its seat count is the one enrolments are checked against, as in
   * GET /api/v1/courses/{id}); the entries from the course-rosters read model, in enrolment order.
   */
  @Get()
  @ApiOperation({
    summary: "A course's roster",
    description:
      "The course's enrolments, withdrawn ones included, in order of enrolment date, each with its standing (latest recorded) result; and the course with its capacity and active enrolments. Trainees' names are trainee-service's. With ?consistent=true the roster shows every enrolment, withdrawal and result recorded before the request (what a console reloads after one).",
  })
  @Permission('courses:read')
  @ApiWaitsForFacts("With ?consistent=true: training-service's course rosters")
  @ApiOkResponse({
    type: RosterPage,
    description:
      '{course: {id, providerId, title, occupationCode, kind, targetLevel?, capacity, enrolled, assessed, passed, startDate, endDate, status}, items: [{traineeId, enrollmentId, enrolledOn, status, withdrawnOn, assessment: {assessmentId, passed, score, assessedOn, corrected, recordedAt} | null, registrationVoided}], nextCursor}',
    headers: FRESHNESS_HEADERS,
  })
  @ApiBadRequestResponse({ description: 'An id that is no UUID, limit outside 1..100, a cursor that is no nextCursor, an unknown status, or consistent other than true or false' })
  @ApiForbiddenResponse({ description: "courses:read: staff of another school, or a bureau officer outside the provider's region" })
  @ApiNotFoundResponse({ description: 'No course with this id' })
  async list(@UuidParam('id') courseId: string, @Query() query: ListEnrollmentsQuery, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) response: Response): Promise<RosterPage> {
    const course = await this.reader.readableCourse(courseId, caller);
    const after = query.cursor ? decodeCursor(query.cursor, cursorKeys.date, cursorKeys.position) : null;
    // The entries are this service's own projection of the course's events, polled: an enrolment or a
    // withdrawal answered a moment ago may not be in it yet, unless the caller asks to wait for it.
    answerFreshness(response, await this.catchUp.forRead(isConsistent(query), [], this.projections));
    // Voided as the trainee replica knows it now (live, like the course's seat count), not as of the roster's projection.
    const { rows } = await this.database.query<RosterRow>(
      `SELECT enrollment_id, trainee_id, to_char(enrolled_on, 'YYYY-MM-DD') AS enrolled_on, enrolled_version,
              to_char(withdrawn_on, 'YYYY-MM-DD') AS withdrawn_on, assessment_id, passed, score::text AS score,
              to_char(assessed_on, 'YYYY-MM-DD') AS assessed_on, assessment_recorded_at, corrected,
              EXISTS (SELECT 1 FROM forgotten_trainees f WHERE f.trainee_id = course_rosters.trainee_id AND f.voided) AS registration_voided
       FROM course_rosters
       WHERE course_id = $1
         AND ($2::text IS NULL OR ($2 = 'withdrawn') = (withdrawn_on IS NOT NULL))
         AND ($3::date IS NULL OR (enrolled_on, enrolled_version) > ($3::date, $4::bigint))
       ORDER BY enrolled_on, enrolled_version
       LIMIT $5`,
      [courseId, query.status ?? null, after?.[0] ?? null, after?.[1] ?? null, rowsForPage(query)],
    );
    const { page, nextCursor } = pageOf(rows, query, (last) => encodeCursor(last.enrolled_on, last.enrolled_version));
    return { course: summaryOf(course, todayBy(this.clock)), items: page.map(entryOf), nextCursor };
  }
}

function entryOf(row: RosterRow) {
  return {
    traineeId: row.trainee_id,
    enrollmentId: row.enrollment_id,
    enrolledOn: row.enrolled_on,
    status: row.withdrawn_on === null ? 'enrolled' : 'withdrawn',
    withdrawnOn: row.withdrawn_on,
    assessment:
      row.assessed_on === null
        ? null
        : {
            assessmentId: row.assessment_id as string,
            passed: row.passed as boolean,
            score: Number(row.score),
            assessedOn: row.assessed_on,
            corrected: row.corrected,
            recordedAt: (row.assessment_recorded_at as Date).toISOString(),
          },
    registrationVoided: row.registration_voided,
  };
}
