import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { ScheduleCourseDto } from './schedule-course.dto';
import { ScheduleCourseHandler } from './schedule-course.handler';

@ApiTags('training')
@Controller('api/v1/courses')
export class ScheduleCourseController {
  constructor(private readonly handler: ScheduleCourseHandler) {}

  @Post()
  @Permission('courses:schedule')
  @ApiCreatedResponse({ description: 'Scheduled; answers the new id' })
  @ApiNotFoundResponse({ description: 'No provider with this providerId' })
  @ApiConflictResponse({ description: 'course_ends_before_it_starts' })
  schedule(@Body() body: ScheduleCourseDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(body, caller);
  }
}
