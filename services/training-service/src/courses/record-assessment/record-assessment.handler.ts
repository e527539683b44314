import { Injectable } from '@nestjs/common';
import { UnknownEntity } from '@skills/domain-kernel';
import { CommandHandler } from '@skills/event-sourcing';
import { currentCorrelation } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { courseAggregate, courseStreamId } from '../course.aggregate';
import { courseIntegrationEvents } from '../course-messages';
import { RecordAssessmentDto } from './record-assessment.dto';

@Injectable()
export class RecordAssessmentHandler {
  constructor(private readonly commands: CommandHandler) {}

  async execute(courseId: string, body: RecordAssessmentDto): Promise<{ assessmentId: string }> {
    const { state } = await this.commands.load(courseStreamId(courseId), courseAggregate);
    if (state.status !== 'scheduled') throw new UnknownEntity('course', courseId);
    const assessmentId = randomUUID();
    await this.commands.handle({
      streamId: courseStreamId(courseId),
      aggregate: courseAggregate,
      command: { type: 'RecordAssessment', assessmentId, ...body },
      metadata: currentCorrelation(),
      integrationEvents: courseIntegrationEvents,
    });
    return { assessmentId };
  }
}
