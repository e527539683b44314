import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@skills/service-runtime';
import { Response } from 'express';
import { RefreshTokens } from '../refresh-tokens';
import { RevokeTokenDto } from './revoke-token.dto';

/**
 * Signing out (RFC 7009): the session of the refresh token ends on the server too, not only in the
 * browser that forgets it. The token is the authority: who holds it could renew with it anyway.
 */
@ApiTags('identity')
@Controller('oauth/revoke')
export class RevokeTokenController {
  constructor(private readonly refreshTokens: RefreshTokens) {}

  @Post()
  @ApiOperation({
    summary: 'Revoke a refresh token (sign out)',
    description:
      'OAuth 2.0 token revocation (RFC 7009), as JSON or a form: the session of the refresh token `token` ends, every token of it no longer renews. 200 `{}` whatever the token (unknown, used, expired, an access token, which lives out its minutes): the answer tells nothing of it.',
  })
  @Public()
  @HttpCode(200)
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiOkResponse({ description: 'An empty object (RFC 7009: a client ignores the body): the session of the token, if any, has ended', schema: { type: 'object', additionalProperties: false, properties: {} } })
  @ApiBadRequestResponse({ description: '`token` missing (rule `isString`) or longer than 4096 characters' })
  async revoke(@Body() body: RevokeTokenDto, @Res({ passthrough: true }) response: Response): Promise<Record<string, never>> {
    response.setHeader('Cache-Control', 'no-store');
    await this.refreshTokens.endSessionOf(body.token);
    return {};
  }
}
