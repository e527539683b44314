import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { IntegrationEnvelope, PLACEMENT_TOPIC, PlacementIntegrationEvent } from '@skills/contracts';
import { MessageConsumer } from '@skills/messaging';
import { EMPLOYMENTS_CONSUMER } from './employments';

/**
 * Keeps `employments` from the placement topic, once per event (trainees: the shared TraineeReplica). A
 * voided employment is none: its row goes, and its id stays in `voided_employments` so that its hire or end
 * arriving after the void (a dead letter retried) does not bring it back.
 */
@Controller()
export class CertificationReplicaConsumers {
  constructor(private readonly consumer: MessageConsumer) {}

  @EventPattern(PLACEMENT_TOPIC)
  async onPlacementEvent(@Payload() envelope: IntegrationEnvelope): Promise<void> {
    await this.consumer.consume(EMPLOYMENTS_CONSUMER, PLACEMENT_TOPIC, envelope, async (tx, current) => {
      const message = current as PlacementIntegrationEvent;
      switch (message.type) {
        case 'TraineeHired': {
          const { employmentId, traineeId, employerCreditCode, startDate } = message.payload;
          await tx.query(
            `INSERT INTO employments (employment_id, trainee_id, employer_credit_code, start_date)
             SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM voided_employments WHERE employment_id = $1)
             ON CONFLICT (employment_id) DO NOTHING`,
            [employmentId, traineeId, employerCreditCode.toUpperCase(), startDate],
          );
          return;
        }
        case 'EmploymentEnded': {
          const { employmentId, traineeId, employerCreditCode, startDate, endDate } = message.payload;
          // Carries the whole employment, so it applies even if the hire has not been seen yet.
          await tx.query(
            `INSERT INTO employments (employment_id, trainee_id, employer_credit_code, start_date, end_date)
             SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM voided_employments WHERE employment_id = $1)
             ON CONFLICT (employment_id) DO UPDATE SET end_date = excluded.end_date`,
            [employmentId, traineeId, employerCreditCode.toUpperCase(), startDate, endDate],
          );
          return;
        }
        // A hire recorded in error: the evaluator's employer never employed the worker by it.
        case 'EmploymentVoided': {
          const { employmentId } = message.payload;
          await tx.query('INSERT INTO voided_employments (employment_id) VALUES ($1) ON CONFLICT (employment_id) DO NOTHING', [employmentId]);
          await tx.query('DELETE FROM employments WHERE employment_id = $1', [employmentId]);
          return;
        }
      }
    });
  }
}
