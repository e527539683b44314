import { Injectable } from '@nestjs/common';
import { PLACEMENT_TOPIC } from '@skills/contracts';
import { unappliedLetterAbout } from '@skills/messaging';
import { Database } from '@skills/postgres';

/** The consumer that keeps `employments` (CertificationReplicaConsumers): its inbox and its dead letters. */
export const EMPLOYMENTS_CONSUMER = 'certification.employments';

/** Employment facts from placement events, judged at a business date: active when start ≤ D < end. */
@Injectable()
export class Employments {
  constructor(private readonly database: Database) {}

  /**
   * Whether the employer (by credit code) employs the trainee on `on`, and whether one of the trainee's
   * placement facts waits here as a dead letter (an end of employment not applied, a hire missing: the
   * answer may be wrong), in one round trip. Placement keys hires and ends by trainee.
   */
  async employs(employerCreditCode: string, traineeId: string, on: string): Promise<{ employs: boolean; factsParked: boolean }> {
    const { rows } = await this.database.query<{ employs: boolean; parked: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM employments
                       WHERE trainee_id = $1 AND employer_credit_code = $3 AND start_date <= $4 AND (end_date IS NULL OR end_date > $4)) AS employs,
              ${unappliedLetterAbout(PLACEMENT_TOPIC, '$2', '$1')} AS parked`,
      [traineeId, EMPLOYMENTS_CONSUMER, employerCreditCode.toUpperCase(), on],
    );
    return { employs: rows[0].employs, factsParked: rows[0].parked };
  }
}
