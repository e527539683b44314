// What the public wage insight answers, for the OpenAPI document (with the rules that keep a hire's wage
// from being read off it: wage-insight.controller.ts).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OCCUPATION_CODE, REGION_CODE, SKILL_LEVELS, SMALLEST_WAGE_CELL } from '@skills/domain-kernel';
import { patternOf } from '@skills/service-runtime';

/** A cell drawn from fewer people than this is not shown: too few to say anything, and too near to one person's wage. */
export const MINIMUM_HIRES = SMALLEST_WAGE_CELL;

/** Quartiles only from this many people: from 5 they are the 2nd and 4th wages themselves. */
export const QUARTILE_MINIMUM_HIRES = 20;

/**
 * A cell one employer holds this share of the people of, or more, is not shown (so 3 employers at least: two
 * halves would let each read the other's lowest wage off the median): an employer knows its own hires' wages,
 * and could fill a cell with them around one other person's wage (4 of 5 people hired at extreme wages make
 * the median that person's).
 */
export const MAXIMUM_SHARE_OF_ONE_EMPLOYER = 0.5;

/** One level's wages; the figures only when `shown` (enough people), the quartiles only from 20. */
export class WageCell {
  @ApiProperty({ enum: ['none', ...SKILL_LEVELS], description: 'none: no certificate in the occupation on the start date' })
  level: string;
  @ApiProperty({ description: 'false: fewer people than minimumHires, or one employer hired more than maximumShareOfOneEmployer of them; no figures, no count' })
  shown: boolean;
  @ApiPropertyOptional({ example: 12, description: 'People hired at this level, each counted once however often hired (shown only)' })
  hires?: number;
  @ApiPropertyOptional({ example: 7800, description: 'Median monthly wage, yuan, rounded to the nearest 100 (shown only)' })
  median?: number;
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 7000,
    description: 'Lower quartile (25th percentile, percentile_cont), yuan, rounded to the nearest 100 (shown only); null under quartileMinimumHires (20) people',
  })
  lowerQuartile?: number | null;
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 8500,
    description: 'Upper quartile (75th percentile, percentile_cont), yuan, rounded to the nearest 100 (shown only); null under quartileMinimumHires (20) people',
  })
  upperQuartile?: number | null;
}

export class WageInsightAnswer {
  @ApiProperty({ pattern: patternOf(OCCUPATION_CODE), example: '6-18-02-04' })
  occupationCode: string;
  @ApiProperty({ pattern: patternOf(REGION_CODE), example: '430200' })
  regionCode: string;
  @ApiProperty({ example: MINIMUM_HIRES, description: 'A level with fewer people hired is not shown (each person counted once)' })
  minimumHires: number;
  @ApiProperty({ example: QUARTILE_MINIMUM_HIRES, description: 'A shown level with fewer people hired has no quartiles (null)' })
  quartileMinimumHires: number;
  @ApiProperty({
    example: MAXIMUM_SHARE_OF_ONE_EMPLOYER,
    minimum: 0,
    maximum: 1,
    description: 'A level is not shown when one employer hired this fraction of its people or more (each person counted at the employer of their latest hire at the level): a shown level has 3 employers at least',
  })
  maximumShareOfOneEmployer: number;
  @ApiProperty({ type: [WageCell], description: 'none, then apprentice to chief_technician' })
  levels: WageCell[];
}
