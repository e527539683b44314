import { Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { placementAggregate, placementStreamId } from '../placement.aggregate';
import { placementIntegrationEvents } from '../placement-messages';

@Injectable()
export class ClosePlacementHandler {
  constructor(private readonly commands: CommandPipeline) {}

  async execute(placementId: string, caller: Caller): Promise<{ id: string; status: 'closed' }> {
    await this.commands.handle({
      stream: mustExist(placementStreamId(placementId), 'placement', placementId),
      aggregate: placementAggregate,
      command: { type: 'ClosePlacement', by: actorOf(caller) },
      integrationEvents: placementIntegrationEvents,
    });
    return { id: placementId, status: 'closed' };
  }
}
