import { setTimeout as sleep } from 'node:timers/promises';
import { IntegrationEnvelope, systemActor, upcast } from '@skills/contracts';
import { describeFailure } from '@skills/event-sourcing';
import { Database, isTransientDatabaseError, Transactions } from '@skills/postgres';
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
