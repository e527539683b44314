import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { EnrollTraineeDto } from './enroll-trainee.dto';
import { EnrollTraineeHandler } from './enroll-trainee.handler';

@ApiTags('training')
@Controller('api/v1/courses/:id/enrollments')
export class EnrollTraineeController {
  constructor(private readonly handler: EnrollTraineeHandler) {}

  @Post()
  @ApiCreatedResponse({ description: 'Enrolled; answers the enrolment id' })
  @ApiConflictResponse({ description: 'The course is full, the trainee is enrolled already, or enrolledOn is after the course end' })
  enroll(@Param('id', new ParseUUIDPipe()) courseId: string, @Body() body: EnrollTraineeDto) {
    return this.handler.execute(courseId, body);
  }
}
