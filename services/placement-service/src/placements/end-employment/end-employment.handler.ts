import { Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { UnknownEntity } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { Database } from '@skills/postgres';
import { placementAggregate, placementStreamId } from '../placement.aggregate';
import { placementIntegrationEvents } from '../placement-messages';
import { EndEmploymentDto } from './end-employment.dto';

@Injectable()
export class EndEmploymentHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly database: Database,
  ) {}

  async execute(employmentId: string, body: EndEmploymentDto, caller: Caller): Promise<{ employmentId: string; endDate: string }> {
    // An employment lives in the stream of the placement that hired it: the index says which.
    const { rows } = await this.database.query<{ placement_id: string }>('SELECT placement_id FROM employment_index WHERE employment_id = $1', [employmentId]);
    if (!rows[0]) throw new UnknownEntity('employment', employmentId);
    await this.commands.handle({
      stream: mustExist(placementStreamId(rows[0].placement_id), 'employment', employmentId),
      aggregate: placementAggregate,
      command: { type: 'EndEmployment', employmentId, endDate: body.endDate, reason: body.reason, by: actorOf(caller) },
      // The trainee may be hired by this employer again, from the end date on; the period is kept for
      // hires dated before it.
      inTransaction: async (tx) => {
        await tx.query('DELETE FROM active_employments WHERE employment_id = $1', [employmentId]);
        await tx.query('UPDATE employment_periods SET end_date = $2 WHERE employment_id = $1', [employmentId, body.endDate]);
      },
      integrationEvents: placementIntegrationEvents,
    });
    return { employmentId, endDate: body.endDate };
  }
}
