import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Caller } from '@skills/contracts';
import { answerFreshness, ApiWaitsForFacts, ConsistentQuery, CurrentCaller, FRESHNESS_HEADERS, isConsistent, Permission, UuidParam } from '@skills/service-runtime';
import { Response } from 'express';
import { ArchiveAnswer } from '../../trainee-answers';
import { ArchiveReads } from '../archive-reads';

@ApiTags('trainees')
@Controller('api/v1/trainees/:id/archive')
export class GetArchiveController {
  constructor(private readonly archives: ArchiveReads) {}

  @Get()
  @ApiOperation({
    summary: "A trainee's archive",
    description:
      "The trainee and every fact of their training, certification and employment, in business-date order. A hire's `monthlyWage` and an employment end's `reason` are answered only to the trainee, platform_admin and staff of that entry's employer (`employerId`); to any other related organisation (a school, an evaluator, another employer) the entry comes without them (the fields are absent).",
  })
  @Permission('trainees:read-archive')
  @ApiWaitsForFacts("With ?consistent=true: training's, certification's and placement's facts (the archive's entries, and what relates the caller to the trainee)", { deadLetters: 'the facts that relate organisations to the trainee' })
  @ApiOkResponse({
    type: ArchiveAnswer,
    description: '{trainee, entries: [{at, kind, ...}]}: enrolled, withdrew, assessed, certified, certificate_revoked, hired (monthlyWage only to the parties to it), employment_ended (reason only to the parties to it); and its freshness',
    headers: FRESHNESS_HEADERS,
  })
  @ApiNotFoundResponse({ description: 'No trainee with this id that the caller may read (the trainee, a related organisation, platform_admin)' })
  async get(@UuidParam('id') traineeId: string, @Query() query: ConsistentQuery, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) response: Response) {
    const archive = await this.archives.read(caller, traineeId, isConsistent(query));
    answerFreshness(response, archive.freshness);
    return archive;
  }
}
