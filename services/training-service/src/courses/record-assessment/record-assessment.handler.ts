import { Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { TraineeReplica } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { courseAggregate, courseStreamId, RecordAssessment } from '../course.aggregate';
import { courseIntegrationEvents } from '../course-messages';
import { RecordAssessmentDto } from './record-assessment.dto';

@Injectable()
export class RecordAssessmentHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly trainees: TraineeReplica,
  ) {}

  /** `corrects` in the answer: the result this one replaced, when one stood. */
  async execute(courseId: string, body: RecordAssessmentDto, caller: Caller): Promise<{ assessmentId: string; corrects?: string }> {
    const assessmentId = randomUUID();
    const { events } = await this.commands.handle({
      stream: mustExist(courseStreamId(courseId), 'course', courseId),
      aggregate: courseAggregate,
      // Whether the registration was voided is read under the course's lock: a void applied here frees the
      // trainee's seats under the same lock (WithdrawVoidedEnrolments), so a result is judged before or after it, never between.
      command: async (_, tx): Promise<RecordAssessment> => ({
        type: 'RecordAssessment',
        assessmentId,
        ...body,
        traineeVoided: (await this.trainees.voidedAmong([body.traineeId], tx)).size > 0,
        by: actorOf(caller),
      }),
      integrationEvents: courseIntegrationEvents,
    });
    const recorded = events.find((event) => event.type === 'AssessmentRecorded');
    const corrects = recorded?.type === 'AssessmentRecorded' ? recorded.data.corrects : undefined;
    return { assessmentId, ...(corrects ? { corrects } : {}) };
  }
}
