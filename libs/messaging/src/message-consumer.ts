import { setTimeout as sleep } from 'node:timers/promises';
import { IntegrationEnvelope, systemActor, upcast } from '@skills/contracts';
import { describeFailure } from '@skills/event-sourcing';
import { Database, isTransientDatabaseError, Transactions, TransactionScope } from '@skills/postgres';
import { applyOnce } from './inbox';
import { Logger } from '@nestjs/common';
import { PoolClient } from 'pg';
import { runWithCorrelation } from './correlation';
import { DeadLetterSink } from './dead-letters';

export interface ConsumerOptions {
  /** Attempts for a message whose handler throws a non-transient error before it is parked. */
  maxAttempts?: number;
  retryDelayMs?: number;
}

/**
 * The one way handlers apply messages, whatever the transport: once per (consumer, event id) via
 * the inbox, retried, and parked as a dead letter when it keeps failing so later messages flow.
 * A lost database connection is not the message's fault: that is retried until it comes back,
 * which holds the partition (and its offset) instead of parking good messages.
 */
export class MessageConsumer {
  private readonly logger = new Logger(MessageConsumer.name);
  private stopping = false;
  private paused = false;
  private readonly transactions: Transactions;
  private readonly gatherKeys = new Map<string, object>();

  constructor(
    database: Database,
    private readonly deadLetters: DeadLetterSink,
    private readonly options: ConsumerOptions = {},
  ) {
    this.transactions = new Transactions(database);
  }

  stop(): void {
    this.stopping = true;
    this.resume();
  }

  /**
   * Holds every message until resume() (an operator's or a test's hook): what a consumer that has
   * fallen behind looks like to the decisions that wait for it (CatchUp). A message that comes meanwhile
   * fails with ConsumerPaused, and its chunk is rolled back and tried again later (applyInChunks): no
   * transaction waits open, which would hold back every projection on the server (pg_snapshot_xmin).
   */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /**
   * Applies the message with its correlation id in scope, so what it causes carries the same id.
   * `onlyThroughTx`: every effect of `apply` goes through its `tx` (no other connection, nothing outside
   * the database) and it awaits its statements, so the inbox claim can go with its first statement
   * (applyOnce): a redelivery then runs `apply` up to that statement, and is undone there.
   */
  consume(
    consumer: string,
    topic: string,
    envelope: IntegrationEnvelope,
    apply: (tx: PoolClient, envelope: IntegrationEnvelope) => Promise<void>,
    options: { onlyThroughTx?: boolean } = {},
  ): Promise<void> {
    const correlationId = typeof envelope?.correlationId === 'string' ? envelope.correlationId : 'uncorrelated';
    if (this.paused) return Promise.reject(new ConsumerPaused(consumer));
    return runWithCorrelation(correlationId, () => this.consumeWithRetries(consumer, topic, envelope, apply, options.onlyThroughTx ?? false), envelope?.eventId, systemActor(consumer));
  }

  /**
   * As `consume`, for a consumer that does the messages of a chunk together: in a transport's chunk
   * (applyInChunks) the message is only handed over, its `value` taken from it. Before the chunk
   * commits, the inbox claims of the consumer's messages go in one statement, and `applyAll` gets the
   * values of those not applied before, in the order delivered, called once per run of messages of one
   * correlation id (with it in scope, and as the message's cause when the run is of one). Outside a
   * chunk (a dead letter's replay), or when a chunk's `applyAll` failed (the chunk is applied again one
   * message at a time, so that the one at fault is parked alone), a message is applied on its own, as
   * `consume` with `onlyThroughTx` does, with a list of one. `applyAll`'s effects go through its `tx`
   * alone; a consumer passes the same `applyAll` for every message.
   */
  consumeTogether<T>(consumer: string, topic: string, envelope: IntegrationEnvelope, value: (message: IntegrationEnvelope) => T, applyAll: (tx: PoolClient, values: T[]) => Promise<void>): Promise<void> {
    if (this.paused) return Promise.reject(new ConsumerPaused(consumer));
    const gathered = gatherable(envelope, value);
    if (gathered && TransactionScope.gather(this.gatherKey(consumer), gathered, (items: Array<Gathered<T>>) => this.applyGathered(consumer, items, applyAll))) return Promise.resolve();
    return this.consume(consumer, topic, envelope, (tx, current) => applyAll(tx, [value(current)]), { onlyThroughTx: true });
  }

  /** One key a consumer's messages are gathered under in a chunk (per MessageConsumer: one per service database). */
  private gatherKey(consumer: string): object {
    let key = this.gatherKeys.get(consumer);
    if (!key) this.gatherKeys.set(consumer, (key = { consumer }));
    return key;
  }

  /** The claims of a chunk's gathered messages in one statement, then `applyAll` for those claimed now, run by run of a correlation id. */
  private async applyGathered<T>(consumer: string, items: Array<Gathered<T>>, applyAll: (tx: PoolClient, values: T[]) => Promise<void>): Promise<void> {
    await this.transactions.run(async (tx) => {
      const { rows } = await tx.query<{ message_id: string }>(
        'INSERT INTO inbox (consumer, message_id) SELECT $1, id FROM unnest($2::uuid[]) AS id ON CONFLICT DO NOTHING RETURNING message_id',
        [consumer, items.map((item) => item.messageId)],
      );
      const claimedNow = new Set(rows.map((row) => row.message_id));
      // A message delivered twice in one chunk is claimed once, and applied at its first place.
      const fresh = items.filter((item) => claimedNow.delete(item.messageId));
      for (let from = 0; from < fresh.length; ) {
        const { correlationId } = fresh[from];
        let to = from + 1;
        while (to < fresh.length && fresh[to].correlationId === correlationId) to++;
        const run = fresh.slice(from, to);
        await runWithCorrelation(correlationId, () => applyAll(tx, run.map((item) => item.value)), run.length === 1 ? run[0].messageId : undefined, systemActor(consumer));
        from = to;
      }
    });
  }

  private async consumeWithRetries(
    consumer: string,
    topic: string,
    envelope: IntegrationEnvelope,
    apply: (tx: PoolClient, envelope: IntegrationEnvelope) => Promise<void>,
    claimWithFirstStatement: boolean,
  ): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 3;
    const retryDelayMs = this.options.retryDelayMs ?? 100;
    for (let attempt = 1; ; attempt++) {
      try {
        if (!envelope || typeof envelope.eventId !== 'string') throw new MalformedMessage(envelope);
        // Handlers see only the newest shape of each message type, whatever version was published.
        const current = upcast(envelope);
        await applyOnce(this.transactions, consumer, envelope.eventId, (tx) => apply(tx, current), { claimWithFirstStatement });
        return;
      } catch (error) {
        if (this.stopping) throw error;
        // In a batch, a lost connection loses the batch's transaction: the batch is fetched again.
        if (isTransientDatabaseError(error) && this.transactions.joinsShared) throw error;
        if (isTransientDatabaseError(error)) {
          attempt = 0;
          await sleep(Math.min(5000, retryDelayMs * 10));
          continue;
        }
        if (attempt >= maxAttempts || error instanceof MalformedMessage) {
          // As parked projection events are described: without the values Postgres quotes (personal data).
          const message = describeFailure(error);
          this.logger.error(`${consumer}: parking message ${envelope?.eventId} from ${topic} after ${attempt} attempts: ${message}`);
          await this.deadLetters.park({ consumer, topic, envelope, error: message });
          return;
        }
        await sleep(retryDelayMs * attempt);
      }
    }
  }
}

/** A message handed over to be applied with the others of its chunk (consumeTogether). */
interface Gathered<T> {
  messageId: string;
  correlationId: string;
  value: T;
}

/** Lower-case and hyphenated, as Postgres answers a uuid: a claim's answer is matched to its message by it. */
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The message as consumeTogether hands it over; none for one that is malformed, whose id Postgres would
 * write otherwise, or whose value cannot be taken: applied on its own, such a message is retried and
 * parked as `consume` does.
 */
function gatherable<T>(envelope: IntegrationEnvelope, value: (message: IntegrationEnvelope) => T): Gathered<T> | undefined {
  if (!envelope || typeof envelope.eventId !== 'string' || !CANONICAL_UUID.test(envelope.eventId)) return undefined;
  try {
    const correlationId = typeof envelope.correlationId === 'string' ? envelope.correlationId : 'uncorrelated';
    return { messageId: envelope.eventId, correlationId, value: value(upcast(envelope)) };
  } catch {
    return undefined;
  }
}

class MalformedMessage extends Error {
  constructor(value: unknown) {
    // Only its kind: the message itself may carry personal data, and the error is kept and logged.
    super(`not an integration envelope: ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object without an event id' : `a ${typeof value}`}`);
    this.name = 'MalformedMessage';
  }
}

/** The consumer is paused (MessageConsumer.pause): the message's chunk is tried again later, as after a deadlock. */
export class ConsumerPaused extends Error {
  override name = 'ConsumerPaused';

  constructor(consumer: string) {
    super(`${consumer} is paused: the message is held until it resumes`);
  }
}
