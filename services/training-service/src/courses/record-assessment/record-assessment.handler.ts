import { Injectable } from '@nestjs/common';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { randomUUID } from 'node:crypto';
import { courseAggregate, courseStreamId } from '../course.aggregate';
import { courseIntegrationEvents } from '../course-messages';
import { RecordAssessmentDto } from './record-assessment.dto';

@Injectable()
export class RecordAssessmentHandler {
  constructor(private readonly commands: CommandPipeline) {}

  async execute(courseId: string, body: RecordAssessmentDto): Promise<{ assessmentId: string }> {
    const assessmentId = randomUUID();
    await this.commands.handle({
      stream: mustExist(courseStreamId(courseId), 'course', courseId),
      aggregate: courseAggregate,
      command: { type: 'RecordAssessment', assessmentId, ...body },
      integrationEvents: courseIntegrationEvents,
    });
    return { assessmentId };
  }
}
