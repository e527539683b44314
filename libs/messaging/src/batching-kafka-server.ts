import { KafkaContext, ReadPacket, ServerKafka } from '@nestjs/microservices';
import { describeFailure } from '@skills/event-sourcing';
import { type Consumer, type EachBatchPayload, KafkaJSError } from 'kafkajs';
import { applyEveryHandler, applyInChunks } from './message-chunks';
import { HeldForNewerSchema } from './message-consumer';

/**
 * Nest's Kafka server, consuming a partition's fetched batch in chunks (applyInChunks: up to 50 messages
 * to a transaction per database), the chunk's offsets resolved and committed to the group only once all
 * of it has committed. A crash in the middle of a chunk loses what it had not committed, and the chunk
 * is fetched again; the inbox makes what had been applied before the crash count once. The consumer
 * heartbeats after each message (kafkajs sends one once its interval has passed), so a long chunk does
 * not outlast the session and cost a rebalance. A held message (HeldUntilLater) pauses its partition for
 * a while and ends the batch there: its offset is not resolved (those of what committed before it are),
 * so the partition is fetched again from it once resumed, and the other partitions go on meanwhile.
 * Any other error that escapes a batch is retried by kafkajs, and the consumer restarted once its
 * retries run out (BatchFailed); a crash of the consumer is logged, saying whether it restarts.
 */
export class BatchingKafkaServer extends ServerKafka {
  /** Set while a start runs; `closed` once a close() came during it. */
  private starting?: { closed: boolean };

  /**
   * Nest's close, except during a start (a shutdown that stopped waiting for the broker): kafkajs's clients,
   * disconnected half-connected, go on connecting (a consumer whose connection closes under it restarts
   * itself), and Nest's close drops them, which left a member in the group that nothing would ever close.
   * Then the start closes them itself once it is over.
   */
  override async close(): Promise<void> {
    if (this.starting) {
      this.starting.closed = true;
      return;
    }
    await super.close();
  }

  override async start(callback: () => void): Promise<void> {
    const starting = { closed: false };
    this.starting = starting;
    try {
      await super.start(callback);
    } finally {
      this.starting = undefined;
      if (starting.closed) await super.close().catch(() => undefined);
    }
  }

  override async bindEvents(consumer: Consumer): Promise<void> {
    const topics = [...this.messageHandlers.keys()];
    if (topics.length > 0) await consumer.subscribe({ ...(this.options.subscribe ?? {}), topics });
    await consumer.run({ ...(this.options.run ?? {}), eachBatchAutoResolve: false, eachBatch: (payload) => this.handleBatch(payload) });
  }

  /** A crashed consumer that kafkajs does not restart consumes nothing until the service restarts: that must not pass unsaid. */
  protected override registerConsumerEventListeners(): void {
    super.registerConsumerEventListeners();
    this.consumer?.on(this.consumer.events.CRASH, ({ payload: { error, groupId, restart } }) => {
      // As parked messages are described: without the values Postgres quotes (personal data).
      const crash = `the consumer of group ${groupId} crashed: ${describeFailure(error)}`;
      if (restart) this.logger.warn(`${crash}; kafkajs restarts it`);
      else this.logger.error(`${crash}; kafkajs does not restart it: nothing is consumed until the service is restarted`);
    });
  }

  /** Every handler of the message's topic, awaited to the end (Nest would only start those it forkJoins). */
  override async handleEvent(pattern: string, packet: ReadPacket, context: KafkaContext): Promise<void> {
    // A topic is its own route (see InProcessTransport.publish).
    const handler = this.messageHandlers.get(pattern);
    if (!handler) return this.logger.error(`no handler for ${pattern}`);
    await applyEveryHandler(handler, packet.data, context);
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    try {
      await this.applyBatch(payload);
    } catch (error) {
      // kafkajs's own errors it knows how to handle (a rebalance, a lost broker); any other is wrapped, or
      // kafkajs would crash the consumer for good on a TypeError or an error marked not retriable.
      throw error instanceof KafkaJSError ? error : new BatchFailed(error);
    }
  }

  private async applyBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, uncommittedOffsets, isRunning, isStale, pause }: EachBatchPayload): Promise<void> {
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
        // Why, in the holder's words (no payload). A newer schema version waits for a deploy, which an
        // operator must know of; other holds pass by themselves.
        const why = `${batch.topic}[${batch.partition}] held for ${held.retryAfterMs} ms: ${held.message}`;
        if (held instanceof HeldForNewerSchema) this.logger.warn(why);
        else this.logger.debug(why);
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

/**
 * An error that escaped a batch, as kafkajs sees it: retriable. kafkajs treats a TypeError, RangeError,
 * SyntaxError or ReferenceError, and an error marked `retriable: false`, as unrecoverable: it crashes the
 * consumer and never restarts it, whatever restartOnFailure answers. Wrapped, the batch is fetched and
 * applied again with backoff (its offsets were not resolved), and once the consumer's retries run out
 * kafkajs restarts it (restartOnFailure).
 */
class BatchFailed extends Error {
  override name = 'BatchFailed';
  readonly retriable = true;

  constructor(cause: unknown) {
    // As parked messages are described (kafkajs logs it), with the frames of where it failed, not of here.
    super(describeFailure(cause), { cause });
    const frames = cause instanceof Error ? (cause.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')) : [];
    if (frames.length > 0) this.stack = [`${this.name}: ${this.message}`, ...frames].join('\n');
  }
}
