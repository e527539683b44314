import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';

@ApiTags('identity')
@Controller('api/v1/me')
export class GetMeController {
  @Get()
  @Permission('me:read')
  @ApiOkResponse({ description: '{userId, username, role, orgAdmin, organisationId, organisationKind, traineeId, regionCode}' })
  me(@CurrentCaller() caller: Caller) {
    const { userId, username, role, orgAdmin, organisationId, organisationKind, traineeId, regionCode } = caller;
    return { userId, username, role, orgAdmin, organisationId, organisationKind, traineeId, regionCode };
  }
}
