import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { CreateUserDto } from './create-user.dto';
import { CreateUserHandler } from './create-user.handler';

@ApiTags('identity')
@Controller('api/v1/users')
export class CreateUserController {
  constructor(private readonly handler: CreateUserHandler) {}

  @Post()
  @Permission('users:create')
  @ApiCreatedResponse({ description: '{id}' })
  @ApiConflictResponse({ description: 'username_taken (with existingId)' })
  create(@Body() body: CreateUserDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(body, caller);
  }
}
