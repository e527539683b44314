import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { ApiConflictResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { RevokeApiKeyHandler } from './revoke-api-key.handler';

@ApiTags('identity')
@Controller('api/v1/api-keys/:clientId')
export class RevokeApiKeyController {
  constructor(private readonly handler: RevokeApiKeyHandler) {}

  @Delete()
  @ApiOperation({
    summary: 'Revoke an API key',
    description:
      'No token is got with it from now on. A token already got with it is self-contained and works until it expires (ACCESS_TOKEN_SECONDS, 5 minutes by default; it can make no other key, user or activation code, nor set a password): to stop those at once as well, disable the user.',
  })
  @HttpCode(204)
  @Permission('api-keys:revoke')
  @ApiNoContentResponse({ description: 'Revoked: no token is got with it from now on' })
  @ApiNotFoundResponse({ description: 'No API key with this client id' })
  @ApiConflictResponse({ description: 'api_key_already_revoked' })
  async revoke(@Param('clientId') clientId: string, @CurrentCaller() caller: Caller): Promise<void> {
    await this.handler.execute(clientId, caller);
  }
}
