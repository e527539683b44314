import { Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { existing, UnknownEntity } from '@skills/domain-kernel';
import { CommandPipeline, mustExist, UniqueClaim } from '@skills/event-sourcing';
import { CERTIFICATION_TOPIC } from '@skills/contracts';
import { CatchUp, TraineeReplica } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { TraineeLevels } from '../../replicas/trainee-levels';
import { HireTrainee, placementAggregate, placementStreamId } from '../placement.aggregate';
import { placementIntegrationEvents } from '../placement-messages';
import { HireTraineeDto } from './hire-trainee.dto';

/** One active employment per trainee and employer: the claim decides between concurrent hires at other placements. */
const activeEmploymentClaim = (traineeId: string, employerId: string, employmentId: string): UniqueClaim => ({
  table: 'active_employments',
  key: { trainee_id: traineeId, employer_id: employerId },
  holder: { column: 'employment_id', id: employmentId },
  rule: 'already_employed_by_employer',
  detail: 'the trainee already holds an active employment at this employer',
  context: { traineeId },
});

@Injectable()
export class HireTraineeHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly trainees: TraineeReplica,
    private readonly levels: TraineeLevels,
    private readonly catchUp: CatchUp,
  ) {}

  async execute(placementId: string, body: HireTraineeDto, caller: Caller): Promise<{ employmentId: string }> {
    const { traineeId, startDate, monthlyWage } = body;
    const trainee = await this.trainees.waitFor(traineeId);
    if (!trainee) throw new UnknownEntity('trainee', traineeId);
    const underWorkingAge = TraineeReplica.underWorkingAge(trainee, startDate);
    // A minimum level is judged on certification's facts: every certificate and revocation accepted
    // before this hire arrived is applied first (a worker certified a moment ago can be hired).
    const { minLevel } = existing(await this.commands.existing(mustExist(placementStreamId(placementId), 'placement', placementId), placementAggregate), 'placement').placement;
    const basedOnFacts = minLevel ? await this.catchUp.facts([CERTIFICATION_TOPIC]) : undefined;
    const employmentId = randomUUID();
    await this.commands.handle({
      stream: mustExist(placementStreamId(placementId), 'placement', placementId),
      aggregate: placementAggregate,
      command: async (placement, tx): Promise<HireTrainee> => {
        const { employerId, occupationCode } = existing(placement, 'placement').placement;
        const traineeLevel = await this.levels.levelIn(traineeId, occupationCode, tx);
        const active = await tx.query('SELECT 1 FROM active_employments WHERE trainee_id = $1 AND employer_id = $2', [traineeId, employerId]);
        return { type: 'HireTrainee', employmentId, traineeId, startDate, monthlyWage, traineeLevel, activeAtEmployer: (active.rowCount ?? 0) > 0, underWorkingAge, basedOnFacts, by: actorOf(caller) };
      },
      // Keyed by the placement's employer, known once the stream is loaded.
      claims: (placement) => [activeEmploymentClaim(traineeId, existing(placement, 'placement').placement.employerId, employmentId)],
      inTransaction: async (tx) => {
        await tx.query('INSERT INTO employment_index (employment_id, placement_id) VALUES ($1, $2)', [employmentId, placementId]);
      },
      integrationEvents: placementIntegrationEvents,
    });
    return { employmentId };
  }
}
