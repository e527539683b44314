import { Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { UnknownEntity } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { TraineeReplica } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { courseAggregate, courseStreamId } from '../course.aggregate';
import { courseIntegrationEvents } from '../course-messages';
import { EnrollTraineeDto } from './enroll-trainee.dto';

@Injectable()
export class EnrollTraineeHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly trainees: TraineeReplica,
  ) {}

  async execute(courseId: string, body: EnrollTraineeDto, caller: Caller): Promise<{ enrollmentId: string }> {
    if (!(await this.trainees.waitFor(body.traineeId))) throw new UnknownEntity('trainee', body.traineeId);
    const enrollmentId = randomUUID();
    await this.commands.handle({
      stream: mustExist(courseStreamId(courseId), 'course', courseId),
      aggregate: courseAggregate,
      command: { type: 'EnrollTrainee', enrollmentId, traineeId: body.traineeId, enrolledOn: body.enrolledOn, by: actorOf(caller) },
      integrationEvents: courseIntegrationEvents,
    });
    return { enrollmentId };
  }
}
