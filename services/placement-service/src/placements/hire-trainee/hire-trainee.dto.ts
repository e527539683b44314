import { ApiProperty } from '@nestjs/swagger';
import { IsBusinessDate, IsId } from '@skills/service-runtime';
import { IsInt, Max, Min } from 'class-validator';
import { MAX_MONTHLY_WAGE } from '../post-placement/post-placement.dto';

export class HireTraineeDto {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  traineeId: string;

  @ApiProperty({ example: '2021-07-01', description: 'Business date the employment starts (it has begun: a hire records an employment, not an offer); may lie in the past, not in the future (date_in_future)' })
  @IsBusinessDate()
  startDate: string;

  @ApiProperty({ example: 8000, minimum: 1, maximum: 1000000, description: 'CNY per month' })
  @IsInt()
  @Min(1)
  @Max(MAX_MONTHLY_WAGE)
  monthlyWage: number;
}
