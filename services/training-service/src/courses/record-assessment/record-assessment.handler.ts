import { Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { randomUUID } from 'node:crypto';
import { courseAggregate, courseStreamId } from '../course.aggregate';
import { courseIntegrationEvents } from '../course-messages';
import { RecordAssessmentDto } from './record-assessment.dto';

@Injectable()
export class RecordAssessmentHandler {
  constructor(private readonly commands: CommandPipeline) {}

  async execute(courseId: string, body: RecordAssessmentDto, caller: Caller): Promise<{ assessmentId: string }> {
    const assessmentId = randomUUID();
    await this.commands.handle({
      stream: mustExist(courseStreamId(courseId), 'course', courseId),
      aggregate: courseAggregate,
      command: { type: 'RecordAssessment', assessmentId, ...body, by: actorOf(caller) },
      integrationEvents: courseIntegrationEvents,
    });
    return { assessmentId };
  }
}
