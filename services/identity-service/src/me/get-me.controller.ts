import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { MeAnswer } from '../identity-answers';

@ApiTags('identity')
@Controller('api/v1/me')
export class GetMeController {
  @Get()
  @ApiOperation({ summary: 'Who am I', description: 'The caller as the access token names them: user, role, organisation and its region, trainee.' })
  @Permission('me:read')
  @ApiOkResponse({ type: MeAnswer, description: '{userId, username, role, orgAdmin, organisationId, organisationKind, traineeId, regionCode}' })
  me(@CurrentCaller() caller: Caller) {
    const { userId, username, role, orgAdmin, organisationId, organisationKind, traineeId, regionCode } = caller;
    return { userId, username, role, orgAdmin, organisationId, organisationKind, traineeId, regionCode };
  }
}
