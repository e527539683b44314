import { IsBusinessDate, IsNotFutureDate } from '@skills/service-runtime';
import { IsOptional } from 'class-validator';

export class WithdrawEnrollmentQuery {
  @IsOptional()
  @IsBusinessDate()
  @IsNotFutureDate()
  withdrawnOn?: string;
}
