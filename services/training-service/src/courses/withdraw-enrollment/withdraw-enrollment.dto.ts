import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBusinessDate } from '@skills/service-runtime';
import { IsOptional } from 'class-validator';

/** The query of a withdrawal (a DELETE has no body). */
export class WithdrawEnrollmentDto {
  @ApiPropertyOptional({ example: '2021-04-01', description: 'Business date of the withdrawal (default today), for records of earlier years; not in the future' })
  @IsOptional()
  @IsBusinessDate()
  withdrawnOn?: string;
}
