import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Permission } from '@skills/service-runtime';
import { TraineeAnswers } from '../trainee-answer';

@ApiTags('trainees')
@Controller('api/v1/trainees')
export class GetTraineeController {
  constructor(private readonly trainees: TraineeAnswers) {}

  @Get(':id')
  @Permission('trainees:read')
  @ApiOkResponse({ description: 'The trainee, identity number masked; name, identity number and phone are null once erased' })
  @ApiNotFoundResponse({ description: 'No trainee with this id' })
  get(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.trainees.find(id);
  }
}
