import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { MeAnswer } from '../identity-answers';
import { Users } from '../users/users';

@ApiTags('identity')
@Controller('api/v1/me')
export class GetMeController {
  constructor(private readonly users: Users) {}

  @Get()
  @ApiOperation({ summary: 'Who am I', description: 'The caller as the access token names them: user, role, organisation and its region, trainee; and their preferences as last saved, and whether they ever chose them (a user who never did is shown the language and mode chosen before signing in, which the console then saves with them).' })
  @Permission('me:read')
  @ApiOkResponse({ type: MeAnswer, description: '{userId, username, role, orgAdmin, organisationId, organisationKind, traineeId, regionCode, preferences: {locale, elderMode}, preferencesChosen, passwordChangeRequired}' })
  async me(@CurrentCaller() caller: Caller) {
    const { userId, username, role, orgAdmin, organisationId, organisationKind, traineeId, regionCode } = caller;
    const { preferences, chosen } = await this.users.preferenceChoiceOf(userId);
    // As the token says, which is what every service judges by: a token of before the change still is refused, until the next sign-in.
    // The enrolment-only token carries no claim (it must enrol the second factor before the user can sign in to change the
    // password) and does nothing but enrol whatever it is told: for it, the user's own state.
    const passwordChangeRequired = caller.passwordChangeRequired === true || (caller.purpose === 'totp_enrolment' && (await this.users.byId(userId))?.passwordChangeRequired === true);
    return { userId, username, role, orgAdmin, organisationId, organisationKind, traineeId, regionCode, preferences, preferencesChosen: chosen, passwordChangeRequired };
  }
}
