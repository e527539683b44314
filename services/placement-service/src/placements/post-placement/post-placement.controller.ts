import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, IdAnswer, Permission } from '@skills/service-runtime';
import { PostPlacementDto } from './post-placement.dto';
import { PostPlacementHandler } from './post-placement.handler';

@ApiTags('placements')
@Controller('api/v1/placements')
export class PostPlacementController {
  constructor(private readonly handler: PostPlacementHandler) {}

  @Post()
  @ApiOperation({ summary: 'Post a placement', description: 'An employer posts openings for an occupation with a monthly wage range (yuan) and the level it asks for.' })
  @Permission('placements:post')
  @ApiCreatedResponse({ type: IdAnswer, description: 'Posted; answers the new id' })
  @ApiConflictResponse({ description: 'wage_range_inverted' })
  @ApiNotFoundResponse({ description: 'Unknown employer' })
  @ApiForbiddenResponse({ description: "placements:post: the employer is not the caller's organisation" })
  post(@Body() body: PostPlacementDto, @CurrentCaller() caller: Caller): Promise<{ id: string }> {
    return this.handler.execute(body, caller);
  }
}
