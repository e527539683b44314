import { KafkaContext, ReadPacket, ServerKafka } from '@nestjs/microservices';
import { isTransientDatabaseError, TransactionScope } from '@skills/postgres';
import type { Consumer, EachBatchPayload } from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';

/** Messages of one partition applied in one transaction per service database at most. */
const MESSAGES_PER_TRANSACTION = 10;

/**
 * Nest's Kafka server, consuming a partition's fetched batch in chunks: each chunk's messages are
 * applied in order, each in a savepoint of one transaction per database (TransactionScope: inbox rows
 * and read-model changes together), committed once; only then are their offsets resolved. A crash in
 * the middle of a chunk commits none of it and the chunk is fetched again; the inbox makes what had
 * been applied before the crash count once. A message whose handler keeps failing is parked alone
 * (MessageConsumer), its savepoint rolled back; the others of its chunk commit. A handler that reads
 * through the pool what earlier messages of its chunk wrote (an import batch, in a transaction of its
 * own) calls TransactionScope.commitSoFar first.
 */
export class BatchingKafkaServer extends ServerKafka {
  override async bindEvents(consumer: Consumer): Promise<void> {
    const topics = [...this.messageHandlers.keys()];
    if (topics.length > 0) await consumer.subscribe({ ...(this.options.subscribe ?? {}), topics });
    await consumer.run({ ...(this.options.run ?? {}), eachBatchAutoResolve: false, eachBatch: (payload) => this.handleBatch(payload) });
  }

  /** Every handler of the message's topic, awaited to the end (Nest would only start those it forkJoins). */
  override async handleEvent(pattern: string, packet: ReadPacket, context: KafkaContext): Promise<void> {
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) return this.logger.error(`no handler for ${pattern}`);
    const result = await handler(packet.data, context);
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale, pause }: EachBatchPayload): Promise<void> {
    const stopping = () => !isRunning() || isStale();
    for (let from = 0; from < batch.messages.length; from += MESSAGES_PER_TRANSACTION) {
      const chunk = batch.messages.slice(from, from + MESSAGES_PER_TRANSACTION);
      const apply = () =>
        TransactionScope.run(async () => {
          for (const message of chunk) {
            // A consumer stopping (shutdown, a rebalance) drops the chunk it is in: rolled back, fetched again.
            if (stopping()) throw new ChunkDropped();
            await this.handleMessage({ topic: batch.topic, partition: batch.partition, message, heartbeat, pause });
          }
        });
      for (let attempt = 1; ; attempt++) {
        try {
          await apply();
          break;
        } catch (error) {
          if (error instanceof ChunkDropped) return;
          // Chunks of other partitions take the same rows' locks in another order: a deadlock aborts one
          // of them (and a lost connection all); it is applied again from its start, whole.
          if (!isTransientDatabaseError(error) || stopping()) throw error;
          await sleep(Math.min(5_000, 10 * 2 ** Math.min(attempt, 9)) * (0.5 + Math.random()));
        }
      }
      for (const message of chunk) resolveOffset(message.offset);
      await commitOffsetsIfNecessary();
      await heartbeat();
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class ChunkDropped extends Error {
  constructor() {
    super('the consumer is stopping: the chunk is rolled back and fetched again');
  }
}
