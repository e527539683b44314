import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { regionPrefix, SKILL_LEVELS } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { Public } from '@skills/service-runtime';
import { WageCell, WageInsightAnswer } from '../../placement-answers';
import { WageInsightQuery } from './wage-insight.query';

/** A cell drawn from fewer hires than this is not shown: too few to say anything, and too near to one person's wage. */
export const MINIMUM_HIRES = 5;

/** The levels a hire may have held, lowest first: `none` is no certificate in the occupation on the start date. */
export const WAGE_LEVELS = ['none', ...SKILL_LEVELS] as const;

interface CellRow {
  level: string;
  hires: number;
  median: number;
  lower_quartile: number;
  upper_quartile: number;
}

const QUARTILES =
  'Quartiles are PostgreSQL percentile_cont (linear interpolation between the two nearest hires, Hyndman and Fan type 7, as Excel QUARTILE.INC), rounded to the yuan.';

@ApiTags('placements')
@Controller('api/v1/placements/wages')
export class WageInsightController {
  constructor(private readonly database: Database) {}

  /**
   * Every hire recorded at a placement of the occupation inside the region, ended or not, by the level
   * the person held in that occupation on the start date (the certificates replica: a certificate dated
   * on or before it and not revoked by then, whenever it reached this service).
   */
  @Get()
  @ApiOperation({
    summary: 'Wages hired at each skill level',
    description: `For an occupation and region (containing the codes inside it): per skill level held on the start date (and \`none\`), the monthly wages of recorded hires: median and lower and upper quartiles. ${QUARTILES} A level with fewer than ${MINIMUM_HIRES} hires answers {level, shown: false} without figures.`,
  })
  @Public()
  @ApiOkResponse({ type: WageInsightAnswer, description: '{occupationCode, regionCode, minimumHires, levels: [{level, shown: true, hires, median, lowerQuartile, upperQuartile} | {level, shown: false}]}' })
  @ApiBadRequestResponse({ description: 'occupationCode or regionCode missing or malformed' })
  async wages(@Query() query: WageInsightQuery): Promise<WageInsightAnswer> {
    const { rows } = await this.database.query<CellRow>(
      `SELECT level, count(*)::int AS hires,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY monthly_wage) AS median,
              percentile_cont(0.25) WITHIN GROUP (ORDER BY monthly_wage) AS lower_quartile,
              percentile_cont(0.75) WITHIN GROUP (ORDER BY monthly_wage) AS upper_quartile
       FROM (
         SELECT hire.monthly_wage, COALESCE((
           SELECT certificate.level FROM trainee_certificates certificate
           WHERE certificate.trainee_id = hire.trainee_id AND certificate.occupation_code = hire.occupation_code
             AND certificate.certified_on <= hire.start_date AND (certificate.revoked_on IS NULL OR certificate.revoked_on > hire.start_date)
           ORDER BY certificate.rank DESC LIMIT 1), 'none') AS level
         FROM employment_list hire
         WHERE hire.occupation_code = $1 AND hire.region_code LIKE $2
       ) hires
       GROUP BY level`,
      [query.occupationCode, `${regionPrefix(query.regionCode)}%`],
    );
    const byLevel = new Map(rows.map((row) => [row.level, row]));
    return {
      occupationCode: query.occupationCode,
      regionCode: query.regionCode,
      minimumHires: MINIMUM_HIRES,
      levels: WAGE_LEVELS.map((level) => cellOf(level, byLevel.get(level))),
    };
  }
}

function cellOf(level: string, row: CellRow | undefined): WageCell {
  if (!row || row.hires < MINIMUM_HIRES) return { level, shown: false };
  return { level, shown: true, hires: row.hires, median: Math.round(row.median), lowerQuartile: Math.round(row.lower_quartile), upperQuartile: Math.round(row.upper_quartile) };
}
