import { Logger } from '@nestjs/common';
import { MessageHandler } from '@nestjs/microservices';
import { describeFailure } from '@skills/event-sourcing';
import { APPLIED_AFTER_COMMIT } from '@skills/contracts';
import { GatheredWorkFailed, isTransientDatabaseError, TransactionScope } from '@skills/postgres';
import { setTimeout as sleep } from 'node:timers/promises';
import { isObservable, lastValueFrom } from 'rxjs';
import { ConsumerPaused, HeldUntilLater } from './message-consumer';

const logger = new Logger('applyInChunks');

/**
 * Messages applied in one transaction per service database at most. The heavy consumers do a chunk's
 * messages together (MessageConsumer.consumeTogether), so a larger chunk cuts their statements: 25
 * against ten, and 50 against 25, gave an import's certificates more rows a second (docs/benchmarks.md).
 */
export const MESSAGES_PER_TRANSACTION = 50;

/**
 * A chunk commits what it has applied before its next message once a transaction of it has taken this
 * many savepoints, counting one for each consumer's gathered work (TransactionScope.savepointsSoFar; a
 * consumer that goes message by message takes one a message, or two when its work runs a command of its
 * own). Postgres keeps 64 subtransactions of a transaction in shared memory: this leaves room for the
 * savepoints of one message, up to eight. One such consumer on a topic and database never reaches it in
 * a chunk; k of them commit every ⌈56 / k⌉ messages.
 */
export const SAVEPOINTS_BEFORE_COMMIT = 56;

/** What a transport tells applyInChunks about the batch it has in hand. */
export interface ChunkedDelivery<Message> {
  /** The message's envelope type (Kafka: its `type` header), to know whether it needs the chunk committed first. */
  typeOf(message: Message): string | undefined;
  /** Hands the message to every handler of its topic and waits for them all. */
  apply(message: Message): Promise<void>;
  /** The consumer or relay is stopping: what the chunk in hand has not committed is rolled back, and the chunk delivered again later. */
  stopping(): boolean;
  /** After a chunk, or its first messages before one held, has committed (Kafka: their offsets resolved and committed). */
  committed?(chunk: Message[]): Promise<void>;
  /**
   * A message of the chunk is held (HeldUntilLater): the transport delivers it and what follows it again
   * later without waiting for it meanwhile (Kafka: its partition paused). Without it the chunk is tried
   * again after a moment.
   */
  hold?(held: HeldUntilLater): void;
}

/**
 * The one way both transports (Kafka's batched consumer, the in-process bus) apply a delivered batch:
 * in order, MESSAGES_PER_TRANSACTION messages to a transaction per service database (TransactionScope:
 * inbox rows and read-model changes together, each message in a savepoint), committed at its end, or in
 * parts (below). A chunk a deadlock or a lost connection aborts is applied again from its start; what
 * committed before (earlier chunks, its own parts) stays, and the inbox skips what that applied. A
 * message that keeps failing is parked alone (MessageConsumer), its savepoint rolled back, the others
 * of its chunk commit. A consumer may do a chunk's messages together before it commits
 * (MessageConsumer.consumeTogether); if that fails other than transiently, the chunk is applied again
 * with each message on its own. Before a message of a type
 * in APPLIED_AFTER_COMMIT, or once a transaction nears Postgres's cache of subtransactions
 * (SAVEPOINTS_BEFORE_COMMIT), what the chunk has applied so far is committed. Answers false when the
 * transport stopped before the end, or holds a message (`hold`): what the chunk in hand had not
 * committed rolled back, the rest delivered again.
 */
export async function applyInChunks<Message>(messages: Message[], delivery: ChunkedDelivery<Message>): Promise<boolean> {
  for (let from = 0; from < messages.length; from += MESSAGES_PER_TRANSACTION) {
    const chunk = messages.slice(from, from + MESSAGES_PER_TRANSACTION);
    let gather = true;
    /** How many of the chunk's first messages have committed (in part, before a later one). */
    let committedBefore = 0;
    const apply = () =>
      TransactionScope.run(
        async () => {
          for (const [index, message] of chunk.entries()) {
            if (delivery.stopping()) throw new ChunkDropped();
            const needsCommitFirst = APPLIED_AFTER_COMMIT.has(delivery.typeOf(message) ?? '') || TransactionScope.savepointsSoFar() >= SAVEPOINTS_BEFORE_COMMIT;
            if (needsCommitFirst) {
              await TransactionScope.commitSoFar();
              committedBefore = Math.max(committedBefore, index);
            }
            await delivery.apply(message);
          }
        },
        { gather },
      );
    for (let attempt = 1; ; attempt++) {
      try {
        await apply();
        break;
      } catch (error) {
        if (error instanceof ChunkDropped) return false;
        if (error instanceof HeldUntilLater && delivery.hold) {
          // What committed before the held message is delivered: the transport's position is then the held
          // message's own, so a decision waiting for this partition waits for it alone, not for the messages
          // before it (one held elsewhere might be waiting for this one).
          if (committedBefore > 0) await delivery.committed?.(chunk.slice(0, committedBefore));
          delivery.hold(error);
          return false;
        }
        // What a consumer does for the chunk's messages together (MessageConsumer.consumeTogether) failed:
        // the chunk is applied again with each message on its own, so that a message that keeps failing
        // is retried and parked alone.
        if (error instanceof GatheredWorkFailed && gather) {
          // As parked messages are described: without the values Postgres quotes (personal data).
          logger.warn(`work done for a chunk's messages together failed, applying them one by one: ${describeFailure(error.cause)}`);
          gather = false;
          continue;
        }
        // Chunks of other partitions (other relays) take the same rows' locks in another order: a
        // deadlock aborts one of them, and a lost connection all; each is applied again from its start.
        // So is a chunk a paused consumer holds, or one with a message held: rolled back, so that it waits
        // holding no transaction.
        if (!(isTransientDatabaseError(error) || error instanceof ConsumerPaused || error instanceof HeldUntilLater) || delivery.stopping()) throw error;
        await sleep(Math.min(5_000, 10 * 2 ** Math.min(attempt, 9)) * (0.5 + Math.random()));
      }
    }
    await delivery.committed?.(chunk);
  }
  return true;
}

/** Every handler of a message's pattern, awaited to the end: Nest chains them and forkJoins the head's with the rest. */
export async function applyEveryHandler(handler: MessageHandler, data: unknown, context: unknown): Promise<void> {
  const result = await handler(data, context);
  if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
}

class ChunkDropped extends Error {
  constructor() {
    super('the transport is stopping: what the chunk has not committed is rolled back, and it is delivered again');
  }
}
