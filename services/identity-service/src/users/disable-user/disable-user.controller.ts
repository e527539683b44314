import { Controller, HttpCode, Post } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission, UuidParam } from '@skills/service-runtime';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DisableUserHandler } from './disable-user.handler';
import { DisabledUserAnswer } from '../../identity-answers';

@ApiTags('identity')
@Controller('api/v1/users/:id/disable')
export class DisableUserController {
  constructor(private readonly handler: DisableUserHandler) {}

  @Post()
  @ApiOperation({ summary: 'Disable a user', description: 'The user can no longer sign in and their sessions and API keys end.' })
  @Permission('users:disable')
  @HttpCode(200)
  @ApiOkResponse({ type: DisabledUserAnswer, description: '{id, status: disabled}; the user can no longer sign in and their sessions end' })
  @ApiConflictResponse({
    description:
      'user_already_disabled; last_platform_admin (the only active platform admin: create another first); or cannot_disable_self (one’s own user: another administrator of the organisation or a platform admin disables it, so the organisation is never left without one who manages it)',
  })
  @ApiNotFoundResponse({ description: 'No user with this id' })
  disable(@UuidParam('id') userId: string, @CurrentCaller() caller: Caller) {
    return this.handler.execute(userId, caller);
  }
}
