import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission, UuidParam } from '@skills/service-runtime';
import { VoidedEnrolmentAnswer } from '../../training-answers';
import { VoidEnrollmentDto } from './void-enrollment.dto';
import { VoidEnrollmentHandler } from './void-enrollment.handler';

@ApiTags('training')
@Controller('api/v1/courses/:id/enrollments/:traineeId/void')
export class VoidEnrollmentController {
  constructor(private readonly handler: VoidEnrollmentHandler) {}

  @Post()
  @ApiOperation({
    summary: 'Void an enrolment recorded in error',
    description:
      "The course's school voids an enrolment recorded in error (the wrong person, the wrong course), withdrawn or not, also after the course ended, with every result recorded for it: as if neither had been recorded, it leaves the roster, the course's counts, the archive and every figure; its seat is free, and the person may be enrolled in the course again (a new enrolment); an import row that recorded it (imported by this version or later) is recorded anew when uploaded again. `enrollmentId` names the enrolment, always: a retry after the void is then answered 404, never voids the trainee's enrolment before it. An enrolment that was right but ended early is withdrawn instead (it stays on record with its results).",
  })
  @Permission('courses:withdraw')
  @HttpCode(200)
  @ApiOkResponse({ type: VoidedEnrolmentAnswer, description: '{enrollmentId, status: voided}' })
  @ApiNotFoundResponse({ description: 'No course with this id, or no enrolment of this trainee in it (or none with the enrollmentId given): never made, or voided already' })
  @ApiForbiddenResponse({ description: "courses:withdraw: not staff of the course's provider (only the school that runs a course voids its enrolments)" })
  void(@UuidParam('id') courseId: string, @UuidParam('traineeId') traineeId: string, @Body() body: VoidEnrollmentDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(courseId, traineeId, body, caller);
  }
}
