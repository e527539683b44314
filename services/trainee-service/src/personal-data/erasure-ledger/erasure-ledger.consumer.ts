import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TRAINEE_TOPIC, TraineeIntegrationEvent } from '@skills/contracts';
import { ErasureEntry, ErasureLedger } from '@skills/service-runtime';

/**
 * Writes each erasure and void into the all-in-one's erasure ledger as its message is delivered: after
 * its commit (never one that rolled back, which the start would make real after a restore) and at least
 * once through crashes, as the outbox delivers. No inbox: an entry written twice changes nothing. A
 * ledger that cannot be written does not hold up the trainee topic's other consumers (ErasureLedger).
 */
@Controller()
export class ErasureLedgerConsumer {
  constructor(private readonly ledger: ErasureLedger) {}

  @EventPattern(TRAINEE_TOPIC)
  onTraineeEvent(@Payload() envelope: TraineeIntegrationEvent): void {
    if (!this.ledger.path) return;
    const entry = erasureEntryOf(envelope);
    if (entry) this.ledger.record([entry]);
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
