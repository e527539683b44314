import { Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { EnrolTotpHandler } from './enrol-totp.handler';

@ApiTags('identity')
@Controller('api/v1/users/:id/totp')
export class EnrolTotpController {
  constructor(private readonly handler: EnrolTotpHandler) {}

  @Post()
  @Permission('users:totp')
  @ApiCreatedResponse({ description: '{secret, otpauthUri}, answered once: add it to an authenticator app, then confirm with a code' })
  @ApiConflictResponse({ description: 'totp_already_enrolled, user_disabled' })
  @ApiNotFoundResponse({ description: 'No user with this id' })
  enrol(@Param('id', new ParseUUIDPipe()) userId: string, @CurrentCaller() caller: Caller) {
    return this.handler.execute(userId, caller);
  }
}
