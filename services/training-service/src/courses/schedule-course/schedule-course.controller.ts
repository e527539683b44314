import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { ScheduleCourseDto } from './schedule-course.dto';
import { ScheduleCourseHandler } from './schedule-course.handler';

@ApiTags('training')
@Controller('api/v1/courses')
export class ScheduleCourseController {
  constructor(private readonly handler: ScheduleCourseHandler) {}

  @Post()
  @ApiCreatedResponse({ description: 'Scheduled; answers the new id' })
  schedule(@Body() body: ScheduleCourseDto) {
    return this.handler.execute(body);
  }
}
