import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { EnrollTraineeDto } from './enroll-trainee.dto';
import { EnrollTraineeHandler } from './enroll-trainee.handler';

@ApiTags('training')
@Controller('api/v1/courses/:id/enrollments')
export class EnrollTraineeController {
  constructor(private readonly handler: EnrollTraineeHandler) {}

  @Post()
  @Permission('courses:enrol')
  @ApiCreatedResponse({ description: 'Enrolled; answers the enrolment id' })
  @ApiConflictResponse({ description: 'course_full, already_enrolled or enrolled_after_course_end' })
  @ApiNotFoundResponse({ description: 'No course with this id, or no trainee with this traineeId' })
  enroll(@Param('id', new ParseUUIDPipe()) courseId: string, @Body() body: EnrollTraineeDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(courseId, body, caller);
  }
}
