import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsId, IsPageCursor, PageQuery } from '@skills/service-runtime';
import { IsIn, IsOptional } from 'class-validator';

export class ListEmploymentsQuery extends PageQuery {
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
