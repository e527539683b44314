import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission, UuidParam } from '@skills/service-runtime';
import { RecordAssessmentDto } from './record-assessment.dto';
import { RecordAssessmentHandler } from './record-assessment.handler';
import { AssessmentAnswer } from '../../training-answers';

@ApiTags('training')
@Controller('api/v1/courses/:id/assessments')
export class RecordAssessmentController {
  constructor(private readonly handler: RecordAssessmentHandler) {}

  /** A later result for the same enrolment corrects the earlier one. Passing does not change a skill level. */
  @Post()
  @ApiOperation({ summary: 'Record an assessment', description: 'Records an enrolled trainee\'s score (0–100); a later result for the same enrolment corrects the earlier one.' })
  @Permission('courses:record-results')
  @ApiForbiddenResponse({ description: "courses:record-results: not staff of the course's provider (only the school that runs a course records its results)" })
  @ApiCreatedResponse({ type: AssessmentAnswer, description: 'Recorded; answers the assessment id' })
  @ApiConflictResponse({ description: 'not_enrolled, assessed_before_course_start or assessed_before_enrolment' })
  @ApiNotFoundResponse({ description: 'No course with this id' })
  record(@UuidParam('id') courseId: string, @Body() body: RecordAssessmentDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(courseId, body, caller);
  }
}
