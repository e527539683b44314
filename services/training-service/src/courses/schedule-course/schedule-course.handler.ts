import { Injectable } from '@nestjs/common';
import { UnknownEntity } from '@skills/domain-kernel';
import { CommandHandler } from '@skills/event-sourcing';
import { currentCorrelation } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { providerAggregate, providerStreamId } from '../../providers/provider.aggregate';
import { courseAggregate, courseStreamId } from '../course.aggregate';
import { courseIntegrationEvents } from '../course-messages';
import { ScheduleCourseDto } from './schedule-course.dto';

@Injectable()
export class ScheduleCourseHandler {
  constructor(private readonly commands: CommandHandler) {}

  async execute(body: ScheduleCourseDto): Promise<{ id: string }> {
    const { state: provider } = await this.commands.load(providerStreamId(body.providerId), providerAggregate);
    if (provider.status !== 'registered') throw new UnknownEntity('provider', body.providerId);
    const courseId = randomUUID();
    await this.commands.handle({
      streamId: courseStreamId(courseId),
      aggregate: courseAggregate,
      command: { type: 'ScheduleCourse', course: { courseId, ...body, occupationEdition: body.occupationEdition ?? '2022', providerCreditCode: provider.creditCode } },
      metadata: currentCorrelation(),
      integrationEvents: courseIntegrationEvents,
    });
    return { id: courseId };
  }
}
