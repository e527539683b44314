import { Injectable } from '@nestjs/common';
import { businessDateOf, UnknownEntity } from '@skills/domain-kernel';
import { CommandHandler } from '@skills/event-sourcing';
import { currentCorrelation } from '@skills/service-runtime';
import { courseAggregate, courseStreamId } from '../course.aggregate';
import { courseIntegrationEvents } from '../course-messages';

@Injectable()
export class WithdrawEnrollmentHandler {
  constructor(private readonly commands: CommandHandler) {}

  /** `withdrawnOn` defaults to today (UTC+8); an earlier date enters a record of an earlier year. */
  async execute(courseId: string, traineeId: string, withdrawnOn?: string): Promise<void> {
    const { state } = await this.commands.load(courseStreamId(courseId), courseAggregate);
    if (state.status !== 'scheduled') throw new UnknownEntity('course', courseId);
    await this.commands.handle({
      streamId: courseStreamId(courseId),
      aggregate: courseAggregate,
      command: { type: 'WithdrawEnrollment', traineeId, withdrawnOn: withdrawnOn ?? businessDateOf(new Date()) },
      metadata: currentCorrelation(),
      integrationEvents: courseIntegrationEvents,
    });
  }
}
