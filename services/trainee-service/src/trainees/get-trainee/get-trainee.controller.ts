import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Caller } from '@skills/contracts';
import { CurrentCaller, Permission } from '@skills/service-runtime';
import { TraineeAnswers } from '../trainee-answer';
import { TraineeReaders } from '../trainee-readers';

@ApiTags('trainees')
@Controller('api/v1/trainees')
export class GetTraineeController {
  constructor(
    private readonly trainees: TraineeAnswers,
    private readonly readers: TraineeReaders,
  ) {}

  @Get(':id')
  @Permission('trainees:read')
  @ApiOkResponse({ description: 'The trainee, identity number masked; name, identity number and phone are null once erased' })
  @ApiNotFoundResponse({ description: 'No trainee with this id that the caller may read (the trainee, a related organisation, platform_admin)' })
  async get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentCaller() caller: Caller) {
    const trainee = await this.trainees.find(id);
    await this.readers.assertMayRead(caller, id);
    return trainee;
  }
}
