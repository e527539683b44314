import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { businessDateOf, UnknownEntity } from '@skills/domain-kernel';
import { CommandHandler } from '@skills/event-sourcing';
import { currentCorrelation } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { employerAggregate, employerStreamId } from '../../employers/employer.aggregate';
import { placementAggregate, placementStreamId } from '../placement.aggregate';
import { placementIntegrationEvents } from '../placement-messages';
import { PostPlacementDto } from './post-placement.dto';

@ApiTags('placements')
@Controller('api/v1/placements')
export class PostPlacementController {
  constructor(private readonly commands: CommandHandler) {}

  @Post()
  @ApiCreatedResponse({ description: 'Posted; answers the new id' })
  @ApiConflictResponse({ description: 'wage_range_inverted' })
  @ApiNotFoundResponse({ description: 'Unknown employer' })
  async post(@Body() body: PostPlacementDto): Promise<{ id: string }> {
    const { state: employer } = await this.commands.load(employerStreamId(body.employerId), employerAggregate);
    if (employer.status !== 'registered') throw new UnknownEntity('employer', body.employerId);
    const placementId = randomUUID();
    await this.commands.handle({
      streamId: placementStreamId(placementId),
      aggregate: placementAggregate,
      command: {
        type: 'PostPlacement',
        placement: { placementId, ...body, industryCode: body.industryCode ?? employer.industryCode, employerCreditCode: employer.creditCode, employerIndustryCode: employer.industryCode, postedOn: businessDateOf(new Date()) },
      },
      metadata: currentCorrelation(),
      integrationEvents: placementIntegrationEvents,
    });
    return { id: placementId };
  }
}
