import { Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { UnknownEntity } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { NOT_REGISTERED, TraineeAges, TraineeReplica } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { courseAggregate, courseStreamId, EnrollTrainee } from '../course.aggregate';
import { courseIntegrationEvents } from '../course-messages';
import { EnrollTraineeDto } from './enroll-trainee.dto';

@Injectable()
export class EnrollTraineeHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly trainees: TraineeReplica,
    private readonly ages: TraineeAges,
  ) {}

  async execute(courseId: string, body: EnrollTraineeDto, caller: Caller): Promise<{ enrollmentId: string }> {
    const enrollmentId = randomUUID();
    const traineeAge = await this.traineeAgeOn(body);
    const enrol = () =>
      this.commands.handle({
        stream: mustExist(courseStreamId(courseId), 'course', courseId),
        aggregate: courseAggregate,
        // Known here, checked with the course's events: no round trip of its own.
        requires: { statement: this.trainees.known(body.traineeId), unmet: () => new UnknownEntity('trainee', body.traineeId) },
        command: { type: 'EnrollTrainee', enrollmentId, traineeId: body.traineeId, enrolledOn: body.enrolledOn, traineeAge, by: actorOf(caller) },
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

  /**
   * The trainee's age on the enrolment's date, from trainee-service (it alone holds the birth date and
   * tells only the age on the day), for the course's enrolled_before_birth. Asked only of a date given:
   * today, the default, is never before a registered person's birth. Asked before the course is read, so
   * no question to trainee-service is made under the course's lock; the course judges who may enrol
   * first, so its answer tells a foreign caller nothing. Whether the trainee is registered stays the
   * replica's to answer (`requires`), as before: NOT_REGISTERED here judges no age.
   */
  private async traineeAgeOn({ traineeId, enrolledOn }: EnrollTraineeDto): Promise<EnrollTrainee['traineeAge']> {
    if (enrolledOn === undefined) return undefined;
    const age = await this.ages.ageOn(traineeId, enrolledOn);
    return age === NOT_REGISTERED ? undefined : age;
  }
}
