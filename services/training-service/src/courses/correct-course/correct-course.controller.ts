import { Body, Controller, HttpCode, Patch } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission, UuidParam } from '@skills/service-runtime';
import { CorrectCourseDto, CorrectedCourseAnswer } from './correct-course.dto';
import { CorrectCourseHandler } from './correct-course.handler';

@ApiTags('training')
@Controller('api/v1/courses')
export class CorrectCourseController {
  constructor(private readonly handler: CorrectCourseHandler) {}

  @Patch(':id')
  @ApiOperation({
    summary: 'Correct a course scheduled with a mistake',
    description:
      "The course's school corrects its title, capacity, start or end date, with the reason (kept with the record). Judged as scheduling is, and against what the course holds: the capacity not below the enrolments holding a seat now, the end not before an enrolment or a withdrawal, the start not after a standing result. The course, its roster and list, the trainees' archives and the figures read the corrected values. The occupation, kind, target level, provider and sponsor are not corrected: a course in the wrong occupation is a different course (schedule it anew). Fields given as recorded change nothing: answered 200 with `corrected: []` and nothing recorded (a retried correction).",
  })
  @Permission('courses:schedule')
  @HttpCode(200)
  @ApiOkResponse({ type: CorrectedCourseAnswer, description: '{id, corrected: [the fields changed]}' })
  @ApiBadRequestResponse({
    description: 'A field is invalid, none of title, capacity, startDate and endDate is given (nothing_to_correct), the end is before the start (course_ends_before_it_starts), or the reason holds personal data (personal_data_in_text)',
  })
  @ApiNotFoundResponse({ description: 'No course with this id' })
  @ApiForbiddenResponse({ description: "courses:schedule: not staff of the course's provider (only the school that schedules a course corrects it)" })
  @ApiConflictResponse({
    description:
      'The course holds what the correction would break, naming the field: capacity_below_enrolments (capacity), enrolled_after_course_end or withdrawn_after_course_end (endDate), assessed_before_course_start (startDate)',
  })
  correct(@UuidParam('id') courseId: string, @Body() body: CorrectCourseDto, @CurrentCaller() caller: Caller): Promise<CorrectedCourseAnswer> {
    return this.handler.execute(courseId, body, caller);
  }
}
