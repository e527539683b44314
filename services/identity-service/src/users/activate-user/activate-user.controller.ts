import { Body, Controller, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiWaitsForFacts, Public } from '@skills/service-runtime';
import { ActivatedUserAnswer, ActivateUserDto } from './activate-user.dto';
import { ActivateUserHandler } from './activate-user.handler';

/** Public: the trainee has no user yet; the activation code is what authorises the creation. */
@ApiTags('identity')
@Controller('api/v1/users/activate')
export class ActivateUserController {
  constructor(private readonly handler: ActivateUserHandler) {}

  @Post()
  @ApiWaitsForFacts("Trainee-service's facts about activation codes (a code not known here yet; a known one, which a newer code, a void or an erasure may have withdrawn)", {
    deadLetters: "the facts about the code or its trainee",
  })
  @ApiOperation({ summary: 'Activate a trainee user', description: 'A trainee redeems the activation code their organisation issued and chooses a username and password.' })
  @Public()
  @ApiCreatedResponse({ type: ActivatedUserAnswer, description: 'A trainee user linked to the trainee the code was issued for; it signs in with the password grant' })
  @ApiBadRequestResponse({ description: 'A field is invalid, or the code is unknown: activation_code_invalid' })
  @ApiConflictResponse({
    description:
      'activation_code_expired, activation_code_used, activation_code_session_ended (issued with the token of a session its issuer’s password change or reset, or second factor’s reset, had ended: ask for a new one), username_taken, or trainee_has_user (the trainee has an account already)',
  })
  activate(@Body() body: ActivateUserDto): Promise<ActivatedUserAnswer> {
    return this.handler.execute(body);
  }
}
