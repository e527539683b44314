import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { OCCUPATION_CODE } from '@skills/domain-kernel';
import { ConsistentQuery, IsBusinessDate, IsId, IsPageCursor, PageQuery } from '@skills/service-runtime';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { COURSE_STATUSES, CourseStatus } from '../course-reader';

/** With ?consistent=true the list waits for training's read models to hold every event accepted before the request (a course just scheduled). */
export class ListCoursesQuery extends IntersectionType(PageQuery, ConsistentQuery) {
  @ApiPropertyOptional({
    format: 'uuid',
    description: "The provider whose courses to list: a school's staff default to (and may only name) their own; a bureau officer must name one in its region",
  })
  @IsOptional()
  @IsId()
  providerId?: string;

  @ApiPropertyOptional({ enum: COURSE_STATUSES, description: 'upcoming: starts after asOf; running: asOf is one of its days; ended: ended before asOf' })
  @IsOptional()
  @IsIn(COURSE_STATUSES)
  status?: CourseStatus;

  @ApiPropertyOptional({ example: '6-18-02-04' })
  @IsOptional()
  @Matches(OCCUPATION_CODE, { message: 'occupationCode must look like D-DD-DD-DD' })
  occupationCode?: string;

  @ApiPropertyOptional({ format: 'date', example: '2021-04-15', description: 'The day `status` is judged on (default today)' })
  @IsOptional()
  @IsBusinessDate()
  asOf?: string;

  @IsPageCursor()
  cursor?: string;
}
