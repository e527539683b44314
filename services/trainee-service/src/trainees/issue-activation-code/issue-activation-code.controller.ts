import { Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '@skills/contracts';
import { ApiWaitsForFacts, CurrentCaller, CurrentTokenSession, Permission, RELATING_FACTS, TokenSession, UuidParam } from '@skills/service-runtime';
import { ActivationCodeAnswer } from './issue-activation-code.dto';
import { IssueActivationCodeHandler } from './issue-activation-code.handler';

@ApiTags('trainees')
@Controller('api/v1/trainees/:id/activation-codes')
export class IssueActivationCodeController {
  constructor(private readonly handler: IssueActivationCodeHandler) {}

  @Post()
  @ApiOperation({
    summary: 'Issue an activation code',
    description:
      'A one-time code, valid 14 days, for the trainee to create their own user. Issued with the token of a session that had been ended (its sign-in before the caller’s last password change or reset, or second factor’s reset), the code is refused when redeemed (`activation_code_session_ended`).',
  })
  @Permission('trainees:issue-activation-code')
  @ApiWaitsForFacts(`Only ${RELATING_FACTS}, and, for a trainee who holds an active user as far as this service knows, identity-service's facts about users (one disabled a moment ago gives the trainee back),`, {
    deadLetters: 'the facts that relate organisations to the trainee',
  })
  @ApiCreatedResponse({ type: ActivationCodeAnswer, description: 'The code, shown this once, for the trainee to create their own user with (POST /api/v1/users/activate)' })
  @ApiNotFoundResponse({ description: 'No trainee with this id that the caller may read (a related organisation, platform_admin)' })
  @ApiConflictResponse({
    description:
      "personal_data_erased: the trainee's personal data was erased; trainee_has_user: the trainee holds an active user already (a code's redemption would be refused; nothing is issued, nor is an earlier code withdrawn): they sign in with it, or it is disabled first. A user created a moment ago that this service has not learnt of yet does not refuse the code; its redemption is refused then",
  })
  issue(@UuidParam('id') traineeId: string, @CurrentCaller() caller: Caller, @CurrentTokenSession() session: TokenSession): Promise<ActivationCodeAnswer> {
    return this.handler.execute(traineeId, caller, session);
  }
}
