import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { ApiWaitsForFacts, CurrentCaller, IdAnswer, Permission } from '@skills/service-runtime';
import { CreateUserDto } from './create-user.dto';
import { CreateUserHandler } from './create-user.handler';
import { SessionInForce } from '../session-in-force';

@ApiTags('identity')
@Controller('api/v1/users')
export class CreateUserController {
  constructor(private readonly handler: CreateUserHandler) {}

  @Post()
  @ApiOperation({ summary: 'Create a user', description: 'A staff user of the caller\'s organisation when it administers it (orgAdmin), of a provider, evaluator or employer in its region for a bureau officer, of any for a platform admin; with a role the organisation\'s kind allows.' })
  @Permission('users:create')
  @SessionInForce()
  @ApiCreatedResponse({ type: IdAnswer, description: '{id}' })
  @ApiConflictResponse({ description: 'username_taken (not whose: a username is often a phone number)' })
  @ApiWaitsForFacts('An organisation the register does not hold yet: the organisations registered on the other services', { deadLetters: "the organisation's registration" })
  create(@Body() body: CreateUserDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(body, caller);
  }
}
