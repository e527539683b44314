import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { ConfirmTotpDto } from './confirm-totp.dto';
import { ConfirmTotpHandler } from './confirm-totp.handler';

@ApiTags('identity')
@Controller('api/v1/users/:id/totp/confirm')
export class ConfirmTotpController {
  constructor(private readonly handler: ConfirmTotpHandler) {}

  @Post()
  @Permission('users:totp')
  @HttpCode(200)
  @ApiOkResponse({ description: '{id, totp: confirmed}; from now on the password grant needs `totp`' })
  @ApiBadRequestResponse({ description: 'totp_code_invalid (field code)' })
  @ApiConflictResponse({ description: 'totp_not_enrolled, totp_already_enrolled, user_disabled' })
  @ApiNotFoundResponse({ description: 'No user with this id' })
  confirm(@Param('id', new ParseUUIDPipe()) userId: string, @Body() body: ConfirmTotpDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(userId, body, caller);
  }
}
