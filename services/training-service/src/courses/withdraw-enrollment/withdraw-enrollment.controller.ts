import { Controller, Delete, HttpCode, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { businessDateOf, UnknownEntity } from '@skills/domain-kernel';
import { CommandHandler } from '@skills/event-sourcing';
import { currentCorrelation } from '@skills/service-runtime';
import { courseAggregate, courseStreamId } from '../course.aggregate';
import { courseIntegrationEvents } from '../course-messages';

@ApiTags('training')
@Controller('api/v1/courses/:id/enrollments')
export class WithdrawEnrollmentController {
  constructor(private readonly commands: CommandHandler) {}

  /** Frees the seat; allowed until the course ends. */
  @Delete(':traineeId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Withdrawn' })
  async withdraw(@Param('id', new ParseUUIDPipe()) courseId: string, @Param('traineeId', new ParseUUIDPipe()) traineeId: string): Promise<void> {
    const { state } = await this.commands.load(courseStreamId(courseId), courseAggregate);
    if (state.status !== 'scheduled') throw new UnknownEntity('course', courseId);
    await this.commands.handle({
      streamId: courseStreamId(courseId),
      aggregate: courseAggregate,
      command: { type: 'WithdrawEnrollment', traineeId, withdrawnOn: businessDateOf(new Date()) },
      metadata: currentCorrelation(),
      integrationEvents: courseIntegrationEvents,
    });
  }
}
