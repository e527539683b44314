import { Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission, UuidParam } from '@skills/service-runtime';
import { EnrolTotpHandler } from './enrol-totp.handler';
import { TotpEnrolmentAnswer } from '../../identity-answers';

@ApiTags('identity')
@Controller('api/v1/users/:id/totp')
export class EnrolTotpController {
  constructor(private readonly handler: EnrolTotpHandler) {}

  @Post()
  @ApiOperation({ summary: 'Enrol a second factor', description: 'Creates a TOTP secret, shown this once, to add to an authenticator app and confirm with a code.' })
  @Permission('users:totp')
  @ApiCreatedResponse({ type: TotpEnrolmentAnswer, description: '{secret, otpauthUri}, answered once: add it to an authenticator app, then confirm with a code' })
  @ApiConflictResponse({ description: 'totp_already_enrolled, user_disabled' })
  @ApiNotFoundResponse({ description: 'No user with this id' })
  enrol(@UuidParam('id') userId: string, @CurrentCaller() caller: Caller) {
    return this.handler.execute(userId, caller);
  }
}
