import { Controller, Get } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '@skills/contracts';
import { AuditTrail, CurrentCaller, Permission, TraineeRelations, UuidParam } from '@skills/service-runtime';
import { traineeStreamId } from '../trainee.aggregate';
import { TraineeAnswers } from '../trainee-answer';
import { TraineeAnswerDoc } from '../../trainee-answers';

@ApiTags('trainees')
@Controller('api/v1/trainees')
export class GetTraineeController {
  constructor(
    private readonly trainees: TraineeAnswers,
    private readonly relations: TraineeRelations,
    private readonly audit: AuditTrail,
  ) {}

  @Get(':id')
  @ApiOperation({ summary: 'Read a trainee', description: 'The trainee with personal data (identity number masked); the read is audited.' })
  @Permission('trainees:read')
  @ApiOkResponse({ type: TraineeAnswerDoc, description: 'The trainee, identity number masked; name, identity number and phone are null once erased' })
  @ApiNotFoundResponse({ description: 'No trainee with this id that the caller may read (the trainee, a related organisation, platform_admin)' })
  async get(@UuidParam('id') id: string, @CurrentCaller() caller: Caller) {
    const trainee = await this.trainees.find(id);
    await this.relations.assertMayRead(caller, id);
    await this.audit.read(caller, 'trainees:read', traineeStreamId(id));
    return trainee;
  }
}
