import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { IntegrationEnvelope, PLACEMENT_TOPIC, PlacementIntegrationEvent } from '@skills/contracts';
import { MessageConsumer } from '@skills/messaging';
import { EMPLOYMENTS_CONSUMER } from './employments';

/** Keeps `employments` from the placement topic, once per event (trainees: the shared TraineeReplica). */
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
            `INSERT INTO employments (employment_id, trainee_id, employer_credit_code, start_date) VALUES ($1, $2, $3, $4)
             ON CONFLICT (employment_id) DO NOTHING`,
            [employmentId, traineeId, employerCreditCode.toUpperCase(), startDate],
          );
          return;
        }
        case 'EmploymentEnded': {
          const { employmentId, traineeId, employerCreditCode, startDate, endDate } = message.payload;
          // Carries the whole employment, so it applies even if the hire has not been seen yet.
          await tx.query(
            `INSERT INTO employments (employment_id, trainee_id, employer_credit_code, start_date, end_date) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (employment_id) DO UPDATE SET end_date = excluded.end_date`,
            [employmentId, traineeId, employerCreditCode.toUpperCase(), startDate, endDate],
          );
          return;
        }
      }
    });
  }
}
