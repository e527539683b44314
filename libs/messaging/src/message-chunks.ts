import { isTransientDatabaseError, TransactionScope } from '@skills/postgres';

/** Messages applied in one transaction per service database at most. */
export const MESSAGES_PER_TRANSACTION = 10;

/**
 * Message types whose handlers work in a transaction of their own and read through the pool what the
 * messages before them recorded (an import batch: the trainees it names, in the trainee replica):
 * what the chunk has applied so far is committed before they are handed over, or they would not see it.
 */
const APPLIED_AFTER_COMMIT: ReadonlySet<string> = new Set(['ImportRowsSubmitted']);

export interface MessageChunks<Message> {
  /** The message's envelope type (Kafka: its `type` header), to know whether it needs the chunk committed first. */
  typeOf(message: Message): string | undefined;
  /** Hands the message to every handler of its topic and waits for them all. */
  apply(message: Message): Promise<void>;
  /** The transport is stopping: the chunk in hand is rolled back and delivered again later. */
  stopping(): boolean;
  /** After a chunk has committed (Kafka: its offsets resolved and committed). */
  committed?(chunk: Message[]): Promise<void>;
}

/**
 * The one way both transports (Kafka's batched consumer, the in-process bus) apply a delivered batch:
 * in order, ten messages to a transaction per service database (TransactionScope: inbox rows and
 * read-model changes together, each message in a savepoint), committed once. A chunk a deadlock or a
 * lost connection aborts is applied again from its start, whole; whatever had committed before (an
 * earlier chunk, a dead letter) the inbox makes count once. A message that keeps failing is parked
 * alone (MessageConsumer), its savepoint rolled back, the others of its chunk commit. Answers false
 * when the transport stopped in the middle (the rest is delivered again).
 */
export async function applyInChunks<Message>(messages: Message[], chunks: MessageChunks<Message>): Promise<boolean> {
  for (let from = 0; from < messages.length; from += MESSAGES_PER_TRANSACTION) {
    const chunk = messages.slice(from, from + MESSAGES_PER_TRANSACTION);
    const apply = () =>
      TransactionScope.run(async () => {
        for (const message of chunk) {
          if (chunks.stopping()) throw new ChunkDropped();
          if (APPLIED_AFTER_COMMIT.has(chunks.typeOf(message) ?? '')) await TransactionScope.commitSoFar();
          await chunks.apply(message);
        }
      });
    for (let attempt = 1; ; attempt++) {
      try {
        await apply();
        break;
      } catch (error) {
        if (error instanceof ChunkDropped) return false;
        // Chunks of other partitions (other relays) take the same rows' locks in another order: a
        // deadlock aborts one of them, and a lost connection all; each is applied again from its start.
        if (!isTransientDatabaseError(error) || chunks.stopping()) throw error;
        await sleep(Math.min(5_000, 10 * 2 ** Math.min(attempt, 9)) * (0.5 + Math.random()));
      }
    }
    await chunks.committed?.(chunk);
  }
  return true;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class ChunkDropped extends Error {
  constructor() {
    super('the transport is stopping: the chunk is rolled back and delivered again');
  }
}
