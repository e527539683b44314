import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { IntegrationEnvelope, PLACEMENT_TOPIC, PlacementIntegrationEvent, TRAINING_TOPIC, TrainingIntegrationEvent } from '@skills/contracts';
import { MessageConsumer } from '@skills/messaging';
import { BrandFigures, EMPLOYMENT_FACTS_CONSUMER, TRAINING_FACTS_CONSUMER } from '../qualification/brand-figures';

/**
 * Records the facts qualification is judged by and updates the brands they concern, in the inbox's
 * transaction: each training result and employment counts exactly once, whatever is redelivered.
 */
@Controller()
export class FactConsumers {
  constructor(
    private readonly consumer: MessageConsumer,
    private readonly figures: BrandFigures,
  ) {}

  @EventPattern(TRAINING_TOPIC)
  async onTrainingEvent(@Payload() envelope: IntegrationEnvelope): Promise<void> {
    await this.consumer.consume(TRAINING_FACTS_CONSUMER, TRAINING_TOPIC, envelope, async (tx, current) => {
      const message = current as TrainingIntegrationEvent;
      if (message.type !== 'AssessmentRecorded') return;
      const { assessmentId, enrollmentId, traineeId, assessedOn, passed, course } = message.payload;
      await this.figures.lockForFact(tx, traineeId);
      await tx.query(
        `INSERT INTO assessment_facts (assessment_id, enrollment_id, trainee_id, provider_credit_code, occupation_code, course_kind, assessed_on, passed, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (assessment_id) DO NOTHING`,
        [assessmentId, enrollmentId, traineeId, course.providerCreditCode, course.occupationCode, course.kind, assessedOn, passed, message.aggregateVersion],
      );
      await this.figures.afterAssessment(tx, { traineeId, providerCreditCode: course.providerCreditCode, occupationCode: course.occupationCode, courseKind: course.kind });
    });
  }

  @EventPattern(PLACEMENT_TOPIC)
  async onPlacementEvent(@Payload() envelope: IntegrationEnvelope): Promise<void> {
    await this.consumer.consume(EMPLOYMENT_FACTS_CONSUMER, PLACEMENT_TOPIC, envelope, async (tx, current) => {
      const message = current as PlacementIntegrationEvent;
      if (message.type !== 'TraineeHired' && message.type !== 'EmploymentEnded') return;
      const { employmentId, traineeId, employerIndustryCode, startDate } = message.payload;
      const endDate = message.type === 'EmploymentEnded' ? message.payload.endDate : null;
      await this.figures.lockForFact(tx, traineeId);
      // An end carries the whole employment, so it applies even if the hire has not been seen yet.
      await tx.query(
        `INSERT INTO employment_facts (employment_id, trainee_id, employer_industry_code, start_date, end_date) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (employment_id) DO UPDATE SET end_date = coalesce(excluded.end_date, employment_facts.end_date), fact_sequence = nextval('fact_sequence')`,
        [employmentId, traineeId, employerIndustryCode, startDate, endDate],
      );
      await this.figures.afterEmployment(tx, { traineeId, employerIndustryCode });
    });
  }
}
