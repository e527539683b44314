import { KafkaContext, ReadPacket, ServerKafka } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload } from 'kafkajs';
import { applyEveryHandler, applyInChunks } from './message-chunks';

/**
 * Nest's Kafka server, consuming a partition's fetched batch in chunks (applyInChunks: up to 50 messages
 * to a transaction per database), the chunk's offsets resolved and committed to the group only once all
 * of it has committed. A crash in the middle of a chunk loses what it had not committed, and the chunk
 * is fetched again; the inbox makes what had been applied before the crash count once. The consumer
 * heartbeats after each message (kafkajs sends one once its interval has passed), so a long chunk does
 * not outlast the session and cost a rebalance. A held message (HeldUntilLater) pauses its partition for
 * a while and ends the batch there: its offset is not resolved (those of what committed before it are),
 * so the partition is fetched again from it once resumed, and the other partitions go on meanwhile.
 */
export class BatchingKafkaServer extends ServerKafka {
  override async bindEvents(consumer: Consumer): Promise<void> {
    const topics = [...this.messageHandlers.keys()];
    if (topics.length > 0) await consumer.subscribe({ ...(this.options.subscribe ?? {}), topics });
    await consumer.run({ ...(this.options.run ?? {}), eachBatchAutoResolve: false, eachBatch: (payload) => this.handleBatch(payload) });
  }

  /** Every handler of the message's topic, awaited to the end (Nest would only start those it forkJoins). */
  override async handleEvent(pattern: string, packet: ReadPacket, context: KafkaContext): Promise<void> {
    // A topic is its own route (see InProcessTransport.publish).
    const handler = this.messageHandlers.get(pattern);
    if (!handler) return this.logger.error(`no handler for ${pattern}`);
    await applyEveryHandler(handler, packet.data, context);
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, uncommittedOffsets, isRunning, isStale, pause }: EachBatchPayload): Promise<void> {
    await applyInChunks(batch.messages, {
      typeOf: (message) => message.headers?.type?.toString(),
      apply: async (message) => {
        await this.handleMessage({ topic: batch.topic, partition: batch.partition, message, heartbeat, pause });
        await heartbeat();
      },
      // A consumer stopping (shutdown, a rebalance) drops the chunk it is in: what it has not committed
      // is rolled back, and it is fetched again.
      stopping: () => !isRunning() || isStale(),
      hold: (held) => {
        this.logger.debug(`${batch.topic}[${batch.partition}] held for ${held.retryAfterMs} ms: ${held.message}`);
        const resume = pause();
        setTimeout(resume, held.retryAfterMs).unref();
      },
      committed: async (chunk) => {
        for (const message of chunk) resolveOffset(message.offset);
        // Committed to the group now, not only at the batch's end (a catch-up wait reads committed offsets):
        // without offsets, kafkajs's commitOffsetsIfNecessary() commits only past an autoCommitInterval or
        // autoCommitThreshold, and none is set. With them it commits those: this partition's, as resolved
        // (kafkajs resolves a batch's last message past its trailing control records). One round trip a chunk.
        if (this.options.run?.autoCommit !== false && isRunning() && !isStale()) {
          const partitions = uncommittedOffsets()
            .topics.filter(({ topic }) => topic === batch.topic)
            .flatMap(({ partitions }) => partitions.filter(({ partition }) => Number(partition) === batch.partition));
          if (partitions.length > 0) await commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions }] });
        }
        await heartbeat();
      },
    });
  }
}
