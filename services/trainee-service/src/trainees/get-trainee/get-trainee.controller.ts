import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { maskIdentityNumber, UnknownEntity } from '@skills/domain-kernel';
import { CommandHandler } from '@skills/event-sourcing';
import { traineeAggregate, traineeStreamId } from '../trainee.aggregate';

@ApiTags('trainees')
@Controller('api/v1/trainees')
export class GetTraineeController {
  constructor(private readonly commands: CommandHandler) {}

  /** Answered from the trainee's own stream, so a read right after registering sees it. */
  @Get(':id')
  @ApiOkResponse({ description: 'The trainee, identity number masked' })
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    const { state } = await this.commands.load(traineeStreamId(id), traineeAggregate);
    if (state.status !== 'registered') throw new UnknownEntity('trainee', id);
    const { profile } = state;
    return {
      id,
      name: profile.name,
      idNumberMasked: maskIdentityNumber(profile.idNumber),
      birthDate: profile.birthDate,
      gender: profile.gender,
      phone: profile.phone,
      regionCode: profile.regionCode,
      categories: profile.categories,
    };
  }
}
