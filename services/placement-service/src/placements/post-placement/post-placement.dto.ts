import { IsId, IsIndustryCode, IsOccupationCode, IsRegionCode, IsText } from '@skills/service-runtime';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SKILL_LEVELS } from '@skills/domain-kernel';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

/** CNY per month; far above any real wage, and within the board's integer columns. */
export const MAX_MONTHLY_WAGE = 1_000_000;

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
  @Max(10_000)
  openings: number;

  @ApiPropertyOptional({ enum: SKILL_LEVELS, description: 'Hires need at least this level in the occupation' })
  @IsOptional()
  @IsIn(SKILL_LEVELS)
  minLevel?: (typeof SKILL_LEVELS)[number];

  @ApiProperty({ example: 7000, minimum: 1, maximum: 1000000, description: 'Monthly wage, CNY; positive (wage_must_be_positive)' })
  @IsInt()
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
