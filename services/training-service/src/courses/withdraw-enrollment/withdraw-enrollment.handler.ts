import { Injectable } from '@nestjs/common';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { courseAggregate, courseStreamId } from '../course.aggregate';
import { courseIntegrationEvents } from '../course-messages';
import { WithdrawEnrollmentDto } from './withdraw-enrollment.dto';

@Injectable()
export class WithdrawEnrollmentHandler {
  constructor(private readonly commands: CommandPipeline) {}

  async execute(courseId: string, traineeId: string, query: WithdrawEnrollmentDto): Promise<void> {
    await this.commands.handle({
      stream: mustExist(courseStreamId(courseId), 'course', courseId),
      aggregate: courseAggregate,
      command: { type: 'WithdrawEnrollment', traineeId, withdrawnOn: query.withdrawnOn },
      integrationEvents: courseIntegrationEvents,
    });
  }
}
