import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SKILL_LEVELS } from '@skills/domain-kernel';
import { IsBusinessDate, IsId, IsKeptText, IsOccupationCode } from '@skills/service-runtime';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { EXCEPTIONAL_REASONS } from '../ladder.aggregate';

export const ROUTES = ['assessment', 'direct', 'exceptional', 'appointment'] as const;

export class CertifyDto {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  traineeId: string;

  @ApiProperty({ example: '6-18-02-04' })
  @IsString()
  @IsOccupationCode()
  occupationCode: string;

  @ApiProperty({ enum: SKILL_LEVELS })
  @IsIn(SKILL_LEVELS)
  level: (typeof SKILL_LEVELS)[number];

  @ApiProperty({ enum: ROUTES, description: 'assessment (认定), direct (直接认定), exceptional (破格晋升), appointment (特级/首席技师)' })
  @IsIn(ROUTES)
  route: (typeof ROUTES)[number];

  @ApiProperty({ format: 'uuid' })
  @IsId()
  evaluatorId: string;

  @ApiProperty({ example: '2021-06-30', description: 'Business date the rules are judged at; not in the future' })
  @IsBusinessDate()
  certifiedOn: string;

  @ApiPropertyOptional({ enum: EXCEPTIONAL_REASONS, description: 'Required for exceptional promotion' })
  @IsOptional()
  @IsIn(EXCEPTIONAL_REASONS)
  reason?: (typeof EXCEPTIONAL_REASONS)[number];

  @ApiPropertyOptional({ example: '湘人社函〔2021〕12号', description: 'Evidence reference, required for exceptional promotion; kept with the record for good, as the justification is (an identity number or mobile number is refused, 400 personal_data_in_text)' })
  @IsOptional()
  @IsKeptText({ maxLength: 200 })
  evidence?: string;

  @ApiPropertyOptional({ description: 'Written justification, required for direct certification; kept with the record for good (an erasure does not reach it): describe the work, not the person (no name, identity number or phone: an identity number or mobile number is refused, 400 personal_data_in_text)' })
  @IsOptional()
  @IsKeptText({ maxLength: 2000 })
  justification?: string;
}
