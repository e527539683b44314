import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { CreateApiKeyDto } from './create-api-key.dto';
import { CreateApiKeyHandler } from './create-api-key.handler';

@ApiTags('identity')
@Controller('api/v1/api-keys')
export class CreateApiKeyController {
  constructor(private readonly handler: CreateApiKeyHandler) {}

  /** The key acts as the caller who creates it (client-credentials grant). */
  @Post()
  @Permission('api-keys:create')
  @ApiCreatedResponse({ description: '{clientId, clientSecret}: the secret is shown this once' })
  @ApiConflictResponse({ description: 'user_disabled' })
  create(@Body() body: CreateApiKeyDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(caller.userId, body);
  }
}
