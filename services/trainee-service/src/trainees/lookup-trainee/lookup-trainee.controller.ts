import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission, QuestionByPost } from '@skills/service-runtime';
import { LookupTraineeDto } from './lookup-trainee.dto';
import { LookupTraineeHandler } from './lookup-trainee.handler';
import { LOOKUPS_PER_HOUR, ORGANISATION_LOOKUPS_PER_HOUR } from './trainee-lookups';
import { LookupAnswer } from '../../trainee-answers';

@ApiTags('trainees')
@Controller('api/v1/trainees/lookup')
export class LookupTraineeController {
  constructor(private readonly handler: LookupTraineeHandler) {}

  @Post()
  @QuestionByPost()
  @ApiOperation({ summary: 'Look a trainee up', description: 'Finds the person with exactly this identity number and name; rate-limited per user and per organisation, and audited.' })
  @HttpCode(200)
  @Permission('trainees:lookup')
  @ApiOkResponse({ type: LookupAnswer, description: '{id, nameMasked}: the person with exactly this identity number and name' })
  @ApiNotFoundResponse({ description: 'No person with this identity number and this name (the two cases answer alike)' })
  @ApiTooManyRequestsResponse({
    description: `too_many_lookups: ${LOOKUPS_PER_HOUR} lookups in the last hour by this user, or ${ORGANISATION_LOOKUPS_PER_HOUR} by the users of its organisation together, registrations refused as registered and import rows counted as lookups included (POST /api/v1/imports) (Retry-After: 3600).`,
  })
  lookup(@Body() body: LookupTraineeDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(body, caller);
  }
}
