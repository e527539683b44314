import { Injectable } from '@nestjs/common';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { TraineeVoidedFollowUp } from '@skills/service-runtime';
import { PoolClient } from 'pg';
import { courseAggregate, courseStreamId } from '../course.aggregate';
import { courseIntegrationEvents } from '../course-messages';

/**
 * A registration trainee-service voided may have been enrolled here in the moment before the void reached
 * this service (the two services cannot share a lock): each course that enrolled them frees the seats of
 * their enrolments without a result (WithdrawVoidedTrainee), published as withdrawals as a school's are.
 * Run by the trainee replica in the transaction that forgets the trainee (traineeReplicaFor `onVoided`):
 * an enrolment is either committed before, and found here, or judged after, and refused as unknown.
 */
@Injectable()
export class WithdrawVoidedEnrolments implements TraineeVoidedFollowUp {
  constructor(private readonly commands: CommandPipeline) {}

  async afterVoided(tx: PoolClient, traineeId: string): Promise<void> {
    // Found in the log itself, not the rosters' read model, which may not hold an enrolment committed a moment ago.
    const { rows } = await tx.query<{ course_id: string; trainee_id: string }>(
      `SELECT DISTINCT data->>'courseId' AS course_id, data->>'traineeId' AS trainee_id
         FROM events WHERE event_type = 'TraineeEnrolled' AND lower(data->>'traineeId') = lower($1)
        ORDER BY 1`,
      [traineeId],
    );
    for (const { course_id: courseId, trainee_id: enrolledAs } of rows) {
      // Every course, also one with nothing to withdraw: its lock, held to the commit, is what keeps a result
      // for the trainee (RecordAssessment, judged under it) from coming between. Never skip one.
      await this.commands.handleInTransaction(tx, {
        stream: mustExist(courseStreamId(courseId), 'course', courseId),
        aggregate: courseAggregate,
        command: { type: 'WithdrawVoidedTrainee', traineeId: enrolledAs },
        integrationEvents: courseIntegrationEvents,
      });
    }
  }
}
