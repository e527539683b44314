import { Controller, Inject } from '@nestjs/common';
import { Clock, isUuid } from '@skills/domain-kernel';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { IntegrationEnvelope, ImportRowsAnsweredV1, ImportRowsSubmitted, TRAINEE_TOPIC, TraineeIntegrationEvent } from '@skills/contracts';
import { enqueueMessages } from '@skills/event-sourcing';
import { MessageConsumer } from '@skills/messaging';
import { Transactions } from '@skills/postgres';
import { randomUUID } from 'node:crypto';
import { PoolClient } from 'pg';
import { CLOCK } from '../tokens';
import { applyImportBatch, ImportBatchApplier } from './import-batches';
import { ImportBatchHold } from './import-batch-hold';

type PersonalDataErased = Extract<TraineeIntegrationEvent, { type: 'PersonalDataErased' }>;

export const IMPORT_ROW_APPLIERS = Symbol('IMPORT_ROW_APPLIERS');
export const IMPORT_ANSWERS = Symbol('IMPORT_ANSWERS');

/** Where a service answers import batches: its own topic, and its inbox name for the submissions. */
export interface ImportAnswers {
  consumer: string;
  topic: string;
}

/**
 * Applies the import batches trainee-service submits for the kinds this service owns (training:
 * enrolments and results; certification: historical certificates) and answers each on this
 * service's topic. A batch delivered again is answered again from `import_batch_answers`, never
 * applied twice; the answer is enqueued in the same transaction as the batch's effects. The batch
 * works in a transaction of its own and reads the replicas there, not in the chunk's, so the transports
 * commit what came before it in their chunk first (applyInChunks). On Kafka a batch that comes before
 * the registrations of its trainees is held until they have been applied (ImportBatchHold).
 */
@Controller()
export class ImportRowsConsumer {
  constructor(
    private readonly consumer: MessageConsumer,
    private readonly transactions: Transactions,
    @Inject(IMPORT_ROW_APPLIERS) private readonly appliers: ImportBatchApplier[],
    @Inject(IMPORT_ANSWERS) private readonly answers: ImportAnswers,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly hold: ImportBatchHold,
  ) {}

  @EventPattern(TRAINEE_TOPIC)
  async onTraineeTopic(@Payload() envelope: IntegrationEnvelope, @Ctx() context: unknown): Promise<void> {
    if (envelope?.type === 'PersonalDataErased') return this.forgetKeysOf(envelope as PersonalDataErased);
    if (envelope?.type !== 'ImportRowsSubmitted') return;
    const submitted = (envelope as ImportRowsSubmitted).payload as ImportRowsSubmitted['payload'] | undefined;
    const applier = this.appliers.find((each) => each.kind === submitted?.kind);
    // Another service's kind; a batch without its payload is every service's to park (below).
    if (submitted && !applier) return;
    // Only on Kafka may a batch come before its trainees (ImportBatchHold); one answered before (delivered
    // again) is not held again: it is answered from what it did. A batch the database could not look up
    // (its job, number or trainees not of their types) is not held: consume fails to apply it, and parks it.
    if (context instanceof KafkaContext && submitted && wellFormed(submitted) && !(await this.answered(submitted))) {
      await this.hold.untilItsTraineesArrived(envelope as ImportRowsSubmitted, { partition: context.getPartition(), timestamp: Number(context.getMessage().timestamp) });
    }
    await this.consumer.consume(this.answers.consumer, TRAINEE_TOPIC, envelope, async () => {
      if (!submitted || !applier) throw new Error('an import batch without its payload');
      if (await this.answered(submitted)) return;
      await applyImportBatch(this.transactions, submitted, applier, (tx, answer) => this.answer(tx, answer));
    });
  }

  private async answered(batch: ImportRowsSubmitted['payload']): Promise<boolean> {
    const { rows } = await this.transactions.database.query('SELECT 1 FROM import_batch_answers WHERE job_id = $1 AND batch = $2 AND mode = $3', [batch.jobId, batch.batch, batch.mode]);
    return rows.length > 0;
  }

  /**
   * An erased person's row keys: keyed hashes of their identity number and cells, which whoever holds the
   * key could match to the number again. A batch of theirs still on its way (a second upload of the same
   * file, judged before the erasure) then finds no key and is applied as new: a result recorded twice
   * for a person whose data is gone, the price of forgetting them. Keys kept before keys named their
   * trainee (ImportRowKeysTrainee) name none: they are found by the natural keys of the person's rows
   * that the erasure names (a natural key names the person, so every such key is theirs), each on the
   * primary key by its organisation and kind. A key of the same natural key applied since for someone
   * (the person registered again) is theirs, and stays.
   */
  private async forgetKeysOf(envelope: PersonalDataErased): Promise<void> {
    const forget = async (tx: PoolClient, current: IntegrationEnvelope) => {
      const { traineeId, importNaturalKeys = [] } = (current as PersonalDataErased).payload;
      await tx.query('DELETE FROM import_row_keys WHERE trainee_id = $1', [traineeId]);
      if (importNaturalKeys.length === 0) return;
      await tx.query(
        `DELETE FROM import_row_keys k USING unnest($1::uuid[], $2::text[], $3::text[]) AS p(organisation_id, kind, natural_key)
          WHERE k.organisation_id = p.organisation_id AND k.kind = p.kind AND k.natural_key = p.natural_key AND k.trainee_id IS NULL`,
        [importNaturalKeys.map((each) => each.organisationId), importNaturalKeys.map((each) => each.kind), importNaturalKeys.map((each) => each.naturalKey)],
      );
    };
    await this.consumer.consume(this.answers.consumer, TRAINEE_TOPIC, envelope, forget, { onlyThroughTx: true });
  }

  private async answer(tx: PoolClient, answer: ImportRowsAnsweredV1): Promise<void> {
    await tx.query('INSERT INTO import_batch_answers (job_id, batch, mode, outcomes) VALUES ($1, $2, $3, $4)', [answer.jobId, answer.batch, answer.mode, JSON.stringify(answer.outcomes)]);
    const now = this.clock.now().toISOString();
    const envelope: IntegrationEnvelope<'ImportRowsAnswered', ImportRowsAnsweredV1> = {
      eventId: randomUUID(),
      type: 'ImportRowsAnswered',
      schemaVersion: 1,
      aggregateId: answer.jobId,
      aggregateVersion: answer.batch,
      occurredAt: now,
      recordedAt: now,
      correlationId: answer.jobId,
      payload: answer,
    };
    await enqueueMessages(tx, this.transactions.database.schema, [{ topic: this.answers.topic, key: answer.jobId, envelope }]);
  }
}

/** A batch whose job, number and trainees the database can look up: only such a batch is held, or asked about outside consume. */
function wellFormed(batch: ImportRowsSubmitted['payload']): boolean {
  return isUuid(batch.jobId) && Number.isInteger(batch.batch) && Array.isArray(batch.rows) && batch.rows.every((row) => !row?.traineeId || isUuid(row.traineeId));
}
