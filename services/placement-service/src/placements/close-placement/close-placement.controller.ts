import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission, UuidParam } from '@skills/service-runtime';
import { ClosePlacementHandler } from './close-placement.handler';
import { ClosedPlacementAnswer } from '../../placement-answers';

@ApiTags('placements')
@Controller('api/v1/placements/:id/close')
export class ClosePlacementController {
  constructor(private readonly handler: ClosePlacementHandler) {}

  /** No further hires; the employments it made stay. */
  @Post()
  @ApiOperation({ summary: 'Close a placement', description: 'The employer takes the placement off the board; no more hires.' })
  @Permission('placements:close')
  @HttpCode(200)
  @ApiOkResponse({ type: ClosedPlacementAnswer, description: '{id, status: closed, closedOn}' })
  @ApiConflictResponse({ description: 'placement_already_closed' })
  @ApiForbiddenResponse({ description: "placements:close: another employer's placement" })
  close(@UuidParam('id') placementId: string, @CurrentCaller() caller: Caller) {
    return this.handler.execute(placementId, caller);
  }
}
