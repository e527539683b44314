import { Controller, Delete, HttpCode, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiForbiddenResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission, UuidParam } from '@skills/service-runtime';
import { WithdrawEnrollmentHandler } from './withdraw-enrollment.handler';
import { WithdrawEnrollmentDto } from './withdraw-enrollment.dto';

@ApiTags('training')
@Controller('api/v1/courses/:id/enrollments')
export class WithdrawEnrollmentController {
  constructor(private readonly handler: WithdrawEnrollmentHandler) {}

  /** Frees the seat; allowed until the course ends. */
  @Delete(':traineeId')
  @ApiOperation({ summary: 'Withdraw an enrolment', description: 'Frees the seat; allowed until the course ends.' })
  @Permission('courses:withdraw')
  @ApiForbiddenResponse({ description: "courses:withdraw: not staff of the course's provider (only the school that runs a course withdraws from it)" })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Withdrawn' })
  @ApiConflictResponse({ description: 'not_enrolled, withdrawn_after_course_end, withdrawn_before_enrolment or withdrawn_before_assessment (a withdrawal on or before the day of its standing result)' })
  @ApiNotFoundResponse({ description: 'No course with this id' })
  withdraw(
    @UuidParam('id') courseId: string,
    @UuidParam('traineeId') traineeId: string,
    @Query() query: WithdrawEnrollmentDto,
    @CurrentCaller() caller: Caller,
  ): Promise<void> {
    return this.handler.execute(courseId, traineeId, query, caller);
  }
}
