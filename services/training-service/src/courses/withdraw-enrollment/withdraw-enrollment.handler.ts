import { Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { courseAggregate, courseStreamId } from '../course.aggregate';
import { courseIntegrationEvents } from '../course-messages';
import { WithdrawEnrollmentDto } from './withdraw-enrollment.dto';

@Injectable()
export class WithdrawEnrollmentHandler {
  constructor(private readonly commands: CommandPipeline) {}

  async execute(courseId: string, traineeId: string, query: WithdrawEnrollmentDto, caller: Caller): Promise<void> {
    await this.commands.handle({
      stream: mustExist(courseStreamId(courseId), 'course', courseId),
      aggregate: courseAggregate,
      command: { type: 'WithdrawEnrollment', traineeId, withdrawnOn: query.withdrawnOn, by: actorOf(caller) },
      integrationEvents: courseIntegrationEvents,
    });
  }
}
