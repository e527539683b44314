import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Caller } from '@skills/contracts';
import { CurrentCaller, IdAnswer, Permission } from '@skills/service-runtime';
import { RegisterTraineeDto } from './register-trainee.dto';
import { RegisterTraineeHandler } from './register-trainee.handler';

@ApiTags('trainees')
@Controller('api/v1/trainees')
export class RegisterTraineeController {
  constructor(private readonly handler: RegisterTraineeHandler) {}

  @Post()
  @ApiOperation({ summary: 'Register a trainee', description: 'Registers a person by their resident identity card (or a Hong Kong, Macao or Taiwan residence permit) number, name and phone; the personal data is sealed.' })
  @Permission('trainees:register')
  @ApiCreatedResponse({ type: IdAnswer, description: 'Registered; answers the new id' })
  @ApiConflictResponse({ description: 'identity_number_registered: the identity number is registered (counted and audited as a lookup by number); the answer carries the holder’s id, existingId, where the name sent is the holder’s (as POST /api/v1/trainees/lookup matches it) or the caller may read the holder already (a related organisation, platform_admin), and otherwise says the number is registered under another name, which the organisation that registered them corrects' })
  @ApiTooManyRequestsResponse({
    description: 'too_many_lookups: the identity number is registered, and this user has made 60 lookups in the last hour, or the users of its organisation 600 together, these refusals included (Retry-After: 3600).',
  })
  register(@Body() body: RegisterTraineeDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(body, caller);
  }
}
