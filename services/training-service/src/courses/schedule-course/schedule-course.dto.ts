import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBusinessDate, IsId, IsOccupationCode, IsText } from '@skills/service-runtime';
import { IsIn, IsInt, IsOptional, IsString, Max } from 'class-validator';

export const OCCUPATION_EDITIONS = ['2015', '2022'] as const;
export const COURSE_KINDS = ['skill', 'ethics_and_law'] as const;
export const LEVELS = ['apprentice', 'junior', 'intermediate', 'senior', 'technician', 'senior_technician', 'special_technician', 'chief_technician'] as const;

export class ScheduleCourseDto {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  providerId: string;

  @ApiProperty({ example: '焊工（中级）培训班' })
  @IsText({ maxLength: 200 })
  title: string;

  @ApiProperty({ example: '6-18-02-04', description: 'National occupation classification (2022 edition)' })
  @IsString()
  @IsOccupationCode()
  occupationCode: string;

  @ApiPropertyOptional({ enum: OCCUPATION_EDITIONS, default: '2022', description: 'Edition of the occupation classification the code is from' })
  @IsOptional()
  @IsIn(OCCUPATION_EDITIONS)
  occupationEdition?: (typeof OCCUPATION_EDITIONS)[number];

  @ApiProperty({ enum: COURSE_KINDS })
  @IsIn(COURSE_KINDS)
  kind: (typeof COURSE_KINDS)[number];

  @ApiPropertyOptional({
    enum: LEVELS,
    description:
      'The level a skill course prepares for, at most senior_technician: an ethics_and_law course takes none (target_level_on_ethics_course), and special_technician and chief_technician are appointed, not trained for (target_level_appointed)',
  })
  @IsOptional()
  @IsIn(LEVELS)
  targetLevel?: string;

  @ApiProperty({ example: 40, minimum: 1, maximum: 10000, description: 'Seats; at least 1 (capacity_must_be_positive)' })
  @IsInt()
  @Max(10_000)
  capacity: number;

  @ApiProperty({ example: '2021-03-01' })
  @IsBusinessDate()
  startDate: string;

  @ApiProperty({ example: '2021-05-31' })
  @IsBusinessDate()
  endDate: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Order-based training (订单式培养): the employer that sponsors the course' })
  @IsOptional()
  @IsId()
  sponsorEmployerId?: string;
}
