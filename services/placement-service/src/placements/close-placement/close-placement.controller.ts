import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { businessDateOf, UnknownEntity } from '@skills/domain-kernel';
import { CommandHandler } from '@skills/event-sourcing';
import { currentCorrelation } from '@skills/service-runtime';
import { placementAggregate, placementStreamId } from '../placement.aggregate';
import { placementIntegrationEvents } from '../placement-messages';

@ApiTags('placements')
@Controller('api/v1/placements/:id/close')
export class ClosePlacementController {
  constructor(private readonly commands: CommandHandler) {}

  /** No further hires; the employments it made stay. */
  @Post()
  @HttpCode(200)
  @ApiOkResponse({ description: '{id, status: closed}' })
  @ApiConflictResponse({ description: 'placement_already_closed' })
  async close(@Param('id', new ParseUUIDPipe()) placementId: string) {
    const { state } = await this.commands.load(placementStreamId(placementId), placementAggregate);
    if (state.status === 'unknown') throw new UnknownEntity('placement', placementId);
    await this.commands.handle({
      streamId: placementStreamId(placementId),
      aggregate: placementAggregate,
      command: { type: 'ClosePlacement', closedOn: businessDateOf(new Date()) },
      metadata: currentCorrelation(),
      integrationEvents: placementIntegrationEvents,
    });
    return { id: placementId, status: 'closed' };
  }
}
