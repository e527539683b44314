import { Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { existing, UnknownEntity } from '@skills/domain-kernel';
import { CommandPipeline, mustExist, UniqueClaim } from '@skills/event-sourcing';
import { CERTIFICATION_TOPIC } from '@skills/contracts';
import { Sql } from '@skills/postgres';
import { CatchUp, FactsParked, KnownTrainee, NOT_REGISTERED, TraineeAges, TraineeReplica } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { TraineeLevels } from '../../replicas/trainee-levels';
import { HireTrainee, mustBeStaffOf, OverlappingEmployment, placementAggregate, placementStreamId } from '../placement.aggregate';
import { placementIntegrationEvents } from '../placement-messages';
import { HireTraineeDto } from './hire-trainee.dto';

/**
 * One open employment per trainee and employer: the claim decides between concurrent hires at other
 * placements (two open employments always overlap). Ended ones are judged by their dates (employment_periods).
 */
const activeEmploymentClaim = (traineeId: string, employerId: string, employmentId: string): UniqueClaim => ({
  table: 'active_employments',
  key: { trainee_id: traineeId, employer_id: employerId },
  holder: { column: 'employment_id', id: employmentId },
  rule: 'already_employed_by_employer',
  detail: 'the trainee already holds an active employment at this employer',
  context: { traineeId },
});

/** An employment at the employer that overlaps one open-ended from `startDate`: no end, or an end after it. */
async function overlappingAt(sql: Sql, traineeId: string, employerId: string, startDate: string): Promise<OverlappingEmployment | null> {
  const { rows } = await sql.query<OverlappingEmployment>(
    `SELECT employment_id AS "employmentId", to_char(start_date, 'YYYY-MM-DD') AS "startDate", to_char(end_date, 'YYYY-MM-DD') AS "endDate"
     FROM employment_periods WHERE trainee_id = $1 AND employer_id = $2 AND (end_date IS NULL OR end_date > $3::date)
     ORDER BY start_date LIMIT 1`,
    [traineeId, employerId, startDate],
  );
  return rows[0] ?? null;
}

@Injectable()
export class HireTraineeHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly trainees: TraineeReplica,
    private readonly levels: TraineeLevels,
    private readonly ages: TraineeAges,
    private readonly catchUp: CatchUp,
  ) {}

  async execute(placementId: string, body: HireTraineeDto, caller: Caller): Promise<{ employmentId: string }> {
    const { traineeId, startDate, monthlyWage } = body;
    // Who may hire here is judged first (the placement decides it again): another employer's staff learn
    // nothing of the trainee (404 or not), nor make this service wait for facts or ask trainee-service.
    const { minLevel, employerId: placementEmployer } = existing(await this.commands.existing(mustExist(placementStreamId(placementId), 'placement', placementId), placementAggregate), 'placement').placement;
    mustBeStaffOf(placementEmployer, actorOf(caller), 'placements:hire');
    const trainee = await this.trainees.findCaughtUp(traineeId);
    if (!trainee) throw new UnknownEntity('trainee', traineeId);
    const underWorkingAge = await this.underWorkingAgeOn(trainee, startDate);
    // A minimum level is judged on certification's facts: every certificate and revocation accepted
    // before this hire arrived is applied first (a worker certified a moment ago can be hired).
    const basedOnFacts = minLevel ? await this.catchUp.facts([CERTIFICATION_TOPIC]) : undefined;
    const employmentId = randomUUID();
    await this.commands.handle({
      stream: mustExist(placementStreamId(placementId), 'placement', placementId),
      aggregate: placementAggregate,
      command: async (placement, tx): Promise<HireTrainee> => {
        const { employerId, occupationCode, minLevel: needsLevel } = existing(placement, 'placement').placement;
        // Dated on or before the start date, and standing now (one revoked since counts for nothing).
        const { level: traineeLevel, factsParked } = await this.levels.forDecisionOn(traineeId, occupationCode, startDate, tx);
        // A minimum level is not judged on certificates one of whose facts could not be applied here.
        if (needsLevel && factsParked) throw new FactsParked(`trainee ${traineeId}'s certificates from certification-service`);
        const overlappingAtEmployer = await overlappingAt(tx, traineeId, employerId, startDate);
        return { type: 'HireTrainee', employmentId, traineeId, startDate, monthlyWage, traineeLevel, overlappingAtEmployer, underWorkingAge, basedOnFacts, by: actorOf(caller) };
      },
      // Keyed by the placement's employer, known once the stream is loaded.
      claims: (placement) => [activeEmploymentClaim(traineeId, existing(placement, 'placement').placement.employerId, employmentId)],
      inTransaction: async (tx, _recorded, placement) => {
        const { employerId } = existing(placement, 'placement').placement;
        await tx.query('INSERT INTO employment_index (employment_id, placement_id) VALUES ($1, $2)', [employmentId, placementId]);
        await tx.query('INSERT INTO employment_periods (employment_id, trainee_id, employer_id, start_date) VALUES ($1, $2, $3, $4)', [employmentId, traineeId, employerId, startDate]);
      },
      integrationEvents: placementIntegrationEvents,
    });
    return { employmentId };
  }

  /**
   * trainee-service is asked how old the trainee was on the start date, and whether it still holds the
   * registration: none there (voided a moment ago, the replica not told yet) is an unknown trainee. Its
   * answer decides (it holds the birth date as corrected now; of an erased minor, their 16th birthday until it
   * comes). Without one (an erased adult, or an erased minor 16 since, or no registry to ask) the replica's 16th
   * birthday does: it knows one only for someone under 16 on the day of registration, and none once erased.
   */
  private async underWorkingAgeOn(trainee: KnownTrainee, startDate: string): Promise<boolean> {
    // Asked at every hire: trainee-service knows a registration voided a moment ago before the replica does.
    const age = await this.ages.ageOn(trainee.traineeId, startDate);
    if (age === NOT_REGISTERED) throw new UnknownEntity('trainee', trainee.traineeId);
    if (age !== undefined) return age === 'under_working_age' || age === 'not_yet_born';
    // No answer: the replica's 16th birthday, exact from the registration day on.
    return TraineeReplica.underWorkingAge(trainee, startDate);
  }
}
