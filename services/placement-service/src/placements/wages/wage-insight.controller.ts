import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CERTIFICATION_TOPIC } from '@skills/contracts';
import { publishedWage, regionPrefix, SKILL_LEVELS, WAGE_ROUNDING } from '@skills/domain-kernel';
import { ProjectionRunner } from '@skills/event-sourcing';
import { countUnappliedLetters } from '@skills/messaging';
import { Database } from '@skills/postgres';
import { answerFreshness, ApiWaitsForFacts, CatchUp, FRESHNESS_HEADERS, isConsistent, Public, withParkedFacts } from '@skills/service-runtime';
import { TRAINEE_CERTIFICATES_CONSUMER } from '../../replicas/trainee-levels';
import { Response } from 'express';
import { MAXIMUM_SHARE_OF_ONE_EMPLOYER, MINIMUM_HIRES, QUARTILE_MINIMUM_HIRES, WageCell, WageInsightAnswer } from './wage-insight.answer';
import { WageInsightQuery } from './wage-insight.query';

/** The levels a hire may have held, lowest first: `none` is no certificate in the occupation on the start date. */
export const WAGE_LEVELS = ['none', ...SKILL_LEVELS] as const;

interface CellRow {
  level: string;
  hires: number;
  /** The people of the level the employer with the most of them hired. */
  most_of_one_employer: number;
  median: number;
  lower_quartile: number;
  upper_quartile: number;
}

const QUARTILES =
  'Quartiles are PostgreSQL percentile_cont (linear interpolation between the two nearest hires, Hyndman and Fan type 7, as Excel QUARTILE.INC).';

/**
 * The figures count people, not hires: a person hired again at the same level (a contract renewed, a second
 * employer) is one wage, their latest there, or five renewals of one worker would make a cell of "5 hires"
 * that is that worker's wage. The answer is public and its regions nest (a district inside its city), so two answers that differ by
 * one hire (a district and its city, or the same cell before and after a hire) would give that hire's wage
 * by difference if the figures were exact: with 5 hires the median is the 3rd wage, and the median of 6 the
 * mean of the 3rd and 4th. Every figure is therefore rounded to the nearest 100 yuan, and the quartiles (with
 * 5 hires the 2nd and 4th wages themselves) are only given from 20 hires.
 *
 * An employer knows the wages of its own hires: one that hired most of a cell's people could place them
 * around another's wage (four of five at extreme wages, and the median is the fifth person's). A cell is
 * therefore shown only when every employer hired less than half its people (each person at the employer of
 * the latest hire that counts them), so at least 3 employers: two employers of half each could each read
 * the other's lowest wage off the median.
 */
const DISCLOSURE = `Every wage figure is rounded to the nearest ${WAGE_ROUNDING} yuan, and the quartiles are given only from ${QUARTILE_MINIMUM_HIRES} people (null below): a public answer must not give one hire's wage by difference between two answers (a district and its city; before and after a hire).`;
const DOMINANCE = `A level is shown only when every employer hired less than half of its people (maximumShareOfOneEmployer; so at least 3 employers), each person counted at the employer of their latest hire at the level: an employer knows its own hires' wages and must not read another person's off a cell it fills.`;

@ApiTags('placements')
@Controller('api/v1/placements/wages')
export class WageInsightController {
  constructor(
    private readonly database: Database,
    private readonly catchUp: CatchUp,
    private readonly projections: ProjectionRunner,
  ) {}

  /**
   * Every person hired at a placement of the occupation inside the region, ended or not (their latest hire
   * at a level), by the level they held in that occupation on the start date (the certificates replica: a certificate dated
   * on or before it and not revoked by then, whenever it reached this service).
   */
  @Get()
  @ApiOperation({
    summary: 'Wages hired at each skill level',
    description: `For an occupation and region (containing the codes inside it): per skill level held on the start date (and \`none\`), the monthly wages of the people hired (each once: their latest hire at the level): median and lower and upper quartiles. ${QUARTILES} ${DISCLOSURE} A level with fewer than ${MINIMUM_HIRES} people answers {level, shown: false} without figures. ${DOMINANCE} With ?consistent=true the answer includes every hire and every certificate and revocation accepted before the request.`,
  })
  @Public()
  @ApiWaitsForFacts("With ?consistent=true: certification's facts and placement-service's employment list")
  @ApiOkResponse({
    type: WageInsightAnswer,
    headers: FRESHNESS_HEADERS,
    description:
      '{occupationCode, regionCode, minimumHires, quartileMinimumHires, maximumShareOfOneEmployer, levels: [{level, shown: true, hires, median, lowerQuartile, upperQuartile} | {level, shown: false}]}; wages rounded to the nearest 100 yuan, quartiles null under 20 people; a level shown only from 5 people and when every employer hired less than half of them; the freshness headers only with ?consistent=true; hires, minimumHires and quartileMinimumHires count people, each once',
  })
  @ApiBadRequestResponse({ description: 'occupationCode or regionCode missing or malformed, or consistent other than true or false' })
  async wages(@Query() query: WageInsightQuery, @Res({ passthrough: true }) response: Response): Promise<WageInsightAnswer> {
    // Hires from this service's own projection, levels from certification's facts.
    // Asked of the broker only when the caller asks for it: anyone may call this, and most only read the figures.
    if (isConsistent(query)) answerFreshness(response, withParkedFacts(await this.catchUp.forRead(true, [CERTIFICATION_TOPIC], this.projections), await this.parkedCertificationFacts()));
    const { rows } = await this.database.query<CellRow>(
      `SELECT level, count(*)::int AS hires, max(of_employer)::int AS most_of_one_employer,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY monthly_wage) AS median,
              percentile_cont(0.25) WITHIN GROUP (ORDER BY monthly_wage) AS lower_quartile,
              percentile_cont(0.75) WITHIN GROUP (ORDER BY monthly_wage) AS upper_quartile
       FROM (
         SELECT level, monthly_wage, count(*) OVER (PARTITION BY level, employer_id) AS of_employer FROM (
           -- Each person once per level: their latest hire there (renewals, or two employers at once, are one person).
           SELECT DISTINCT ON (level, trainee_id) level, employer_id, monthly_wage FROM (
             SELECT hire.trainee_id, hire.employer_id, hire.start_date, hire.hired_position, hire.monthly_wage, COALESCE((
               SELECT certificate.level FROM trainee_certificates certificate
               WHERE certificate.trainee_id = hire.trainee_id AND certificate.occupation_code = hire.occupation_code
                 AND certificate.certified_on <= hire.start_date AND (certificate.revoked_on IS NULL OR certificate.revoked_on > hire.start_date)
               ORDER BY certificate.rank DESC LIMIT 1), 'none') AS level
             FROM employment_list hire
             WHERE hire.occupation_code = $1 AND hire.region_code LIKE $2
           ) each_hire
           ORDER BY level, trainee_id, start_date DESC, hired_position DESC
         ) people
       ) people_with_their_employers_share
       GROUP BY level`,
      [query.occupationCode, `${regionPrefix(query.regionCode)}%`],
    );
    const byLevel = new Map(rows.map((row) => [row.level, row]));
    return {
      occupationCode: query.occupationCode,
      regionCode: query.regionCode,
      minimumHires: MINIMUM_HIRES,
      quartileMinimumHires: QUARTILE_MINIMUM_HIRES,
      maximumShareOfOneEmployer: MAXIMUM_SHARE_OF_ONE_EMPLOYER,
      levels: WAGE_LEVELS.map((level) => cellOf(level, byLevel.get(level))),
    };
  }

  /** Certification's facts that could not be applied here wait as dead letters: a level may be missing or stand revoked. */
  private parkedCertificationFacts(): Promise<number> {
    return countUnappliedLetters(this.database, TRAINEE_CERTIFICATES_CONSUMER);
  }
}

/** A cell is shown from MINIMUM_HIRES people, and only when no employer hired more than its share of them. */
const shown = (row: CellRow): boolean => row.hires >= MINIMUM_HIRES && row.most_of_one_employer < MAXIMUM_SHARE_OF_ONE_EMPLOYER * row.hires;

function cellOf(level: string, row: CellRow | undefined): WageCell {
  if (!row || !shown(row)) return { level, shown: false };
  const quartiles = row.hires >= QUARTILE_MINIMUM_HIRES;
  return {
    level,
    shown: true,
    hires: row.hires,
    median: publishedWage(row.median),
    lowerQuartile: quartiles ? publishedWage(row.lower_quartile) : null,
    upperQuartile: quartiles ? publishedWage(row.upper_quartile) : null,
  };
}
