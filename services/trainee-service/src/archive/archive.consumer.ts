import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CERTIFICATION_TOPIC, CertificationIntegrationEvent, IntegrationEnvelope, PLACEMENT_TOPIC, PlacementIntegrationEvent, TRAINING_TOPIC, TrainingIntegrationEvent } from '@skills/contracts';
import { CommandPipeline } from '@skills/event-sourcing';
import { ApplyTogether, MessageConsumer } from '@skills/messaging';
import { archiveAggregate, archiveCommandOf, archiveStreamOf } from './archive.aggregate';
import { ArchiveFact, certificationArchiveEntry, placementArchiveEntry, trainingArchiveEntry } from './archive-entry';

export const ARCHIVE_CONSUMER = 'trainee.archive';

/**
 * Records in each trainee's archive stream what other contexts publish about them. Who that relates to
 * them is recorded by the shared TraineeRelationsConsumer, from the same messages.
 */
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

  private consume(topic: string, envelope: IntegrationEnvelope, entryOf: (message: IntegrationEnvelope) => ArchiveFact | undefined): Promise<void> {
    return this.consumer.consumeTogether(ARCHIVE_CONSUMER, topic, envelope, entryOf, this.recordAll);
  }

  /**
   * In the inbox's transaction: the entries and their messages' inbox rows commit together. A chunk's
   * entries (an import's certificates) are recorded by one batch of commands: their archives locked,
   * read and appended to at once (decideAll), each entry decided as one command would be, and recorded
   * as caused by its own message.
   */
  private readonly recordAll: ApplyTogether<ArchiveFact | undefined> = async (tx, messages) => {
    const commands = messages.flatMap(({ value: fact, cause }) => (fact ? [{ streamId: archiveStreamOf(fact), command: archiveCommandOf(fact), caller: cause }] : []));
    if (commands.length === 0) return;
    const outcomes = await this.commands.decideAllInTransaction(tx, { aggregate: archiveAggregate, commands });
    // A refusal fails the work, as a single command's did: the message is retried alone, then parked.
    for (const outcome of outcomes) if ('refusal' in outcome) throw outcome.refusal;
  };
}
