import { Controller, Delete, HttpCode, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { ErasePersonalDataHandler } from './erase-personal-data.handler';

@ApiTags('trainees')
@Controller('api/v1/trainees/:id/personal-data')
export class ErasePersonalDataController {
  constructor(private readonly handler: ErasePersonalDataHandler) {}

  @Delete()
  @Permission('trainees:erase-personal-data')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Name, identity number and phone are erased; counts, levels and the archive stay. Repeating it changes nothing.' })
  @ApiNotFoundResponse({ description: 'No trainee with this id' })
  async erase(@Param('id', new ParseUUIDPipe()) traineeId: string, @CurrentCaller() caller: Caller): Promise<void> {
    await this.handler.execute(traineeId, caller);
  }
}
