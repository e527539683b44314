import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { ClosePlacementHandler } from './close-placement.handler';

@ApiTags('placements')
@Controller('api/v1/placements/:id/close')
export class ClosePlacementController {
  constructor(private readonly handler: ClosePlacementHandler) {}

  /** No further hires; the employments it made stay. */
  @Post()
  @Permission('placements:close')
  @HttpCode(200)
  @ApiOkResponse({ description: '{id, status: closed}' })
  @ApiConflictResponse({ description: 'placement_already_closed' })
  @ApiForbiddenResponse({ description: "placements:close: another employer's placement" })
  close(@Param('id', new ParseUUIDPipe()) placementId: string, @CurrentCaller() caller: Caller) {
    return this.handler.execute(placementId, caller);
  }
}
