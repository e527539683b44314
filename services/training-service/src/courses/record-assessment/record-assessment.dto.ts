import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBusinessDate, IsDecimal, IsId } from '@skills/service-runtime';
import { IsBoolean, IsOptional } from 'class-validator';

export class RecordAssessmentDto {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  traineeId: string;

  @ApiProperty({ example: true })
  @IsBoolean()
  passed: boolean;

  @ApiProperty({ example: 86.5, minimum: 0, maximum: 100, description: 'At most two decimal places, judged by value (86.50 and 8.65e1 are 86.5)' })
  @IsDecimal({ min: 0, max: 100, decimals: 2 })
  score: number;

  @ApiProperty({ example: '2021-05-31', description: 'Business date of the assessment; may lie in the past (records of earlier years), not in the future' })
  @IsBusinessDate()
  assessedOn: string;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      "The assessmentId of the standing result this one is meant to replace (the roster's assessment.assessmentId), or null: no result is expected to stand. Another result standing is refused (409 assessment_changed, answering the standing one) and nothing is recorded. Omitted: whatever stands is replaced.",
  })
  @IsOptional()
  @IsId()
  corrects?: string | null;
}
