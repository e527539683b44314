import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DisableUserHandler } from './disable-user.handler';

@ApiTags('identity')
@Controller('api/v1/users/:id/disable')
export class DisableUserController {
  constructor(private readonly handler: DisableUserHandler) {}

  @Post()
  @Permission('users:disable')
  @HttpCode(200)
  @ApiOkResponse({ description: '{id, status: disabled}; the user can no longer sign in and their sessions end' })
  @ApiConflictResponse({ description: 'user_already_disabled' })
  @ApiNotFoundResponse({ description: 'No user with this id' })
  disable(@Param('id', new ParseUUIDPipe()) userId: string, @CurrentCaller() caller: Caller) {
    return this.handler.execute(userId, caller);
  }
}
