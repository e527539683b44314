import { Body, Controller, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { ApiWaitsForFacts, CurrentCaller, IdAnswer, Permission } from '@skills/service-runtime';
import { ScheduleCourseDto } from './schedule-course.dto';
import { ScheduleCourseHandler } from './schedule-course.handler';

@ApiTags('training')
@Controller('api/v1/courses')
export class ScheduleCourseController {
  constructor(private readonly handler: ScheduleCourseHandler) {}

  @Post()
  @ApiWaitsForFacts("A sponsoring employer not known here yet: the organisations registered on the other services", { deadLetters: "the organisation's registration" })
  @ApiOperation({ summary: 'Schedule a course', description: 'A provider schedules a course (e.g. 株洲焊工（初级）培训班) in an occupation, with its capacity and dates.' })
  @Permission('courses:schedule')
  @ApiForbiddenResponse({ description: "courses:schedule: not staff of the provider named (a school schedules its own courses)" })
  @ApiCreatedResponse({ type: IdAnswer, description: 'Scheduled; answers the new id' })
  @ApiNotFoundResponse({ description: 'No provider with this providerId, or no employer with this sponsorEmployerId' })
  @ApiConflictResponse({ description: 'course_ends_before_it_starts' })
  @ApiBadRequestResponse({
    description:
      'A field breaks a rule (each named in `errors`); among them capacity_must_be_positive, and on targetLevel: target_level_on_ethics_course (an ethics_and_law course leads to no level) or target_level_appointed (special_technician and chief_technician are appointed, never a course\'s target)',
  })
  schedule(@Body() body: ScheduleCourseDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(body, caller);
  }
}
