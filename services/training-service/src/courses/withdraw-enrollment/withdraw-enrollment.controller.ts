import { Controller, Delete, HttpCode, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNoContentResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { businessDateOf, UnknownEntity } from '@skills/domain-kernel';
import { CommandHandler } from '@skills/event-sourcing';
import { currentCorrelation } from '@skills/service-runtime';
import { courseAggregate, courseStreamId } from '../course.aggregate';
import { courseIntegrationEvents } from '../course-messages';
import { WithdrawEnrollmentQuery } from './withdraw-enrollment.query';

@ApiTags('training')
@Controller('api/v1/courses/:id/enrollments')
export class WithdrawEnrollmentController {
  constructor(private readonly commands: CommandHandler) {}

  /** Frees the seat; allowed until the course ends. */
  @Delete(':traineeId')
  @HttpCode(204)
  @ApiQuery({ name: 'withdrawnOn', required: false, description: 'Business date of the withdrawal (default today), for records of earlier years' })
  @ApiNoContentResponse({ description: 'Withdrawn' })
  @ApiConflictResponse({ description: 'not_enrolled, withdrawn_after_course_end or withdrawn_before_enrolment' })
  async withdraw(
    @Param('id', new ParseUUIDPipe()) courseId: string,
    @Param('traineeId', new ParseUUIDPipe()) traineeId: string,
    @Query() query: WithdrawEnrollmentQuery,
  ): Promise<void> {
    const { state } = await this.commands.load(courseStreamId(courseId), courseAggregate);
    if (state.status !== 'scheduled') throw new UnknownEntity('course', courseId);
    await this.commands.handle({
      streamId: courseStreamId(courseId),
      aggregate: courseAggregate,
      command: { type: 'WithdrawEnrollment', traineeId, withdrawnOn: query.withdrawnOn ?? businessDateOf(new Date()) },
      metadata: currentCorrelation(),
      integrationEvents: courseIntegrationEvents,
    });
  }
}
