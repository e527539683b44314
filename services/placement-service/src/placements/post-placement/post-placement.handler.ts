import { Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { CommandPipeline, mustExist, mustNotExist } from '@skills/event-sourcing';
import { randomUUID } from 'node:crypto';
import { employerAggregate, employerStreamId } from '../../employers/employer.aggregate';
import { placementAggregate, placementStreamId } from '../placement.aggregate';
import { placementIntegrationEvents } from '../placement-messages';
import { PostPlacementDto } from './post-placement.dto';

@Injectable()
export class PostPlacementHandler {
  constructor(private readonly commands: CommandPipeline) {}

  async execute(body: PostPlacementDto, caller: Caller): Promise<{ id: string }> {
    const employer = await this.commands.existing(mustExist(employerStreamId(body.employerId), 'employer', body.employerId), employerAggregate);
    const placementId = randomUUID();
    await this.commands.handle({
      stream: mustNotExist(placementStreamId(placementId)),
      aggregate: placementAggregate,
      command: {
        type: 'PostPlacement',
        placement: {
          placementId,
          ...body,
          industryCode: body.industryCode ?? employer.industryCode,
          employerCreditCode: employer.creditCode,
          employerIndustryCode: employer.industryCode,
          // Stamped now, as registered: hires count by the employer's region (domain.md section 6).
          employerRegionCode: employer.regionCode,
        },
        by: actorOf(caller),
      },
      integrationEvents: placementIntegrationEvents,
    });
    return { id: placementId };
  }
}
