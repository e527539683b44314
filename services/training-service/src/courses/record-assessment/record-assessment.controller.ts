import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { RecordAssessmentDto } from './record-assessment.dto';
import { RecordAssessmentHandler } from './record-assessment.handler';

@ApiTags('training')
@Controller('api/v1/courses/:id/assessments')
export class RecordAssessmentController {
  constructor(private readonly handler: RecordAssessmentHandler) {}

  /** A later result for the same enrolment corrects the earlier one. Passing does not change a skill level. */
  @Post()
  @Permission('courses:record-results')
  @ApiCreatedResponse({ description: 'Recorded; answers the assessment id' })
  @ApiConflictResponse({ description: 'not_enrolled, assessed_before_course_start or assessed_before_enrolment' })
  @ApiNotFoundResponse({ description: 'No course with this id' })
  record(@Param('id', new ParseUUIDPipe()) courseId: string, @Body() body: RecordAssessmentDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(courseId, body, caller);
  }
}
