import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { rankOf, regionPrefix } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { pageOf, Public, rowsForPage } from '@skills/service-runtime';
import { ListPlacementsQuery } from './list-placements.query';
import { PlacementsPage } from '../../placement-answers';

interface BoardRow {
  placement_id: string;
  posted_position: string;
  employer_id: string;
  title: string;
  occupation_code: string;
  industry_code: string;
  openings: number;
  hired: number;
  min_level: string | null;
  wage_min: number;
  wage_max: number;
  region_code: string;
  closed: boolean;
  closed_on: string | null;
  posted_on: string;
}

@ApiTags('placements')
@Controller('api/v1/placements')
export class ListPlacementsController {
  constructor(private readonly database: Database) {}

  /** Newest first, a page at a time: `nextCursor` is null on the last page. */
  @Get()
  @ApiOperation({ summary: 'The placements board', description: 'Posted placements, newest first, by employer, occupation, region, status and the level they ask for.' })
  @Public()
  @ApiOkResponse({ type: PlacementsPage, description: '{items: [placement], nextCursor}' })
  async list(@Query() query: ListPlacementsQuery) {
    const { rows } = await this.database.query<BoardRow>(
      `SELECT *, to_char(posted_on, 'YYYY-MM-DD') AS posted_on, to_char(closed_on, 'YYYY-MM-DD') AS closed_on FROM placement_board
       WHERE ($1::text IS NULL OR occupation_code = $1)
         AND ($2::text IS NULL OR region_code LIKE $2)
         AND ($3::text IS NULL OR ($3 = 'open') = (NOT closed AND hired < openings))
         AND ($4::int IS NULL OR min_rank <= $4)
         AND ($5::bigint IS NULL OR posted_position < $5)
         AND ($7::uuid IS NULL OR employer_id = $7)
       ORDER BY posted_position DESC LIMIT $6`,
      [
        query.occupationCode ?? null,
        query.regionCode ? `${regionPrefix(query.regionCode)}%` : null,
        query.status ?? null,
        query.minLevel ? rankOf(query.minLevel) : null,
        query.cursor ?? null,
        rowsForPage(query),
        query.employerId ?? null,
      ],
    );
    const { page, nextCursor } = pageOf(rows, query, (last) => last.posted_position);
    return {
      items: page.map((row) => ({
        id: row.placement_id,
        employerId: row.employer_id,
        title: row.title,
        occupationCode: row.occupation_code,
        industryCode: row.industry_code,
        openings: row.openings,
        openingsLeft: Math.max(0, row.openings - row.hired),
        minLevel: row.min_level,
        wageMin: row.wage_min,
        wageMax: row.wage_max,
        regionCode: row.region_code,
        status: !row.closed && row.hired < row.openings ? 'open' : 'closed',
        postedOn: row.posted_on,
        closedOn: row.closed_on,
      })),
      nextCursor,
    };
  }
}
