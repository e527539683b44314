import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { ConsistentQuery, IsPageCursor, PageQuery } from '@skills/service-runtime';
import { IsIn, IsOptional } from 'class-validator';

export const ENROLLMENT_STATUSES = ['enrolled', 'withdrawn'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

/** With ?consistent=true the roster waits for training's read models to hold every event accepted before the request (an enrolment or withdrawal just answered). */
export class ListEnrollmentsQuery extends IntersectionType(PageQuery, ConsistentQuery) {
  @ApiPropertyOptional({ enum: ENROLLMENT_STATUSES, description: 'enrolled: holds its seat now; withdrawn: withdrew (its dates and result stay on the roster)' })
  @IsOptional()
  @IsIn(ENROLLMENT_STATUSES)
  status?: EnrollmentStatus;

  @IsPageCursor()
  cursor?: string;
}
