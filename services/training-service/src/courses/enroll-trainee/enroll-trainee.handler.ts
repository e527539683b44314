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
    const enrollmentId = randomUUID();
    const enrol = () =>
      this.commands.handle({
        stream: mustExist(courseStreamId(courseId), 'course', courseId),
        aggregate: courseAggregate,
        // Known here, checked with the course's events: no round trip of its own.
        requires: { statement: this.trainees.known(body.traineeId), unmet: () => new UnknownEntity('trainee', body.traineeId) },
        command: { type: 'EnrollTrainee', enrollmentId, traineeId: body.traineeId, enrolledOn: body.enrolledOn, by: actorOf(caller) },
        integrationEvents: courseIntegrationEvents,
      });
    try {
      await enrol();
    } catch (error) {
      if (!(error instanceof UnknownEntity && error.entity === 'trainee')) throw error;
      // Registered a moment ago in trainee-service: looked for again once caught up, then enrolled once more.
      if (!(await this.trainees.findCaughtUp(body.traineeId))) throw error;
      await enrol();
    }
    return { enrollmentId };
  }
}
