import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TRAINEE_TOPIC, TraineeIntegrationEvent } from '@skills/contracts';
import { Database } from '@skills/postgres';
import { ErasureEntry, ErasureLedger } from '@skills/service-runtime';
import { ImportJobUpkeep } from '../../imports/jobs/import-job-upkeep';

/**
 * Writes each erasure and void into the all-in-one's erasure ledger as its message is delivered: after
 * its commit (never one that rolled back, which the start would make real after a restore) and at least
 * once through crashes, as the outbox delivers. No inbox: an entry written twice changes nothing. With
 * an erasure, where import jobs held the person's rows (their cells forgotten by it, the rows marked as
 * theirs). A ledger that cannot be written does not hold up the trainee topic's other consumers
 * (ErasureLedger).
 */
@Controller()
export class ErasureLedgerConsumer {
  constructor(
    private readonly ledger: ErasureLedger,
    private readonly database: Database,
    private readonly imports: ImportJobUpkeep,
  ) {}

  @EventPattern(TRAINEE_TOPIC)
  async onTraineeEvent(@Payload() envelope: TraineeIntegrationEvent): Promise<void> {
    if (!this.ledger.path) return;
    const entry = erasureEntryOf(envelope);
    if (!entry) return;
    // An erasure's rows only: a void forgets none (its number may be the real holder's, in their rows).
    this.ledger.record([entry.kind === 'erased' ? { ...entry, importRows: await this.imports.placesOf(this.database, entry.traineeId) } : entry]);
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
