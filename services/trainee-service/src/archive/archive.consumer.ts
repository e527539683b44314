import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CERTIFICATION_TOPIC, CertificationIntegrationEvent, IntegrationEnvelope, PLACEMENT_TOPIC, PlacementIntegrationEvent, TRAINING_TOPIC, TrainingIntegrationEvent } from '@skills/contracts';
import { CommandPipeline, eitherWay } from '@skills/event-sourcing';
import { MessageConsumer } from '@skills/messaging';
import { PoolClient } from 'pg';
import { archiveAggregate, archiveStreamId } from './archive.aggregate';
import { relate } from '../trainees/trainee-readers';
import { ArchiveEntry, certificationArchiveEntry, placementArchiveEntry, trainingArchiveEntry } from './archive-entry';

export const ARCHIVE_CONSUMER = 'trainee.archive';

/**
 * The organisation a fact relates to the trainee (domain.md section 9): the provider that enrolled them,
 * the evaluator that certified them, the employer that hired them.
 */
export function relatedOrganisationOf(message: IntegrationEnvelope): { traineeId: string; organisationId: string } | undefined {
  const fact = message as TrainingIntegrationEvent | CertificationIntegrationEvent | PlacementIntegrationEvent;
  switch (fact.type) {
    case 'TraineeEnrolled':
      return { traineeId: fact.payload.traineeId, organisationId: fact.payload.course.providerId };
    case 'LevelCertified':
      return { traineeId: fact.payload.traineeId, organisationId: fact.payload.evaluatorId };
    case 'TraineeHired':
      return { traineeId: fact.payload.traineeId, organisationId: fact.payload.employerId };
    default:
      return undefined;
  }
}

/** Records in each trainee's archive stream what other contexts publish about them, and who that relates to them. */
@Controller()
export class ArchiveConsumer {
  constructor(
    private readonly consumer: MessageConsumer,
    private readonly commands: CommandPipeline,
  ) {}

  @EventPattern(TRAINING_TOPIC)
  async onTrainingEvent(@Payload() envelope: TrainingIntegrationEvent): Promise<void> {
    await this.consume(TRAINING_TOPIC, envelope, (message) => trainingArchiveEntry(message as TrainingIntegrationEvent));
  }

  @EventPattern(CERTIFICATION_TOPIC)
  async onCertificationEvent(@Payload() envelope: CertificationIntegrationEvent): Promise<void> {
    await this.consume(CERTIFICATION_TOPIC, envelope, (message) => certificationArchiveEntry(message as CertificationIntegrationEvent));
  }

  @EventPattern(PLACEMENT_TOPIC)
  async onPlacementEvent(@Payload() envelope: PlacementIntegrationEvent): Promise<void> {
    await this.consume(PLACEMENT_TOPIC, envelope, (message) => placementArchiveEntry(message as PlacementIntegrationEvent));
  }

  private consume(topic: string, envelope: IntegrationEnvelope, entryOf: (message: IntegrationEnvelope) => ArchiveEntry | undefined): Promise<void> {
    return this.consumer.consume(ARCHIVE_CONSUMER, topic, envelope, async (tx, message) => {
      const entry = entryOf(message);
      if (entry) await this.record(tx, entry);
      const relation = relatedOrganisationOf(message);
      if (relation) await relate(tx, relation.traineeId, relation.organisationId);
    });
  }

  /** In the inbox's transaction: the entry and the message's inbox row commit together. */
  private async record(tx: PoolClient, entry: ArchiveEntry): Promise<void> {
    await this.commands.handleInTransaction(tx, {
      stream: eitherWay(archiveStreamId(entry.traineeId)),
      aggregate: archiveAggregate,
      command: { type: 'RecordArchiveEntry', entry },
    });
  }
}
