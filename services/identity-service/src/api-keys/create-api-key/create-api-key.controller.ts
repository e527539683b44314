import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { CreateApiKeyDto } from './create-api-key.dto';
import { CreateApiKeyHandler } from './create-api-key.handler';
import { ApiKeyAnswer } from '../../identity-answers';

@ApiTags('identity')
@Controller('api/v1/api-keys')
export class CreateApiKeyController {
  constructor(private readonly handler: CreateApiKeyHandler) {}

  /** The key acts as the caller who creates it (client-credentials grant). */
  @Post()
  @ApiOperation({ summary: 'Create an API key', description: 'A client id and secret for the client_credentials grant, acting as the caller; the secret is shown this once.' })
  @Permission('api-keys:create')
  @ApiCreatedResponse({ type: ApiKeyAnswer, description: '{clientId, clientSecret}: the secret is shown this once' })
  @ApiConflictResponse({ description: 'user_disabled' })
  create(@Body() body: CreateApiKeyDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(caller.userId, body);
  }
}
