import { Injectable } from '@nestjs/common';
import { UnknownEntity } from '@skills/domain-kernel';
import { CommandHandler, Database, isUniqueViolation } from '@skills/event-sourcing';
import { ConflictProblem, currentCorrelation } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { TraineeFacts } from '../../replicas/trainees';
import { placementAggregate, placementStreamId } from '../placement.aggregate';
import { placementIntegrationEvents } from '../placement-messages';
import { HireTraineeDto } from './hire-trainee.dto';

@Injectable()
export class HireTraineeHandler {
  constructor(
    private readonly commands: CommandHandler,
    private readonly database: Database,
    private readonly trainees: TraineeFacts,
  ) {}

  async execute(placementId: string, body: HireTraineeDto): Promise<{ employmentId: string }> {
    const { state } = await this.commands.load(placementStreamId(placementId), placementAggregate);
    if (state.status === 'unknown') throw new UnknownEntity('placement', placementId);
    if (!(await this.trainees.waitUntilKnown(body.traineeId))) throw new UnknownEntity('trainee', body.traineeId);
    const { employerId, occupationCode } = state.placement;
    const traineeLevel = await this.trainees.levelIn(body.traineeId, occupationCode);
    const { rowCount } = await this.database.query('SELECT 1 FROM active_employments WHERE trainee_id = $1 AND employer_id = $2', [body.traineeId, employerId]);
    const employmentId = randomUUID();
    try {
      await this.commands.handle({
        streamId: placementStreamId(placementId),
        aggregate: placementAggregate,
        command: { type: 'HireTrainee', employmentId, ...body, traineeLevel, activeAtEmployer: (rowCount ?? 0) > 0 },
        metadata: currentCorrelation(),
        // The claim decides between concurrent hires of one trainee at one employer (other placements).
        inTransaction: async (tx) => {
          await tx.query('INSERT INTO employment_index (employment_id, placement_id) VALUES ($1, $2)', [employmentId, placementId]);
          await tx.query('INSERT INTO active_employments (trainee_id, employer_id, employment_id) VALUES ($1, $2, $3)', [body.traineeId, employerId, employmentId]);
        },
        integrationEvents: placementIntegrationEvents,
      });
    } catch (error) {
      if (!isUniqueViolation(error, 'active_employments_pkey')) throw error;
      throw new ConflictProblem('already_employed_by_employer', 'the trainee already holds an active employment at this employer', { traineeId: body.traineeId });
    }
    return { employmentId };
  }
}
