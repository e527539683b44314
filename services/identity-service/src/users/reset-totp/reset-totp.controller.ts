import { Controller, Delete, HttpCode } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission, UuidParam } from '@skills/service-runtime';
import { ResetTotpHandler } from './reset-totp.handler';
import { TotpResetAnswer } from '../../identity-answers';
import { SessionInForce } from '../session-in-force';

@ApiTags('identity')
@Controller('api/v1/users/:id/totp')
export class ResetTotpController {
  constructor(private readonly handler: ResetTotpHandler) {}

  @Delete()
  @ApiOperation({
    summary: 'Reset a second factor',
    description:
      'For a user who lost their authenticator: the TOTP secret is deleted and their sessions end; they sign in with the password alone (or, where REQUIRE_TOTP_ROLES asks one of them, enrol another first). A platform admin, never the user themself: whoever manages a user may also set their password, and with both could enrol a second factor of their own.',
  })
  @Permission('users:totp-reset')
  @SessionInForce()
  @HttpCode(200)
  @ApiOkResponse({ type: TotpResetAnswer, description: '{id, totp: none}' })
  @ApiConflictResponse({ description: 'totp_not_enrolled: the user has no second factor' })
  @ApiNotFoundResponse({ description: 'No user with this id' })
  reset(@UuidParam('id') userId: string, @CurrentCaller() caller: Caller) {
    return this.handler.execute(userId, caller);
  }
}
