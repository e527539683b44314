import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UnknownEntity } from '@skills/domain-kernel';
import { CommandHandler, Database } from '@skills/event-sourcing';
import { currentCorrelation } from '@skills/service-runtime';
import { placementAggregate, placementStreamId } from '../placement.aggregate';
import { placementIntegrationEvents } from '../placement-messages';
import { EndEmploymentDto } from './end-employment.dto';

@ApiTags('placements')
@Controller('api/v1/employments/:id/end')
export class EndEmploymentController {
  constructor(
    private readonly commands: CommandHandler,
    private readonly database: Database,
  ) {}

  /** Active until the day before `endDate`; the trainee may then be hired by this employer again. */
  @Post()
  @HttpCode(200)
  @ApiOkResponse({ description: '{employmentId, endDate}' })
  @ApiConflictResponse({ description: 'employment_already_ended or ended_before_start' })
  @ApiNotFoundResponse({ description: 'Unknown employment' })
  async end(@Param('id', new ParseUUIDPipe()) employmentId: string, @Body() body: EndEmploymentDto) {
    const { rows } = await this.database.query<{ placement_id: string }>('SELECT placement_id FROM employment_index WHERE employment_id = $1', [employmentId]);
    if (!rows[0]) throw new UnknownEntity('employment', employmentId);
    await this.commands.handle({
      streamId: placementStreamId(rows[0].placement_id),
      aggregate: placementAggregate,
      command: { type: 'EndEmployment', employmentId, ...body },
      metadata: currentCorrelation(),
      inTransaction: (tx) => tx.query('DELETE FROM active_employments WHERE employment_id = $1', [employmentId]).then(() => undefined),
      integrationEvents: placementIntegrationEvents,
    });
    return { employmentId, endDate: body.endDate };
  }
}
