import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { ApiWaitsForFacts, CurrentCaller, DryRunnable, Permission, UuidParam } from '@skills/service-runtime';
import { HireTraineeDto } from './hire-trainee.dto';
import { HireTraineeHandler } from './hire-trainee.handler';
import { HireAnswer } from '../../placement-answers';

@ApiTags('placements')
@Controller('api/v1/placements/:id/hires')
export class HireTraineeController {
  constructor(private readonly handler: HireTraineeHandler) {}

  @Post()
  @ApiOperation({ summary: 'Hire a trainee', description: 'Fills an opening of the placement with a trainee who holds the level it asks for on the start date, is 16 or older then, and is not employed by the same employer; the placement must not have been closed by then. The level is judged on the start date by the certificates that stand now: one dated on or before it counts, unless it has been revoked, whenever (a certificate revoked since, even after the start date, counts for nothing, as in a certification decided now). With `dryRun=true`, answers the rule that would refuse the hire, or 200 with an employment id that is not kept, and hires nobody.' })
  @Permission('placements:hire')
  @ApiWaitsForFacts("Trainee-service's registrations (a trainee not known here yet) or certification's facts (for a placement with a minimum level)", { asksTraineeService: true, decidesOnTrainee: true })
  @ApiCreatedResponse({ type: HireAnswer, description: '{employmentId}' })
  @DryRunnable(HireAnswer)
  @ApiConflictResponse({
    description:
      'placement_closed, no_openings_left, level_too_low (judged on the start date by the certificates that stand now: the highest level certified on or before it by a certificate not revoked, whenever, is below minLevel; with minLevel, traineeLevel, occupationCode), under_minimum_age or already_employed_by_employer',
  })
  @ApiNotFoundResponse({ description: 'Unknown placement or trainee' })
  @ApiForbiddenResponse({ description: "placements:hire: another employer's placement" })
  hire(@UuidParam('id') placementId: string, @Body() body: HireTraineeDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(placementId, body, caller);
  }
}
