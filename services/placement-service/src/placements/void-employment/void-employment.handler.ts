import { Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { UnknownEntity } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { Database } from '@skills/postgres';
import { placementAggregate, placementStreamId } from '../placement.aggregate';
import { placementIntegrationEvents } from '../placement-messages';
import { VoidEmploymentDto } from './void-employment.dto';

/**
 * A hire recorded in error leaves the platform as if it had never been recorded: off the placement (its
 * opening free again) and its read models here, and, by EmploymentVoided, off every other service's. An
 * employment that was held and is over is ended instead (EndEmployment keeps it on record).
 */
@Injectable()
export class VoidEmploymentHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly database: Database,
  ) {}

  async execute(employmentId: string, body: VoidEmploymentDto, caller: Caller): Promise<{ employmentId: string; status: 'voided' }> {
    // The index names the placement whose stream holds the employment; a voided one it no longer names (404).
    const { rows } = await this.database.query<{ placement_id: string }>('SELECT placement_id FROM employment_index WHERE employment_id = $1', [employmentId]);
    if (!rows[0]) throw new UnknownEntity('employment', employmentId);
    await this.commands.handle({
      stream: mustExist(placementStreamId(rows[0].placement_id), 'employment', employmentId),
      aggregate: placementAggregate,
      command: { type: 'VoidEmployment', employmentId, reason: body.reason, by: actorOf(caller) },
      // Forgotten by the index (voided once, never ended after), by the claim of the open employment and
      // by the periods hires are judged against: the trainee may be hired at this employer from any date.
      inTransaction: async (tx) => {
        await tx.query('DELETE FROM employment_index WHERE employment_id = $1', [employmentId]);
        await tx.query('DELETE FROM active_employments WHERE employment_id = $1', [employmentId]);
        await tx.query('DELETE FROM employment_periods WHERE employment_id = $1', [employmentId]);
      },
      integrationEvents: placementIntegrationEvents,
    });
    return { employmentId, status: 'voided' };
  }
}
