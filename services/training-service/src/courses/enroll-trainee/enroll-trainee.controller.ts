import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { ApiWaitsForFacts, CurrentCaller, Permission, UuidParam } from '@skills/service-runtime';
import { EnrollTraineeDto } from './enroll-trainee.dto';
import { EnrollTraineeHandler } from './enroll-trainee.handler';
import { EnrolmentAnswer } from '../../training-answers';

@ApiTags('training')
@Controller('api/v1/courses/:id/enrollments')
export class EnrollTraineeController {
  constructor(private readonly handler: EnrollTraineeHandler) {}

  @Post()
  @ApiWaitsForFacts("Trainee-service's registrations (a trainee not known here yet)", { asksTraineeService: true, decidesOnTrainee: true })
  @ApiOperation({ summary: 'Enrol a trainee', description: 'Enrols a trainee in the course while it has a free seat and has not ended.' })
  @Permission('courses:enrol')
  @ApiForbiddenResponse({ description: "courses:enrol: not staff of the course's provider (only the school that runs a course enrols into it)" })
  @ApiCreatedResponse({ type: EnrolmentAnswer, description: 'Enrolled; answers the enrolment id' })
  @ApiConflictResponse({
    description:
      'course_full, already_enrolled, enrolled_after_course_end, or enrolled_before_birth: enrolledOn is before the trainee was born (trainee-service, which alone holds the birth date, is asked their age on that day; the answer never names the birth date)',
  })
  @ApiNotFoundResponse({ description: 'No course with this id, or no trainee with this traineeId (a registration trainee-service voided is none)' })
  enroll(@UuidParam('id') courseId: string, @Body() body: EnrollTraineeDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(courseId, body, caller);
  }
}
