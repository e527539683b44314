import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { PreferencesAnswer } from '../identity-answers';
import { Users } from '../users/users';

@ApiTags('identity')
@Controller('api/v1/me/preferences')
export class GetPreferencesController {
  constructor(private readonly users: Users) {}

  @Get()
  @ApiOperation({ summary: 'My preferences', description: "The caller's console language and elder mode, as last saved on any device; zh-CN and off until they choose." })
  @Permission('me:read')
  @ApiOkResponse({ type: PreferencesAnswer, description: '{locale, elderMode}' })
  preferences(@CurrentCaller() caller: Caller) {
    return this.users.preferencesOf(caller.userId);
  }
}
