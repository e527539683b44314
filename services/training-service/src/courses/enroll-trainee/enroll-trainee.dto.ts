import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBusinessDate, IsId } from '@skills/service-runtime';
import { IsOptional } from 'class-validator';

export class EnrollTraineeDto {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  traineeId: string;

  @ApiPropertyOptional({ example: '2021-03-01', description: 'Business date of the enrolment; defaults to today; may lie in the past, not in the future' })
  @IsOptional()
  @IsBusinessDate()
  enrolledOn?: string;
}
