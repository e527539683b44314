import { Injectable } from '@nestjs/common';
import { businessDateOf, UnknownEntity } from '@skills/domain-kernel';
import { CommandHandler } from '@skills/event-sourcing';
import { currentCorrelation } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { TraineeReplica } from '../../trainee-replica/trainee-replica';
import { courseAggregate, courseStreamId } from '../course.aggregate';
import { courseIntegrationEvents } from '../course-messages';
import { EnrollTraineeDto } from './enroll-trainee.dto';

@Injectable()
export class EnrollTraineeHandler {
  constructor(
    private readonly commands: CommandHandler,
    private readonly trainees: TraineeReplica,
  ) {}

  async execute(courseId: string, body: EnrollTraineeDto): Promise<{ enrollmentId: string }> {
    const { state } = await this.commands.load(courseStreamId(courseId), courseAggregate);
    if (state.status !== 'scheduled') throw new UnknownEntity('course', courseId);
    if (!(await this.trainees.waitUntilKnown(body.traineeId))) throw new UnknownEntity('trainee', body.traineeId);
    const enrollmentId = randomUUID();
    await this.commands.handle({
      streamId: courseStreamId(courseId),
      aggregate: courseAggregate,
      command: { type: 'EnrollTrainee', enrollmentId, traineeId: body.traineeId, enrolledOn: body.enrolledOn ?? businessDateOf(new Date()) },
      metadata: currentCorrelation(),
      integrationEvents: courseIntegrationEvents,
    });
    return { enrollmentId };
  }
}
