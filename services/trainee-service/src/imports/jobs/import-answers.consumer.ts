import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CERTIFICATION_TOPIC, ImportRowsAnswered, IntegrationEnvelope, TRAINING_TOPIC, TrainingIntegrationEvent } from '@skills/contracts';
import { MessageConsumer } from '@skills/messaging';
import { PoolClient } from 'pg';
import { ImportJobs } from './import-jobs';

/**
 * The owners' answers to import batches (training, certification), each counted once with the job's
 * progress in the inbox's transaction; and which provider each course belongs to, so a school is
 * refused another school's course when it uploads (403), not row by row later.
 */
@Controller()
export class ImportAnswersConsumer {
  constructor(
    private readonly consumer: MessageConsumer,
    private readonly jobs: ImportJobs,
  ) {}

  @EventPattern(TRAINING_TOPIC)
  async onTraining(@Payload() envelope: IntegrationEnvelope): Promise<void> {
    const message = envelope as TrainingIntegrationEvent | ImportRowsAnswered;
    if (message?.type === 'CourseScheduled') {
      // The payload read inside consume: one it cannot read is retried and parked, never thrown past it.
      await this.consumer.consume('trainee.import-courses', TRAINING_TOPIC, envelope, async (tx) => {
        const { courseId, providerId } = message.payload;
        await tx.query('INSERT INTO import_course_providers (course_id, provider_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [courseId, providerId]);
      });
    } else await this.answer(TRAINING_TOPIC, envelope);
  }

  @EventPattern(CERTIFICATION_TOPIC)
  async onCertification(@Payload() envelope: IntegrationEnvelope): Promise<void> {
    await this.answer(CERTIFICATION_TOPIC, envelope);
  }

  private async answer(topic: string, envelope: IntegrationEnvelope): Promise<void> {
    if (envelope?.type !== 'ImportRowsAnswered') return;
    await this.consumer.consume('trainee.import-answers', topic, envelope, (tx: PoolClient) => this.jobs.recordAnswer(tx, (envelope as ImportRowsAnswered).payload));
  }
}
