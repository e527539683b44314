import { Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { placementAggregate, placementStreamId, PostedPlacement } from '../placement.aggregate';
import { placementIntegrationEvents } from '../placement-messages';

@Injectable()
export class ClosePlacementHandler {
  constructor(private readonly commands: CommandPipeline) {}

  async execute(placementId: string, caller: Caller): Promise<{ id: string; status: 'closed'; closedOn: string }> {
    const { state } = await this.commands.handle({
      stream: mustExist(placementStreamId(placementId), 'placement', placementId),
      aggregate: placementAggregate,
      command: { type: 'ClosePlacement', by: actorOf(caller) },
      integrationEvents: placementIntegrationEvents,
    });
    // The state after the close: the day it was closed, as the event says (the business day of the request).
    return { id: placementId, status: 'closed', closedOn: (state as PostedPlacement).closedOn! };
  }
}
