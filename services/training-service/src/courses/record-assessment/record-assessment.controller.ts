import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiExtraModels, ApiForbiddenResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission, UuidParam } from '@skills/service-runtime';
import { RecordAssessmentDto } from './record-assessment.dto';
import { RecordAssessmentHandler } from './record-assessment.handler';
import { AssessmentAnswer, StandingAssessmentAnswer } from '../../training-answers';

@ApiTags('training')
@ApiExtraModels(StandingAssessmentAnswer)
@Controller('api/v1/courses/:id/assessments')
export class RecordAssessmentController {
  constructor(private readonly handler: RecordAssessmentHandler) {}

  /** A later result for the same enrolment corrects the earlier one. Passing does not change a skill level. */
  @Post()
  @ApiOperation({ summary: 'Record an assessment', description: 'Records an enrolled trainee\'s score (0–100); a later result for the same enrolment corrects the earlier one. With `corrects` the caller names the result it means to replace (or null: none), and another one standing is refused rather than overwritten.' })
  @Permission('courses:record-results')
  @ApiForbiddenResponse({ description: "courses:record-results: not staff of the course's provider (only the school that runs a course records its results)" })
  @ApiCreatedResponse({ type: AssessmentAnswer, description: 'Recorded; answers the assessment id and, when it replaced a standing result, that result\'s id (corrects)' })
  @ApiConflictResponse({
    description:
      "not_enrolled, assessed_before_course_start or assessed_before_enrolment; trainee_voided: trainee-service voided the trainee's registration (made in error), so no result is recorded for them; assessment_changed: `corrects` was given and another result stands for the enrolment (recorded meanwhile by someone else, or none stands though one was named): nothing is recorded, and the problem carries `standing`, the result that stands (StandingAssessmentAnswer: {assessmentId, passed, score, assessedOn}) or null",
  })
  @ApiNotFoundResponse({ description: 'No course with this id' })
  record(@UuidParam('id') courseId: string, @Body() body: RecordAssessmentDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(courseId, body, caller);
  }
}
