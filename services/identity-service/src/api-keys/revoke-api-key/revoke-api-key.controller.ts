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
      "No token is got with it from now on, and a token already got with it is refused, 401 `api_key_revoked`: by identity-service at once, by every other service as soon as the revocation reaches it (moments). A token got before the platform named the key in its tokens (`client_id`) works until it expires (ACCESS_TOKEN_SECONDS, 5 minutes by default). A token got with an API key revokes keys of the user who made that key only (a rotation); another user's, as an organisation's administrator, need the administrator signed in (403 api-keys:revoke).",
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
