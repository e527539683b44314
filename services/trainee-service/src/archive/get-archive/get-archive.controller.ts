import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Database } from '@skills/postgres';
import { type Caller, CERTIFICATION_TOPIC, PLACEMENT_TOPIC, TRAINING_TOPIC } from '@skills/contracts';
import { ProjectionRunner } from '@skills/event-sourcing';
import { answerFreshness, ApiWaitsForFacts, AuditTrail, CatchUp, ConsistentQuery, CurrentCaller, FRESHNESS_HEADERS, isConsistent, Permission, TraineeRelations, UuidParam } from '@skills/service-runtime';
import { Response } from 'express';
import { traineeStreamId } from '../../trainees/trainee.aggregate';
import { TraineeAnswers } from '../../trainees/trainee-answer';
import { ArchiveAnswer } from '../../trainee-answers';

@ApiTags('trainees')
@Controller('api/v1/trainees/:id/archive')
export class GetArchiveController {
  constructor(
    private readonly trainees: TraineeAnswers,
    private readonly database: Database,
    private readonly relations: TraineeRelations,
    private readonly audit: AuditTrail,
    private readonly catchUp: CatchUp,
    private readonly projections: ProjectionRunner,
  ) {}

  /** Entries in business-date order; facts of the same day in the order they were recorded here. */
  @Get()
  @ApiOperation({ summary: 'A trainee\'s archive', description: 'The trainee and every fact of their training, certification and employment, in business-date order.' })
  @Permission('trainees:read-archive')
  @ApiWaitsForFacts("With ?consistent=true: training's, certification's and placement's facts")
  @ApiOkResponse({ type: ArchiveAnswer, description: '{trainee, entries: [{at, kind, ...}]}: enrolled, withdrew, assessed, certified, certificate_revoked, hired, employment_ended; and its freshness', headers: FRESHNESS_HEADERS })
  @ApiNotFoundResponse({ description: 'No trainee with this id that the caller may read (the trainee, a related organisation, platform_admin)' })
  async get(@UuidParam('id') traineeId: string, @Query() query: ConsistentQuery, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) response: Response) {
    const trainee = await this.trainees.find(traineeId);
    await this.relations.assertMayRead(caller, traineeId);
    // The answer carries the trainee in full: audited like a read of the trainee.
    await this.audit.read(caller, 'trainees:read-archive', traineeStreamId(traineeId));
    // Entries come from training's, certification's and placement's topics, and this service's own projection.
    const freshness = await this.catchUp.forRead(isConsistent(query), [TRAINING_TOPIC, CERTIFICATION_TOPIC, PLACEMENT_TOPIC], this.projections);
    answerFreshness(response, freshness);
    const { rows } = await this.database.query<{ at: string; kind: string; context: string; details: Record<string, unknown> }>(
      `SELECT to_char(at, 'YYYY-MM-DD') AS at, kind, context, details FROM trainee_archive
       WHERE trainee_id = $1 ORDER BY at, recorded_position`,
      [traineeId],
    );
    return { trainee, entries: rows.map(({ at, kind, context, details }) => ({ at, kind, context, ...details })), freshness };
  }
}
