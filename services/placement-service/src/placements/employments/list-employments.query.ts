import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { ConsistentQuery, IsId, IsPageCursor, PageQuery } from '@skills/service-runtime';
import { IsIn, IsOptional } from 'class-validator';

/** With ?consistent=true the list waits for placement's read models to hold every event accepted before the request (a hire or an end just answered). */
export class ListEmploymentsQuery extends IntersectionType(PageQuery, ConsistentQuery) {
  @ApiPropertyOptional({ format: 'uuid', description: "The employer whose employments to list; an employer's staff default to their own" })
  @IsOptional()
  @IsId({ message: 'employerId must be a UUID' })
  employerId?: string;

  @ApiPropertyOptional({ enum: ['active', 'ended'], description: 'active: no end recorded; ended: an end recorded' })
  @IsOptional()
  @IsIn(['active', 'ended'])
  status?: 'active' | 'ended';

  @IsPageCursor()
  cursor?: string;
}
