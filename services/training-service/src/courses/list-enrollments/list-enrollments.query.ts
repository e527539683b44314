import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@skills/service-runtime';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { CURSOR_MESSAGE, CURSOR_SHAPE } from '../page-cursor';

export const ENROLLMENT_STATUSES = ['enrolled', 'withdrawn'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

export class ListEnrollmentsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ENROLLMENT_STATUSES, description: 'enrolled: holds its seat now; withdrawn: withdrew (its dates and result stay on the roster)' })
  @IsOptional()
  @IsIn(ENROLLMENT_STATUSES)
  status?: EnrollmentStatus;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @Matches(CURSOR_SHAPE, { message: CURSOR_MESSAGE })
  cursor?: string;
}
