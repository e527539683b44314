import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { CurrentCaller, IdAnswer, Permission, UuidParam } from '@skills/service-runtime';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChangePasswordDto } from './change-password.dto';
import { ChangePasswordHandler } from './change-password.handler';

@ApiTags('identity')
@Controller('api/v1/users/:id/password')
export class ChangePasswordController {
  constructor(private readonly handler: ChangePasswordHandler) {}

  @Post()
  @ApiOperation({
    summary: 'Change a password',
    description:
      'The user themselves; or, as for creating and disabling users, a platform admin, a bureau officer for a user of an organisation in its region, or an administrator (orgAdmin) of the user’s organisation. Sessions signed in with the old password end.',
  })
  @Permission('users:password')
  @HttpCode(200)
  @ApiOkResponse({ type: IdAnswer, description: '{id}; sessions signed in with the old password end' })
  @ApiConflictResponse({ description: 'user_disabled' })
  @ApiNotFoundResponse({ description: 'No user with this id' })
  change(@UuidParam('id') userId: string, @Body() body: ChangePasswordDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(userId, body, caller);
  }
}
