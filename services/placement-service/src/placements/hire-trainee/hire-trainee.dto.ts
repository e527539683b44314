import { ApiProperty } from '@nestjs/swagger';
import { IsBusinessDate } from '@skills/service-runtime';
import { IsInt, IsUUID, Max, Min } from 'class-validator';

export class HireTraineeDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  traineeId: string;

  @ApiProperty({ example: '2021-07-01', description: 'Business date the employment starts; may lie in the past' })
  @IsBusinessDate()
  startDate: string;

  @ApiProperty({ example: 8000, description: 'CNY per month' })
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  monthlyWage: number;
}
