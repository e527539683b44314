import { Inject, Injectable, Logger } from '@nestjs/common';
import { FactsPosition, ImportRowsSubmitted, TRAINEE_TOPIC } from '@skills/contracts';
import { HeldUntilLater, TRANSPORT_CONFIG, TransportConfig } from '@skills/messaging';
import { CatchUp } from '../catch-up';
import { TraineeReplica } from '../trainee-replica/trainee-replica';

/**
 * The longest a batch is held: then it is decided on what is known here (its unknown trainees waited for
 * REPLICA_WAIT_MS, then refused). A backstop for a broker that cannot say how far this service has come.
 */
export const HOLD_LIMIT_MS = 10 * 60_000;

/** A batch held here: since when, what it waits for, and whether the broker's silence was said. */
interface Hold {
  since: number;
  target?: FactsPosition;
  brokerSilent?: boolean;
}

/** Where a batch was delivered on Kafka: its partition and the producer's timestamp. */
export interface BatchDelivery {
  partition: number;
  timestamp: number;
}

/**
 * On Kafka, an import batch waits until this service has applied the registrations of the trainees it
 * names. trainee-service publishes a batch only after them (its outbox goes out in order), but they are
 * in other partitions of its topic, and a consumer that has fallen behind (restarted, or busy with a
 * large trainees file) can fetch the batch first. A wait in the handler would hold the consumer's next
 * fetch, where those registrations are, and end in refusing the rows as unknown trainees; so the batch
 * is held (HeldUntilLater: its partition paused, the others fetched) until this service's consumer group
 * has applied, in every other partition, what was stamped before the batch (its own partition is applied
 * in order anyway). Then it is decided as before: a trainee still unknown (voided since the file was
 * checked) is refused.
 *
 * The outbox relay sends a batch apart from what precedes it, a millisecond later (sentTogether), so its
 * registrations are stamped before it, and so is another job's batch it might wait for: of two batches
 * neither waits for the other, and a held partition's position is its held batch's own (applyInChunks
 * delivers what came before it). The stamps are the sending replica's clock: a registration sent by a
 * trainee-service replica whose clock is ahead of the one that sent the batch may not be waited for, and
 * the batch is then decided as before this hold existed.
 *
 * In one process the relay delivers the topic in order, so a batch never comes before its trainees.
 */
@Injectable()
export class ImportBatchHold {
  private readonly logger = new Logger('imports');
  /** Per held batch (its event id), when it was first held here and what it waits for. */
  private readonly held = new Map<string, Hold>();

  constructor(
    @Inject(TRANSPORT_CONFIG) private readonly transport: TransportConfig,
    private readonly catchUp: CatchUp,
    private readonly trainees: TraineeReplica,
  ) {}

  /** Throws HeldUntilLater while the batch names trainees not known here and what was stamped before it is not all applied. */
  async untilItsTraineesArrived(envelope: ImportRowsSubmitted, delivery: BatchDelivery): Promise<void> {
    if (this.transport.transport !== 'kafka') return;
    const named = envelope.payload.rows.flatMap((row) => (row.traineeId ? [row.traineeId] : []));
    if ((await this.trainees.unknownAmong(named)).length === 0) return void this.held.delete(envelope.eventId);
    this.forgetBatchesGoneElsewhere();
    const hold = this.held.get(envelope.eventId) ?? { since: Date.now() };
    this.held.set(envelope.eventId, hold);
    const { jobId, batch, mode } = envelope.payload;
    if (Date.now() - hold.since > HOLD_LIMIT_MS) {
      this.logger.warn(`import ${jobId}: batch ${batch} (${mode}) held ${HOLD_LIMIT_MS / 60_000} minutes; decided on what is known here`);
      return void this.held.delete(envelope.eventId);
    }
    // A broker that cannot be asked holds the batch too (said once): nothing is decided on facts not known to have arrived.
    const applied = await this.stampedBeforeApplied(hold, delivery).catch((error: Error) => {
      if (!hold.brokerSilent) this.logger.warn(`import ${jobId}: batch ${batch} (${mode}) held, the broker could not say how far this service has come: ${error.name}: ${error.message}`);
      hold.brokerSilent = true;
      return false;
    });
    if (applied) return void this.held.delete(envelope.eventId);
    // Looked at again less often the longer it waits (each look fetches its partition again): 250 ms to 5 s.
    const retryAfterMs = Math.min(5_000, Math.max(250, (Date.now() - hold.since) / 4));
    // No personal data: the message is logged.
    throw new HeldUntilLater(`import ${jobId}: batch ${batch} (${mode}) names trainees whose registrations have not been applied here yet`, retryAfterMs);
  }

  /** A held batch whose partition went to another replica (a rebalance) is never seen here again. */
  private forgetBatchesGoneElsewhere(): void {
    for (const [eventId, { since }] of this.held) if (Date.now() - since > 2 * HOLD_LIMIT_MS) this.held.delete(eventId);
  }

  private async stampedBeforeApplied(hold: Hold, { partition, timestamp }: BatchDelivery): Promise<boolean> {
    if (!hold.target) {
      const { [String(partition)]: _own, ...others } = (await this.catchUp.stampedBefore(TRAINEE_TOPIC, timestamp))[TRAINEE_TOPIC];
      hold.target = { [TRAINEE_TOPIC]: others };
    }
    return this.catchUp.hasApplied(hold.target);
  }
}
