import { Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { UnknownEntity } from '@skills/domain-kernel';
import { CommandPipeline, mustExist, mustNotExist } from '@skills/event-sourcing';
import { OrganisationReplica } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { providerAggregate, providerStreamId } from '../../providers/provider.aggregate';
import { courseAggregate, courseStreamId } from '../course.aggregate';
import { courseIntegrationEvents } from '../course-messages';
import { ScheduleCourseDto } from './schedule-course.dto';

@Injectable()
export class ScheduleCourseHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly organisations: OrganisationReplica,
  ) {}

  async execute(body: ScheduleCourseDto, caller: Caller): Promise<{ id: string }> {
    const provider = await this.commands.existing(mustExist(providerStreamId(body.providerId), 'provider', body.providerId), providerAggregate);
    // An unknown id is a 404 (api.md); an employer registered a moment ago on placement-service is waited for.
    if (body.sponsorEmployerId && (await this.organisations.findCaughtUp(body.sponsorEmployerId))?.kind !== 'employer') {
      throw new UnknownEntity('employer', body.sponsorEmployerId);
    }
    const courseId = randomUUID();
    // The provider's region is stamped now: training figures count by it (domain.md section 6), as it was when the course was scheduled.
    const course = { courseId, ...body, occupationEdition: body.occupationEdition ?? '2022', providerCreditCode: provider.creditCode, providerRegionCode: provider.regionCode };
    await this.commands.handle({
      stream: mustNotExist(courseStreamId(courseId)),
      aggregate: courseAggregate,
      command: { type: 'ScheduleCourse', course, by: actorOf(caller) },
      integrationEvents: courseIntegrationEvents,
    });
    return { id: courseId };
  }
}
