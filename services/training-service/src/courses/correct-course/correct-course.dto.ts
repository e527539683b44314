import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBusinessDate, IsKeptText, IsText } from '@skills/service-runtime';
import { IsInt, Max, ValidateIf } from 'class-validator';

/**
 * A correction of a course scheduled with a mistake: the fields given replace the recorded ones; at least
 * one is given (nothing_to_correct). A field left out stays as it is; one given as null is refused like any
 * other invalid value (not "optional"). The occupation, kind, target level, provider and sponsor are not
 * corrected: a course in the wrong occupation is a different course.
 */
export class CorrectCourseDto {
  @ApiPropertyOptional({ example: '焊工（中级）培训班' })
  @ValidateIf((body: CorrectCourseDto) => body.title !== undefined)
  @IsText({ maxLength: 200 })
  title?: string;

  @ApiPropertyOptional({ example: 40, minimum: 1, maximum: 10000, description: 'Seats; at least 1 (capacity_must_be_positive), as scheduling refuses less; and not below the most enrolments that held a seat on any day of the course (409 capacity_below_enrolments)' })
  @ValidateIf((body: CorrectCourseDto) => body.capacity !== undefined)
  @IsInt()
  @Max(10_000)
  capacity?: number;

  @ApiPropertyOptional({ example: '2021-03-01', description: 'Not after endDate (course_ends_before_it_starts), nor after a standing result (409 assessed_before_course_start)' })
  @ValidateIf((body: CorrectCourseDto) => body.startDate !== undefined)
  @IsBusinessDate()
  startDate?: string;

  @ApiPropertyOptional({
    example: '2021-05-31',
    description: 'Not before startDate (course_ends_before_it_starts), nor before an enrolment or a withdrawal (409 enrolled_after_course_end, withdrawn_after_course_end)',
  })
  @ValidateIf((body: CorrectCourseDto) => body.endDate !== undefined)
  @IsBusinessDate()
  endDate?: string;

  @ApiProperty({
    example: '录入时结束日期填错 (the end date was mistyped)',
    description:
      'What was recorded in error, kept with the record for good (an erasure does not reach it): do not write anyone’s name, identity number or phone here (an identity number or mobile number is refused: 400 personal_data_in_text)',
  })
  @IsKeptText({ maxLength: 500 })
  reason: string;
}

export class CorrectedCourseAnswer {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({
    enum: ['title', 'capacity', 'startDate', 'endDate'],
    isArray: true,
    description: 'The fields the correction changed; empty when every field given was as recorded already (nothing recorded: a retried correction)',
  })
  corrected: ('title' | 'capacity' | 'startDate' | 'endDate')[];
}
