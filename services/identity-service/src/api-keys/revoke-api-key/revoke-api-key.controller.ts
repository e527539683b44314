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
  @ApiOperation({ summary: 'Revoke an API key', description: 'Its tokens are refused from now on.' })
  @HttpCode(204)
  @Permission('api-keys:revoke')
  @ApiNoContentResponse({ description: 'Revoked: its tokens are refused from now on' })
  @ApiNotFoundResponse({ description: 'No API key with this client id' })
  @ApiConflictResponse({ description: 'api_key_already_revoked' })
  async revoke(@Param('clientId') clientId: string, @CurrentCaller() caller: Caller): Promise<void> {
    await this.handler.execute(clientId, caller);
  }
}
