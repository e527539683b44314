import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ChangePasswordDto } from './change-password.dto';
import { ChangePasswordHandler } from './change-password.handler';

@ApiTags('identity')
@Controller('api/v1/users/:id/password')
export class ChangePasswordController {
  constructor(private readonly handler: ChangePasswordHandler) {}

  @Post()
  @Permission('users:password')
  @HttpCode(200)
  @ApiOkResponse({ description: '{id}; sessions signed in with the old password end' })
  @ApiConflictResponse({ description: 'user_disabled' })
  @ApiNotFoundResponse({ description: 'No user with this id' })
  change(@Param('id', new ParseUUIDPipe()) userId: string, @Body() body: ChangePasswordDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(userId, body, caller);
  }
}
