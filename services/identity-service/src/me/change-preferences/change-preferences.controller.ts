import { Body, Controller, Put } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { PreferencesAnswer } from '../../identity-answers';
import { ChangePreferencesDto } from './change-preferences.dto';
import { ChangePreferencesHandler } from './change-preferences.handler';

@ApiTags('identity')
@Controller('api/v1/me/preferences')
export class ChangePreferencesController {
  constructor(private readonly handler: ChangePreferencesHandler) {}

  @Put()
  @ApiOperation({
    summary: 'Change my preferences',
    description: "The caller's own console language and elder mode, kept with their user so they follow them to another device. A field left out stays as it was; the same values again record nothing, except as the user's first choice (`preferencesChosen` in GET /api/v1/me).",
  })
  @Permission('me:preferences')
  @ApiOkResponse({ type: PreferencesAnswer, description: '{locale, elderMode}: the preferences after the change' })
  @ApiConflictResponse({ description: 'user_disabled' })
  @ApiNotFoundResponse({ description: 'The token names no user of this platform (a user of an external OpenID Connect issuer)' })
  change(@Body() body: ChangePreferencesDto, @CurrentCaller() caller: Caller) {
    return this.handler.execute(body, caller);
  }
}
