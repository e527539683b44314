import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TRAINEE_TOPIC, TraineeIntegrationEvent } from '@skills/contracts';
import { MessageConsumer } from '@skills/messaging';
import { Database } from '@skills/postgres';
import { ErasureEntry, ErasureLedger } from '@skills/service-runtime';
import { ImportJobUpkeep } from '../../imports/jobs/import-job-upkeep';
import { erasuresInLog, erasuresUndone, ErasureLedgerUpkeep } from './erasure-ledger-upkeep';

/** The consumer that makes again, from the trainee topic, an erasure or void this log lacks. */
const MADE_AGAIN = 'trainee.erasures-made-again';
const ERASING = new Set<string | undefined>(['PersonalDataErased', 'TraineeRegistrationVoided']);

/**
 * Writes each erasure and void into the all-in-one's erasure ledger as its message is delivered: after
 * its commit (never one that rolled back, which the start would make real after a restore) and at least
 * once through crashes, as the outbox delivers. No inbox: an entry written twice changes nothing. With
 * an erasure, where import jobs held the person's rows (their cells forgotten by it, the rows marked as
 * theirs). A ledger that cannot be written does not hold up the trainee topic's other consumers
 * (ErasureLedger).
 *
 * Without a ledger (a distributed deployment), the topic is the record, kept for ever: a service whose
 * database was restored to a time before an erasure reads its message again once its consumer group is
 * set back before that time (README, "Operations"), and makes the erasure again, as the ledger's start
 * would. Normally the log holds every erasure whose message comes, and nothing is done.
 */
@Controller()
export class ErasureLedgerConsumer {
  constructor(
    private readonly ledger: ErasureLedger,
    private readonly database: Database,
    private readonly imports: ImportJobUpkeep,
    private readonly upkeep: ErasureLedgerUpkeep,
    private readonly consumer: MessageConsumer,
  ) {}

  @EventPattern(TRAINEE_TOPIC)
  async onTraineeEvent(@Payload() envelope: TraineeIntegrationEvent): Promise<void> {
    if (!this.ledger.path) {
      // The erasures and voids alone: the topic's other messages (an import's registrations) cost nothing here.
      if (!ERASING.has(envelope?.type)) return;
      return this.consumer.consume(MADE_AGAIN, TRAINEE_TOPIC, envelope, (_tx, message) => this.makeAgainIfUndone(message as TraineeIntegrationEvent));
    }
    const entry = erasureEntryOf(envelope);
    if (!entry) return;
    // An erasure's rows only: a void forgets none (its number may be the real holder's, in their rows).
    this.ledger.record([entry.kind === 'erased' ? { ...entry, importRows: await this.imports.placesOf(this.database, entry.traineeId) } : entry]);
  }

  /**
   * Through the same handlers (in a chunk of messages, as steps of its transaction, done again with it if it
   * rolls back): made twice, an erasure changes nothing more. Only this trainee's stream is read.
   */
  private async makeAgainIfUndone(message: TraineeIntegrationEvent): Promise<void> {
    const entry = erasureEntryOf(message);
    if (!entry) return;
    const undone = await erasuresUndone(this.database, [entry], await erasuresInLog(this.database, entry.traineeId));
    for (const each of undone) await this.upkeep.makeAgain(each);
  }
}

function erasureEntryOf(message: TraineeIntegrationEvent): ErasureEntry | undefined {
  switch (message?.type) {
    case 'PersonalDataErased':
      return { traineeId: message.payload.traineeId, kind: 'erased', on: message.payload.erasedOn };
    case 'TraineeRegistrationVoided':
      return { traineeId: message.payload.traineeId, kind: 'voided', on: message.payload.voidedOn };
    default:
      return undefined;
  }
}
