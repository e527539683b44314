import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission, UuidParam } from '@skills/service-runtime';
import { ConfirmTotpDto } from './confirm-totp.dto';
import { ConfirmTotpHandler } from './confirm-totp.handler';
import { TotpConfirmedAnswer } from '../../identity-answers';
import { SessionInForce } from '../session-in-force';

@ApiTags('identity')
@Controller('api/v1/users/:id/totp/confirm')
export class ConfirmTotpController {
  constructor(private readonly handler: ConfirmTotpHandler) {}

  @Post()
  @ApiOperation({ summary: 'Confirm a second factor', description: 'Confirms the enrolled TOTP secret with a current code; from then on the password grant needs it.' })
  @Permission('users:totp')
  @SessionInForce()
  @HttpCode(200)
  @ApiOkResponse({ type: TotpConfirmedAnswer, description: '{id, totp: confirmed}; from now on the password grant needs `totp`' })
  @ApiBadRequestResponse({ description: 'totp_code_invalid (field code)' })
  @ApiConflictResponse({ description: 'totp_not_enrolled, totp_already_enrolled, user_disabled' })
  @ApiNotFoundResponse({ description: 'No user with this id' })
  confirm(@UuidParam('id') userId: string, @Body() body: ConfirmTotpDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(userId, body, caller);
  }
}
