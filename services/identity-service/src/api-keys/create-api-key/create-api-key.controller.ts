import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { ApiRecentSignIn, CurrentCaller, CurrentTokenSession, Permission, TokenSession } from '@skills/service-runtime';
import { CreateApiKeyDto } from './create-api-key.dto';
import { CreateApiKeyHandler } from './create-api-key.handler';
import { ApiKeyAnswer } from '../../identity-answers';
import { SessionInForce } from '../../users/session-in-force';

@ApiTags('identity')
@Controller('api/v1/api-keys')
export class CreateApiKeyController {
  constructor(private readonly handler: CreateApiKeyHandler) {}

  /** The key acts as the caller who creates it (client-credentials grant). */
  @Post()
  @ApiOperation({
    summary: 'Create an API key',
    description:
      'A client id and secret for the client_credentials grant, acting as the caller; the secret is shown this once. A staff user for itself; not a platform admin (403 permission_denied naming api-keys:create: a key skips the second factor and outlives password changes). Only with a token of a sign-in of the last 10 minutes (its auth_time), not one renewed later, nor one of a session a later password change or second factor’s reset ended (401 session_ended).',
  })
  @Permission('api-keys:create')
  @SessionInForce()
  // Joined with the permission's own 403 in the document.
  @ApiRecentSignIn()
  @ApiCreatedResponse({ type: ApiKeyAnswer, description: '{clientId, clientSecret}: the secret is shown this once' })
  @ApiConflictResponse({ description: 'user_disabled' })
  create(@Body() body: CreateApiKeyDto, @CurrentCaller() caller: Caller, @CurrentTokenSession() session: TokenSession) {
    return this.handler.execute(caller, body, session);
  }
}
