import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { NotPermitted } from '@skills/domain-kernel';
import { ProjectionRunner } from '@skills/event-sourcing';
import { Database } from '@skills/postgres';
import {
  answerFreshness,
  ApiWaitsForFacts,
  CatchUp,
  CurrentCaller,
  cursorKeys,
  decodeCursor,
  encodeCursor,
  FRESHNESS_HEADERS,
  isConsistent,
  pageOf,
  Permission,
  rowsForPage,
} from '@skills/service-runtime';
import { Response } from 'express';
import { EmploymentAnswer, EmploymentsPage } from '../../placement-answers';
import { ListEmploymentsQuery } from './list-employments.query';

interface EmploymentRow {
  employment_id: string;
  hired_position: string;
  placement_id: string;
  trainee_id: string;
  employer_id: string;
  start_date: string;
  monthly_wage: number;
  end_date: string | null;
  end_reason: string | null;
}

@ApiTags('placements')
@Controller('api/v1/employments')
export class ListEmploymentsController {
  constructor(
    private readonly database: Database,
    private readonly catchUp: CatchUp,
    private readonly projections: ProjectionRunner,
  ) {}

  /** From the employment-list read model, newest hire first, a page at a time: `nextCursor` is null on the last page. */
  @Get()
  @ApiOperation({
    summary: "List an employer's employments",
    description:
      "An employer's employments, newest hire first, active or ended. An employer's staff list their own employer's (the default; naming another is refused). Trainees appear by id only. With ?consistent=true the list shows every hire and end recorded before the request (what a console reloads after one).",
  })
  @Permission('employments:read')
  @ApiWaitsForFacts("With ?consistent=true: placement-service's employment list")
  @ApiOkResponse({ type: EmploymentsPage, description: '{items: [{id, placementId, traineeId, employerId, startDate, monthlyWage, status, endDate?, endReason?}], nextCursor}', headers: FRESHNESS_HEADERS })
  @ApiBadRequestResponse({ description: 'limit outside 1..100, a cursor that is no nextCursor, an unknown status, an employerId that is no UUID, or consistent other than true or false' })
  @ApiForbiddenResponse({ description: "employments:read: an employer's staff naming another employer, or acting for none" })
  async list(@Query() query: ListEmploymentsQuery, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) response: Response): Promise<EmploymentsPage> {
    const employerId = employerToList(query, caller);
    // This service's own projection of its placements' events, polled: a hire answered a moment ago may
    // not be in it yet, unless the caller asks to wait for it.
    answerFreshness(response, await this.catchUp.forRead(isConsistent(query), [], this.projections));
    const after = query.cursor ? decodeCursor(query.cursor, cursorKeys.position)[0] : null;
    const { rows } = await this.database.query<EmploymentRow>(
      `SELECT employment_id, hired_position, placement_id, trainee_id, employer_id, monthly_wage, end_reason,
              to_char(start_date, 'YYYY-MM-DD') AS start_date, to_char(end_date, 'YYYY-MM-DD') AS end_date
       FROM employment_list
       WHERE employer_id = $1
         AND ($2::text IS NULL OR ($2 = 'ended') = (end_date IS NOT NULL))
         AND ($3::bigint IS NULL OR hired_position < $3)
       ORDER BY hired_position DESC LIMIT $4`,
      [employerId, query.status ?? null, after, rowsForPage(query)],
    );
    const { page, nextCursor } = pageOf(rows, query, (last) => encodeCursor(Number(last.hired_position)));
    return { items: page.map(employmentFromRow), nextCursor };
  }
}

/** An employer's staff read their own employer's only (defaulting to it): the guard lets no other role in. */
function employerToList(query: ListEmploymentsQuery, caller: Caller): string {
  // A staff token naming no employer (possible from an external issuer) lists nothing, never everyone's.
  if (!caller.organisationId) throw new NotPermitted('employments:read', 'the caller acts for no employer');
  const employerId = query.employerId ?? caller.organisationId;
  if (employerId !== caller.organisationId) throw new NotPermitted('employments:read', "another employer's employments");
  return employerId;
}

function employmentFromRow(row: EmploymentRow): EmploymentAnswer {
  return {
    id: row.employment_id,
    placementId: row.placement_id,
    traineeId: row.trainee_id,
    employerId: row.employer_id,
    startDate: row.start_date,
    monthlyWage: row.monthly_wage,
    status: row.end_date ? 'ended' : 'active',
    ...(row.end_date ? { endDate: row.end_date } : {}),
    ...(row.end_reason ? { endReason: row.end_reason } : {}),
  };
}
