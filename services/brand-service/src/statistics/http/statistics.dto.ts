import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TraineeCategory } from '@skills/contracts';
import { OCCUPATION_CODE, REGION_CODE, SKILL_LEVELS } from '@skills/domain-kernel';
import { ConsistentQuery, FreshnessDoc, patternOf } from '@skills/service-runtime';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { CERTIFICATE_ROUTES, SMALLEST_CATEGORY_CELL, SMALLEST_WAGE_CELL, WAGE_LEVELS, WAGE_ROUNDING } from '../figures/region-figures';
import { PERIOD } from '../figures/periods';
import { EXPORT_FORMATS, ExportFormat } from './table-export';

export class StatisticsQuery extends ConsistentQuery {
  @ApiProperty({ example: '2025-Q3', pattern: patternOf(PERIOD), description: 'A month `2025-07`, a quarter `2025-Q3` or a year `2025`, by business date; not one that starts after today (400 period_in_future) nor ends before 1950 (period_before_records)' })
  @Matches(PERIOD, { message: 'period must be a month (2025-07), a quarter (2025-Q3) or a year (2025)' })
  period: string;

  @ApiPropertyOptional({ enum: EXPORT_FORMATS, description: 'An export (Chinese column titles) instead of JSON; the Accept header (text/csv, the .xlsx type) does the same' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;
}

export class RegionStatisticsQuery extends StatisticsQuery {
  @ApiPropertyOptional({ example: '6-18-02-04', pattern: patternOf(OCCUPATION_CODE), description: 'Only this occupation (of the course, the certificate, the hire)' })
  @IsOptional()
  @Matches(OCCUPATION_CODE, { message: 'occupationCode must look like D-DD-DD-DD' })
  occupationCode?: string;
}

const WAGE_DESCRIPTION =
  `The median monthly wage (CNY) of the hires, per level the worker held in the hire’s occupation on its start date (\`none\`: no level), rounded to the nearest ${WAGE_ROUNDING} ` +
  `(answers overlap, a month in its quarter, a district in its city: exact medians would give a hidden wage by difference); null where fewer than ${SMALLEST_WAGE_CELL} hires make the cell (not shown)`;

const counts = (keys: readonly string[], description: string) =>
  ApiProperty({ type: 'object', properties: Object.fromEntries(keys.map((key) => [key, { type: 'integer', minimum: 0 }])), description });

/** Every figure of a region's answer; each figure's definition is in docs/statistics.md. */
export class RegionFiguresAnswer {
  @ApiProperty({ example: 20825, description: 'Assessments (人次) in the region’s providers’ courses with assessedOn in the period; a correction replaces the result it corrects' })
  trainingSessions: number;
  @ApiProperty({ example: 15120, description: 'Distinct people with such an assessment' })
  trained: number;
  @ApiProperty({ example: 13002, description: 'Distinct people with a passing such assessment (the latest correction counts)' })
  passed: number;
  @ApiProperty({ example: 0.8599, description: 'passed / trained (0 when nobody was trained)' })
  passRate: number;
  @ApiProperty({ example: 6597, description: 'Certificates issued by the region’s evaluators with certifiedOn in the period (revoked ones too: they were issued)' })
  certificatesIssued: number;
  @counts(SKILL_LEVELS, 'certificatesIssued per level')
  certificatesByLevel: Record<string, number>;
  @counts(CERTIFICATE_ROUTES, 'certificatesIssued per route')
  certificatesByRoute: Record<string, number>;
  @ApiProperty({ example: 3, description: 'Certificates of the region’s evaluators revoked with revokedOn in the period' })
  revocations: number;
  @ApiProperty({ example: 9293, description: 'People who first held a level of rank 4 (senior) or higher in some occupation in the period, counted once, in the region of the evaluator that certified it; a certificate revoked on the day it was issued was never held and counts nobody' })
  newHighSkillTalents: number;
  @ApiProperty({ example: 40211, description: 'People whose level in some occupation, on the period’s last day, is rank 4 or higher and was certified by an evaluator of the region (of two certificates at that rank the earliest, then the lower number, as the ladder shows the current one); each once' })
  highSkillTalents: number;
  @ApiProperty({ example: 5120, description: 'Hires by the region’s employers with startDate in the period' })
  hires: number;
  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(WAGE_LEVELS.map((level) => [level, { type: 'number', nullable: true }])),
    example: { junior: 5200, senior: 7600, technician: null },
    description: `${WAGE_DESCRIPTION}; a level only where there were hires`,
  })
  medianMonthlyWageByLevel: Record<string, number | null>;
}

const HIDDEN = `null where it counts fewer than ${SMALLEST_CATEGORY_CELL} (0 included): a small cell is not shown alone, though the difference of two shown counts can still give it (byCategory)`;
const hiddenCount = (description: string, example: number | null) => ApiProperty({ type: 'integer', nullable: true, minimum: 0, example, description: `${description}; ${HIDDEN}` });
const hiddenCounts = (keys: readonly string[], description: string) =>
  ApiProperty({ type: 'object', properties: Object.fromEntries(keys.map((key) => [key, { type: 'integer', minimum: 0, nullable: true }])), description: `${description}; each ${HIDDEN}` });

/**
 * A trainee category's figures: the same as everyone's, but a count under 5 is null (0 too), since a
 * bureau reads the rosters of its region and a small count read alone would say which of the people it
 * sees are in the category (domain.md sections 7 and 9). It does not stop subtraction across periods,
 * regions, occupations and figures (docs/statistics.md, Categories).
 */
export class CategoryFiguresAnswer {
  @hiddenCount('Assessments (人次) of the category’s people; null also wherever `trained` is null', 412)
  trainingSessions: number | null;
  @hiddenCount('Distinct people of the category with such an assessment', 301)
  trained: number | null;
  @hiddenCount('Distinct people of the category with a passing such assessment', 280)
  passed: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 0.9302, description: 'passed / trained; null where either is null' })
  passRate: number | null;
  @hiddenCount('Certificates issued to the category’s people', 57)
  certificatesIssued: number | null;
  @hiddenCounts(SKILL_LEVELS, 'certificatesIssued per level')
  certificatesByLevel: Record<string, number | null>;
  @hiddenCounts(CERTIFICATE_ROUTES, 'certificatesIssued per route')
  certificatesByRoute: Record<string, number | null>;
  @hiddenCount('Revocations of the category’s people’s certificates', null)
  revocations: number | null;
  @hiddenCount('New high-skill talents of the category', 12)
  newHighSkillTalents: number | null;
  @hiddenCount('High-skill talents of the category on the period’s last day', 40)
  highSkillTalents: number | null;
  @hiddenCount('Hires of the category’s people', 35)
  hires: number | null;
  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(WAGE_LEVELS.map((level) => [level, { type: 'number', nullable: true }])),
    example: { junior: 5200, senior: null },
    description: `${WAGE_DESCRIPTION}; the levels of everyone's answer (which levels the category's hires had is not told), each null where fewer than 5 of the category's hires make the cell`,
  })
  medianMonthlyWageByLevel: Record<string, number | null>;
}

/** One entry per trainee category (TRAINEE_CATEGORIES). */
export class FiguresByCategoryAnswer implements Record<TraineeCategory, CategoryFiguresAnswer> {
  @ApiProperty({ type: CategoryFiguresAnswer, description: '脱贫人口（建档立卡）' })
  poverty_registered: CategoryFiguresAnswer;
  @ApiProperty({ type: CategoryFiguresAnswer, description: '城镇登记失业人员' })
  urban_unemployed: CategoryFiguresAnswer;
  @ApiProperty({ type: CategoryFiguresAnswer, description: '农村转移就业劳动力' })
  rural_migrant: CategoryFiguresAnswer;
  @ApiProperty({ type: CategoryFiguresAnswer, description: '退役军人' })
  veteran: CategoryFiguresAnswer;
  @ApiProperty({ type: CategoryFiguresAnswer, description: '残疾人' })
  disabled: CategoryFiguresAnswer;
  @ApiProperty({ type: CategoryFiguresAnswer, description: '高校毕业生' })
  graduate: CategoryFiguresAnswer;
}

export class RegionStatisticsAnswer extends RegionFiguresAnswer {
  @ApiProperty({ example: '430000', pattern: patternOf(REGION_CODE), description: 'The region; a province or city includes every area inside it' })
  regionCode: string;
  @ApiProperty({ example: '2025' })
  period: string;
  @ApiProperty({ example: null, nullable: true, type: String })
  occupationCode: string | null;
  @ApiProperty({
    type: () => FiguresByCategoryAnswer,
    description:
      `The same figures for the people of each trainee category (a person in two categories counts in both); a count under ${SMALLEST_CATEGORY_CELL} is null (0 included), in the exports an empty cell. ` +
      'That keeps a small cell from being read alone, not from being worked out by subtraction: a quarter less its month, a city less a district, trained less passed',
  })
  byCategory: FiguresByCategoryAnswer;
  @ApiProperty({ type: FreshnessDoc, description: 'How complete the figures are: `?consistent=true` waits until they hold every fact accepted before the request' })
  freshness: FreshnessDoc;
}

export class OutcomeFiguresAnswer {
  @ApiProperty({ example: 412, description: 'Distinct people who passed a skill course of the school with assessedOn in the period' })
  graduates: number;
  @ApiProperty({ example: 301, description: 'Of them, people with an employment active on some day from their course’s end to 3 months after it' })
  employedWithin3Months: number;
  @ApiProperty({ example: 340, description: 'The same within 6 months' })
  employedWithin6Months: number;
}

export class CourseOutcomeAnswer extends OutcomeFiguresAnswer {
  @ApiProperty({ format: 'uuid' })
  courseId: string;
  @ApiProperty({ example: '焊工（中级）2025' })
  title: string;
}

export class ProviderOutcomesAnswer extends OutcomeFiguresAnswer {
  @ApiProperty({ format: 'uuid' })
  providerId: string;
  @ApiProperty({ example: '2025' })
  period: string;
  @ApiProperty({ type: [CourseOutcomeAnswer], description: 'Per course with graduates in the period; a person in two courses counts in each, and once in the totals' })
  courses: CourseOutcomeAnswer[];
  @ApiProperty({ type: FreshnessDoc })
  freshness: FreshnessDoc;
}
