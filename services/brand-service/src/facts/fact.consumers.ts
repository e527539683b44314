import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  AssessmentRecordedV1,
  EmploymentVoidedV1,
  EnrollmentVoidedV1,
  IntegrationEnvelope,
  PLACEMENT_TOPIC,
  PlacementIntegrationEvent,
  TRAINING_TOPIC,
  TrainingIntegrationEvent,
} from '@skills/contracts';
import { MessageConsumer } from '@skills/messaging';
import { Sql } from '@skills/postgres';
import { BrandFigures, EMPLOYMENT_FACTS_CONSUMER, TRAINING_FACTS_CONSUMER } from '../qualification/brand-figures';

/**
 * Records the facts qualification is judged by and updates the brands they concern, in the inbox's
 * transaction: each training result and employment counts exactly once, whatever is redelivered. A void
 * (a hire or an enrolment recorded in error) deletes its facts, so they count as of no date, and leaves a
 * tombstone (voided_employments, voided_enrollments) that keeps out any of its facts arriving after it.
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
      if (message.type === 'AssessmentRecorded') await this.recordAssessment(tx, message.payload, message.aggregateVersion);
      else if (message.type === 'EnrollmentVoided') await this.voidEnrollment(tx, message.payload);
    });
  }

  @EventPattern(PLACEMENT_TOPIC)
  async onPlacementEvent(@Payload() envelope: IntegrationEnvelope): Promise<void> {
    await this.consumer.consume(EMPLOYMENT_FACTS_CONSUMER, PLACEMENT_TOPIC, envelope, async (tx, current) => {
      const message = current as PlacementIntegrationEvent;
      if (message.type === 'EmploymentVoided') return this.voidEmployment(tx, message.payload);
      if (message.type !== 'TraineeHired' && message.type !== 'EmploymentEnded') return;
      const { employmentId, traineeId, employerIndustryCode, startDate } = message.payload;
      const endDate = message.type === 'EmploymentEnded' ? message.payload.endDate : null;
      await this.figures.lockForFact(tx, traineeId);
      // An end carries the whole employment, so it applies even if the hire has not been seen yet; neither applies after a void.
      await tx.query(
        `INSERT INTO employment_facts (employment_id, trainee_id, employer_industry_code, start_date, end_date)
         SELECT $1::uuid, $2::uuid, $3::text, $4::date, $5::date WHERE NOT EXISTS (SELECT 1 FROM voided_employments WHERE employment_id = $1::uuid)
         ON CONFLICT (employment_id) DO UPDATE SET end_date = coalesce(excluded.end_date, employment_facts.end_date), fact_sequence = nextval('fact_sequence')`,
        [employmentId, traineeId, employerIndustryCode, startDate, endDate],
      );
      await this.figures.afterEmployment(tx, { traineeId, employerIndustryCode });
    });
  }

  private async recordAssessment(tx: Sql, payload: AssessmentRecordedV1, version: number): Promise<void> {
    const { assessmentId, enrollmentId, traineeId, assessedOn, passed, course } = payload;
    await this.figures.lockForFact(tx, traineeId);
    // A result of a voided enrolment (retried after its void) is not recorded: the enrolment never was.
    await tx.query(
      `INSERT INTO assessment_facts (assessment_id, enrollment_id, trainee_id, provider_credit_code, occupation_code, course_kind, assessed_on, passed, version)
       SELECT $1::uuid, $2::uuid, $3::uuid, $4::text, $5::text, $6::text, $7::date, $8::boolean, $9::integer
       WHERE NOT EXISTS (SELECT 1 FROM voided_enrollments WHERE enrollment_id = $2::uuid)
       ON CONFLICT (assessment_id) DO NOTHING`,
      [assessmentId, enrollmentId, traineeId, course.providerCreditCode, course.occupationCode, course.kind, assessedOn, passed, version],
    );
    await this.figures.afterAssessment(tx, { traineeId, providerCreditCode: course.providerCreditCode, occupationCode: course.occupationCode, courseKind: course.kind });
  }

  /** The enrolment's results leave the facts, and the brands that counted them count the trainee anew (by the results' own course facts). */
  private async voidEnrollment(tx: Sql, payload: EnrollmentVoidedV1): Promise<void> {
    const { enrollmentId, traineeId, assessmentIds } = payload;
    await this.figures.lockForFact(tx, traineeId);
    await tx.query('INSERT INTO voided_enrollments (enrollment_id, trainee_id) VALUES ($1, $2) ON CONFLICT (enrollment_id) DO NOTHING', [enrollmentId, traineeId]);
    const { rows } = await tx.query<{ provider_credit_code: string; occupation_code: string; course_kind: string }>(
      'DELETE FROM assessment_facts WHERE enrollment_id = $1 OR assessment_id = ANY($2::uuid[]) RETURNING provider_credit_code, occupation_code, course_kind',
      [enrollmentId, assessmentIds],
    );
    const courses = new Map(rows.map((row) => [`${row.provider_credit_code}\t${row.occupation_code}\t${row.course_kind}`, row]));
    for (const course of courses.values())
      await this.figures.afterAssessment(tx, { traineeId, providerCreditCode: course.provider_credit_code, occupationCode: course.occupation_code, courseKind: course.course_kind });
  }

  /** The employment leaves the facts, ended or not, and the brands of its industry count the trainee anew. */
  private async voidEmployment(tx: Sql, payload: EmploymentVoidedV1): Promise<void> {
    const { employmentId, traineeId } = payload;
    await this.figures.lockForFact(tx, traineeId);
    await tx.query('INSERT INTO voided_employments (employment_id, trainee_id) VALUES ($1, $2) ON CONFLICT (employment_id) DO NOTHING', [employmentId, traineeId]);
    const { rows } = await tx.query<{ employer_industry_code: string }>('DELETE FROM employment_facts WHERE employment_id = $1 RETURNING employer_industry_code', [employmentId]);
    for (const { employer_industry_code: employerIndustryCode } of rows) await this.figures.afterEmployment(tx, { traineeId, employerIndustryCode });
  }
}
