import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { IntegrationEnvelope, PLACEMENT_TOPIC, PlacementIntegrationEvent, TRAINEE_TOPIC, TraineeIntegrationEvent } from '@skills/contracts';
import { MessageConsumer } from '@skills/messaging';

/** Keeps `known_trainees` and `employments` from the trainee and placement topics, once per event. */
@Controller()
export class CertificationReplicaConsumers {
  constructor(private readonly consumer: MessageConsumer) {}

  @EventPattern(TRAINEE_TOPIC)
  async onTraineeEvent(@Payload() envelope: IntegrationEnvelope): Promise<void> {
    await this.consumer.consume('certification.known-trainees', TRAINEE_TOPIC, envelope, async (tx, current) => {
      const message = current as TraineeIntegrationEvent;
      switch (message.type) {
        case 'TraineeRegistered': {
          const { traineeId, regionCode, nameMasked } = message.payload;
          await tx.query('INSERT INTO known_trainees (trainee_id, region_code, name_masked) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [traineeId, regionCode, nameMasked]);
          return;
        }
        case 'PersonalDataErased':
          await tx.query('UPDATE known_trainees SET name_masked = NULL WHERE trainee_id = $1', [message.payload.traineeId]);
          return;
      }
    });
  }

  @EventPattern(PLACEMENT_TOPIC)
  async onPlacementEvent(@Payload() envelope: IntegrationEnvelope): Promise<void> {
    await this.consumer.consume('certification.employments', PLACEMENT_TOPIC, envelope, async (tx, current) => {
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
