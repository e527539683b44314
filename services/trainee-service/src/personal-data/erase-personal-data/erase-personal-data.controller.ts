import { Controller, Delete, HttpCode } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { ApiRecentSignIn, CurrentCaller, CurrentTokenSession, Permission, TokenSession, UuidParam } from '@skills/service-runtime';
import { ErasePersonalDataHandler } from './erase-personal-data.handler';

@ApiTags('trainees')
@Controller('api/v1/trainees/:id/personal-data')
export class ErasePersonalDataController {
  constructor(private readonly handler: ErasePersonalDataHandler) {}

  @Delete()
  @ApiOperation({
    summary: 'Erase personal data',
    description:
      'PIPL article 47: name, identity number, phone and what derives from them are erased; counts, levels and the archive stay. It cannot be undone: only with a token of a sign-in of the last 10 minutes (its auth_time), by the trainee or a platform admin alike, and never with an API key.',
  })
  @Permission('trainees:erase-personal-data')
  // Joined with the permission's own 403 in the document.
  @ApiRecentSignIn()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Name, identity number and phone are erased; counts, levels and the archive stay. Repeating it changes nothing.' })
  @ApiNotFoundResponse({ description: 'No trainee with this id, or another trainee than the caller (answered alike)' })
  async erase(@UuidParam('id') traineeId: string, @CurrentCaller() caller: Caller, @CurrentTokenSession() session: TokenSession): Promise<void> {
    await this.handler.execute(traineeId, caller, session);
  }
}
