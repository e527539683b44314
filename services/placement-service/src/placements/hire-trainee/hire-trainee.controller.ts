import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { HireTraineeDto } from './hire-trainee.dto';
import { HireTraineeHandler } from './hire-trainee.handler';

@ApiTags('placements')
@Controller('api/v1/placements/:id/hires')
export class HireTraineeController {
  constructor(private readonly handler: HireTraineeHandler) {}

  @Post()
  @Permission('placements:hire')
  @ApiCreatedResponse({ description: '{employmentId}' })
  @ApiConflictResponse({ description: 'placement_closed, no_openings_left, level_too_low or already_employed_by_employer' })
  @ApiNotFoundResponse({ description: 'Unknown placement or trainee' })
  @ApiForbiddenResponse({ description: "placements:hire: another employer's placement" })
  hire(@Param('id', new ParseUUIDPipe()) placementId: string, @Body() body: HireTraineeDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(placementId, body, caller);
  }
}
