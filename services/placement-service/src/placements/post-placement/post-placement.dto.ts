import { IsId, IsIndustryCode, IsOccupationCode, IsRegionCode, IsText } from '@skills/service-runtime';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SKILL_LEVELS } from '@skills/domain-kernel';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, ValidateBy } from 'class-validator';

/** CNY per month; far above any real wage, and within the board's integer columns. */
export const MAX_MONTHLY_WAGE = 1_000_000;

/**
 * At least `minimum`, refused under the placement aggregate's own rule and words (its FieldRefusal): judged
 * here, every wrong number of a body is named in one answer, where the aggregate stops at the first. A value
 * that is no number is left to IsInt, so a field is not refused twice.
 */
function AtLeast(minimum: number, rule: 'openings_must_be_positive' | 'wage_must_be_positive', words: string): PropertyDecorator {
  return ValidateBy({
    name: rule,
    constraints: [minimum],
    validator: {
      validate: (value) => typeof value !== 'number' || value >= minimum,
      defaultMessage: (args) => `${words} (got ${String(args?.value)})`,
    },
  });
}

export class PostPlacementDto {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  employerId: string;

  @ApiProperty({ example: '铆焊工' })
  @IsText({ maxLength: 200 })
  title: string;

  @ApiProperty({ example: '6-18-02-04' })
  @IsString()
  @IsOccupationCode()
  occupationCode: string;

  @ApiPropertyOptional({ example: 'C37', description: "Defaults to the employer's industry" })
  @IsOptional()
  @IsString()
  @IsIndustryCode()
  industryCode?: string;

  @ApiProperty({ example: 5, minimum: 1, maximum: 10000, description: 'At least 1 (openings_must_be_positive)' })
  @IsInt()
  @AtLeast(1, 'openings_must_be_positive', 'openings must be at least 1')
  @Max(10_000)
  openings: number;

  @ApiPropertyOptional({ enum: SKILL_LEVELS, description: 'Hires need at least this level in the occupation' })
  @IsOptional()
  @IsIn(SKILL_LEVELS)
  minLevel?: (typeof SKILL_LEVELS)[number];

  @ApiProperty({ example: 7000, minimum: 1, maximum: 1000000, description: 'Monthly wage, CNY; positive (wage_must_be_positive)' })
  @IsInt()
  @AtLeast(1, 'wage_must_be_positive', 'wageMin must be positive')
  @Max(MAX_MONTHLY_WAGE)
  wageMin: number;

  @ApiProperty({ example: 9000, minimum: 1, maximum: 1000000, description: 'Monthly wage, CNY; at least wageMin' })
  @IsInt()
  @Min(1)
  @Max(MAX_MONTHLY_WAGE)
  wageMax: number;

  @ApiProperty({ example: '430200' })
  @IsString()
  @IsRegionCode()
  regionCode: string;
}
