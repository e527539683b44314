import { ApiProperty } from '@nestjs/swagger';
import { IsBusinessDate } from '@skills/service-runtime';
import { IsBoolean, IsNumber, IsUUID, Max, Min } from 'class-validator';

export class RecordAssessmentDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  traineeId: string;

  @ApiProperty({ example: true })
  @IsBoolean()
  passed: boolean;

  @ApiProperty({ example: 86.5, minimum: 0, maximum: 100, description: 'At most one decimal place' })
  @IsNumber({ maxDecimalPlaces: 1, allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  score: number;

  @ApiProperty({ example: '2021-05-31', description: 'Business date of the assessment; may lie in the past (records of earlier years), not in the future' })
  @IsBusinessDate()
  assessedOn: string;
}
