import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { clientAddressOf, CurrentCaller, IdAnswer, Permission, UuidParam } from '@skills/service-runtime';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Request } from 'express';
import { ChangePasswordDto } from './change-password.dto';
import { ChangePasswordHandler } from './change-password.handler';
import { SessionInForce } from '../session-in-force';

@ApiTags('identity')
@Controller('api/v1/users/:id/password')
export class ChangePasswordController {
  constructor(private readonly handler: ChangePasswordHandler) {}

  @Post()
  @ApiOperation({
    summary: 'Change a password',
    description:
      'The user themselves, with their current password (`currentPassword`); or, as for creating and disabling users, a platform admin, a bureau officer for a user of a provider, evaluator or employer in its region (a bureau’s own users: its administrator), or an administrator (orgAdmin) of the user’s organisation, without it. Sessions signed in with the old password end.',
  })
  @Permission('users:password')
  @SessionInForce()
  @HttpCode(200)
  @ApiOkResponse({ type: IdAnswer, description: '{id}; sessions signed in with the old password end' })
  @ApiBadRequestResponse({
    description:
      'Invalid input; for one’s own password, `currentPassword` missing (rule `required`) or not the password now (rule `current_password_wrong`, counted as a failed sign-in); the new password the current one (rule `password_not_new`, field `password`); `temporaryPassword` true on one’s own (rule `own_password_not_temporary`)',
  })
  @ApiTooManyRequestsResponse({
    description: 'too_many_sign_ins: one’s own password with too many failed sign-ins (current passwords included) from this address or for this username, as at sign-in (Retry-After)',
  })
  @ApiConflictResponse({ description: 'user_disabled' })
  @ApiNotFoundResponse({ description: 'No user with this id' })
  change(@UuidParam('id') userId: string, @Body() body: ChangePasswordDto, @CurrentCaller() caller: Caller, @Req() request: Request) {
    return this.handler.execute(userId, body, caller, clientAddressOf(request));
  }
}
