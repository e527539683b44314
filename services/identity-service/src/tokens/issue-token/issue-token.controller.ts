import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { clientAddressOf, Public } from '@skills/service-runtime';
import { Request, Response } from 'express';
import { IssueTokenDto } from './issue-token.dto';
import { IssueTokenHandler, TokenAnswer } from './issue-token.handler';
import { TokenAnswerDoc } from '../../identity-answers';

@ApiTags('identity')
@Controller('oauth/token')
export class IssueTokenController {
  constructor(private readonly handler: IssueTokenHandler) {}

  @Post()
  @ApiOperation({ summary: 'Issue an access token', description: 'OAuth 2.0 token endpoint: password (with totp when enrolled), refresh_token and client_credentials grants, as JSON or a form.' })
  @Public()
  @HttpCode(200)
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiOkResponse({ type: TokenAnswerDoc, description: '{access_token, token_type: Bearer, expires_in, refresh_token?}' })
  @ApiBadRequestResponse({ description: 'An unknown grant_type, or a field the grant needs is missing' })
  @ApiUnauthorizedResponse({
    description:
      'invalid_grant (wrong username or password, a wrong or used second-factor code, a used or expired refresh token (a used one presented again ends its whole session, both holders), a session past its 12 hours or opened before the password changed, a disabled user’s refresh) or invalid_client (an unknown or revoked key, a wrong secret, a disabled user, or a key whose user’s role may not make keys: a platform admin’s); after the right password only: totp_required (send the code as totp), totp_enrolment_required (REQUIRE_TOTP_ROLES) or account_closed (the user is disabled: ask whoever manages it)',
  })
  @ApiTooManyRequestsResponse({
    description: 'too_many_sign_ins: too many failed sign-ins from this address, for this username at this address, or for this username from an address its user has not signed in from (Retry-After)',
  })
  async issue(@Body() body: IssueTokenDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<TokenAnswer> {
    // Tokens are credentials: no cache may keep them (RFC 6749 section 5.1).
    response.setHeader('Cache-Control', 'no-store');
    return this.handler.execute(body, clientAddressOf(request));
  }
}
