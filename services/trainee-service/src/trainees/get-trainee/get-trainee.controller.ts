import { Controller, Get, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '@skills/contracts';
import { ApiWaitsForFacts, AuditTrail, ConsistentQuery, CurrentCaller, isConsistent, Permission, RELATING_FACTS, TraineeRelations, UuidParam } from '@skills/service-runtime';
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
  @ApiWaitsForFacts(`With ?consistent=true only, ${RELATING_FACTS},`, { deadLetters: 'the facts that relate organisations to the trainee' })
  @ApiOkResponse({ type: TraineeAnswerDoc, description: 'The trainee, identity number masked; name, identity number and phone are null once erased' })
  @ApiNotFoundResponse({ description: 'No trainee with this id that the caller may read (the trainee, a related organisation, platform_admin); with ?consistent=true, judged once the facts relating organisations to trainees have caught up' })
  async get(@UuidParam('id') id: string, @Query() query: ConsistentQuery, @CurrentCaller() caller: Caller) {
    const trainee = await this.trainees.find(id);
    // The trainee is read from their own stream, always current; what relates the caller to them (an
    // enrolment, a certification, a hire) comes from other services' topics. With ?consistent=true a
    // caller not related yet is refused only once those have caught up: an employer who has just hired
    // someone reads their name.
    await (isConsistent(query) ? this.relations.assertMayReadCaughtUp(caller, id) : this.relations.assertMayRead(caller, id));
    await this.audit.read(caller, 'trainees:read', traineeStreamId(id));
    return trainee;
  }
}
