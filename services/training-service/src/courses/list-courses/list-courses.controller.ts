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
  InvalidInput,
  isConsistent,
  pageOf,
  Permission,
  rowsForPage,
} from '@skills/service-runtime';
import { Response } from 'express';
import { CoursesPage } from '../../training-answers';
import { CourseReader, courseStatusOn, CourseSummary } from '../course-reader';
import { ListCoursesQuery } from './list-courses.query';

interface CourseSummaryRow {
  course_id: string;
  provider_id: string;
  title: string;
  occupation_code: string;
  kind: string;
  target_level: string | null;
  capacity: number;
  enrolled: number;
  assessed: number;
  passed: number;
  start_date: string;
  end_date: string;
}

@ApiTags('training')
@Controller('api/v1/courses')
export class ListCoursesController {
  constructor(
    private readonly database: Database,
    private readonly reader: CourseReader,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly catchUp: CatchUp,
    private readonly projections: ProjectionRunner,
  ) {}

  /** From the course-summaries read model, latest start first, a page at a time: `nextCursor` is null on the last page. */
  @Get()
  @ApiOperation({
    summary: "List a provider's courses",
    description:
      "A provider's courses, latest start first (then by id), by status (upcoming, running, ended on `asOf`, default today) and occupation. A school's staff list their own provider's (the default); a bureau officer names a provider of its region. With ?consistent=true it shows every course scheduled and enrolment recorded before the request.",
  })
  @Permission('courses:read')
  @ApiWaitsForFacts("With ?consistent=true: training-service's list of courses")
  @ApiOkResponse({
    type: CoursesPage,
    description: '{items: [{id, providerId, title, occupationCode, kind, targetLevel?, capacity, enrolled, assessed, passed, startDate, endDate, status}], nextCursor}',
    headers: FRESHNESS_HEADERS,
  })
  @ApiBadRequestResponse({ description: 'limit outside 1..100, a cursor that is no nextCursor, an unknown status, a providerId that is no UUID, consistent other than true or false, or a bureau officer naming no providerId' })
  @ApiForbiddenResponse({ description: "courses:read: a school's staff naming another provider, or a bureau officer naming a provider outside its region" })
  @ApiNotFoundResponse({ description: 'A bureau officer named a provider nobody registered' })
  async list(@Query() query: ListCoursesQuery, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) response: Response): Promise<CoursesPage> {
    const providerId = await this.providerToList(query, caller);
    const after = query.cursor ? decodeCursor(query.cursor, cursorKeys.date, cursorKeys.uuid) : null;
    const day = query.asOf ?? todayBy(this.clock);
    // The list is this service's own projection of its courses' events: a course scheduled or an enrolment
    // answered a moment ago may not be in it yet, unless the caller asks to wait for it.
    answerFreshness(response, await this.catchUp.forRead(isConsistent(query), [], this.projections));
    const { rows } = await this.database.query<CourseSummaryRow>(
      `SELECT course_id, provider_id, title, occupation_code, kind, target_level, capacity, enrolled, assessed, passed,
              to_char(start_date, 'YYYY-MM-DD') AS start_date, to_char(end_date, 'YYYY-MM-DD') AS end_date
       FROM course_summaries
       WHERE provider_id = $1
         AND ($2::text IS NULL OR occupation_code = $2)
         AND ($3::text IS NULL
           OR ($3 = 'upcoming' AND start_date > $4::date)
           OR ($3 = 'running' AND start_date <= $4::date AND end_date >= $4::date)
           OR ($3 = 'ended' AND end_date < $4::date))
         AND ($5::date IS NULL OR start_date < $5 OR (start_date = $5 AND course_id > $6::uuid))
       ORDER BY start_date DESC, course_id
       LIMIT $7`,
      [providerId, query.occupationCode ?? null, query.status ?? null, day, after?.[0] ?? null, after?.[1] ?? null, rowsForPage(query)],
    );
    const { page, nextCursor } = pageOf(rows, query, (last) => encodeCursor(last.start_date, last.course_id));
    return { items: page.map((row) => summaryFromRow(row, day)), nextCursor };
  }

  /**
   * The provider whose courses the caller lists: a school's staff default to their own; the course
   * aggregate's reader rule judges the rest.
   */
  private async providerToList(query: ListCoursesQuery, caller: Caller): Promise<string> {
    const providerId = query.providerId ?? (caller.role === 'school_staff' ? caller.organisationId : null);
    if (providerId) {
      await this.reader.refuseUnlessReadsProvider(providerId, caller);
      return providerId;
    }
    throw new InvalidInput([{ field: 'providerId', rule: 'required', message: 'providerId names the provider whose courses to list (a bureau officer reads those of a provider in its region)' }]);
  }
}

function summaryFromRow(row: CourseSummaryRow, day: string): CourseSummary {
  return {
    id: row.course_id,
    providerId: row.provider_id,
    title: row.title,
    occupationCode: row.occupation_code,
    kind: row.kind,
    ...(row.target_level ? { targetLevel: row.target_level } : {}),
    capacity: row.capacity,
    enrolled: row.enrolled,
    assessed: row.assessed,
    passed: row.passed,
    startDate: row.start_date,
    endDate: row.end_date,
    status: courseStatusOn({ startDate: row.start_date, endDate: row.end_date }, day),
  };
}
