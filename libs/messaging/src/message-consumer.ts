import { setTimeout as sleep } from 'node:timers/promises';
import { Actor, IntegrationEnvelope, NewerSchemaVersion, systemActor, upcast } from '@skills/contracts';
import { isUuid } from '@skills/domain-kernel';
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
  /** How long a message of a schema version newer than this consumer knows is held before it is tried again. */
  newerSchemaRetryMs?: number;
}

/** A rolling deploy takes minutes; trying such a message more often would only fill the log. */
const NEWER_SCHEMA_RETRY_MS = 30_000;

/**
 * The one way handlers apply messages, whatever the transport: once per (consumer, event id) via
 * the inbox, retried, and parked as a dead letter when it keeps failing so later messages flow.
 * A lost database connection is not the message's fault: that is retried until it comes back,
 * which holds the partition (and its offset) instead of parking good messages. Nor is a schema version
 * newer than this consumer knows (its producer deployed first): the message is held (HeldForNewerSchema),
 * so that the aggregate's later messages are not applied past it.
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
    if (this.paused) return Promise.reject(new ConsumerPaused(consumer));
    return runWithCorrelation(correlationOf(envelope), () => this.consumeWithRetries(consumer, topic, envelope, apply, options.onlyThroughTx ?? false), envelope?.eventId, systemActor(consumer));
  }

  /**
   * As `consume`, for a consumer that does the messages of a chunk together: in a transport's chunk
   * (applyInChunks) the message is only handed over, its `value` taken from it. Before the chunk
   * commits, the inbox claims of the consumer's messages go in one statement, and one call of `applyAll`
   * gets those not applied before, in the order delivered, each with its cause: what it leads to is
   * recorded as caused by it (its correlation id, its id, the consumer), as `consume` would record it.
   * When a chunk's work fails other than transiently (a deadlock applies the chunk again, together),
   * the chunk is applied again one message at a time, so that the one at fault is retried and parked
   * alone: each as `consume` with `onlyThroughTx` applies it, with a list of one; so is a message outside
   * a chunk. `applyAll`'s effects go through its `tx` alone; a consumer passes the same `applyAll` for
   * every message.
   */
  consumeTogether<T>(consumer: string, topic: string, envelope: IntegrationEnvelope, value: (message: IntegrationEnvelope) => T, applyAll: ApplyTogether<T>): Promise<void> {
    if (this.paused) return Promise.reject(new ConsumerPaused(consumer));
    const gathered = gatherable(consumer, envelope, value);
    if (gathered && TransactionScope.gather(this.gatherKey(consumer), gathered, (items: Array<Gathered<T>>) => this.applyGathered(consumer, items, applyAll))) return Promise.resolve();
    return this.consume(consumer, topic, envelope, (tx, current) => applyAll(tx, [{ value: value(current), cause: causeOf(consumer, envelope) }]), { onlyThroughTx: true });
  }

  /** One key a consumer's messages are gathered under in a chunk (per MessageConsumer: one per service database). */
  private gatherKey(consumer: string): object {
    let key = this.gatherKeys.get(consumer);
    if (!key) this.gatherKeys.set(consumer, (key = { consumer }));
    return key;
  }

  /**
   * The claims of a chunk's gathered messages in one statement, then `applyAll` for those claimed now,
   * each at its first place (a message delivered twice in the chunk is claimed once). Matched by their
   * places in the statement, not by the ids Postgres answers: an id it reads differently (upper case)
   * is still found; one that is no uuid fails the statement, and the chunk is applied message by message.
   */
  private async applyGathered<T>(consumer: string, items: Array<Gathered<T>>, applyAll: ApplyTogether<T>): Promise<void> {
    // In the first message's context, as the work of a consumer (not of the request that woke the relay).
    const [{ cause }] = items;
    await runWithCorrelation(cause.correlationId, () =>
      this.transactions.run(async (tx) => {
        const { rows } = await tx.query<{ n: number }>(
          `WITH delivered AS (SELECT id, n FROM unnest($2::uuid[]) WITH ORDINALITY AS d(id, n)),
                claimed AS (INSERT INTO inbox (consumer, message_id) SELECT $1, id FROM delivered ON CONFLICT DO NOTHING RETURNING message_id)
           SELECT min(d.n)::int AS n FROM delivered d JOIN claimed c ON c.message_id = d.id GROUP BY d.id ORDER BY 1`,
          [consumer, items.map((item) => item.messageId)],
        );
        if (rows.length > 0) await applyAll(tx, rows.map(({ n }) => items[n - 1]).map(({ value, cause }) => ({ value, cause })));
      }), cause.causationId, cause.actor);
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
        if (!hasEventId(envelope)) throw new MalformedMessage(envelope);
        // Handlers see only the newest shape of each message type, whatever version was published.
        const current = upcast(envelope);
        await applyOnce(this.transactions, consumer, envelope.eventId, (tx) => apply(tx, current), { claimWithFirstStatement });
        return;
      } catch (error) {
        if (error instanceof NewerSchemaVersion) throw new HeldForNewerSchema(consumer, envelope.eventId, error, this.options.newerSchemaRetryMs ?? NEWER_SCHEMA_RETRY_MS);
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

/** What a message consumed together leads to is recorded as caused by it: its correlation id, its id, the consumer. */
export interface MessageCause {
  correlationId: string;
  causationId: string;
  actor: Actor;
}

/**
 * A consumer's work for messages consumed together: each one's value, with its cause. It runs in the
 * context of the first of them (correlation, cause): what it records for each message it records with
 * that message's `cause` (decideAll's `caller`), or in that message's own context
 * (`runWithCorrelation(cause.correlationId, …, cause.causationId, cause.actor)`), never from the first's.
 */
export type ApplyTogether<T> = (tx: PoolClient, messages: Array<{ value: T; cause: MessageCause }>) => Promise<void>;

/** A message handed over to be applied with the others of its chunk (consumeTogether). */
interface Gathered<T> {
  messageId: string;
  value: T;
  cause: MessageCause;
}

const correlationOf = (envelope: IntegrationEnvelope | undefined): string => (typeof envelope?.correlationId === 'string' ? envelope.correlationId : 'uncorrelated');

const causeOf = (consumer: string, envelope: IntegrationEnvelope): MessageCause => ({ correlationId: correlationOf(envelope), causationId: envelope.eventId, actor: systemActor(consumer) });

/**
 * The message as consumeTogether hands it over; none for one that is malformed or whose value cannot be
 * taken: applied on its own at once, such a message is retried and parked as `consume` does, with no effect
 * (or held, when its schema version is newer than this consumer knows).
 */
function gatherable<T>(consumer: string, envelope: IntegrationEnvelope, value: (message: IntegrationEnvelope) => T): Gathered<T> | undefined {
  if (!hasEventId(envelope)) return undefined;
  try {
    return { messageId: envelope.eventId, value: value(upcast(envelope)), cause: causeOf(consumer, envelope) };
  } catch {
    return undefined;
  }
}

/** An envelope whose id the inbox can claim: a uuid (another string would fail every claim, so it is malformed). */
const hasEventId = (envelope: IntegrationEnvelope | undefined): envelope is IntegrationEnvelope => !!envelope && isUuid(envelope.eventId);

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

/**
 * A message that cannot be decided yet, whose wait must not hold up the facts it waits for (an import
 * batch naming trainees whose registrations are in other partitions, not yet fetched). Thrown by a
 * handler before it consumes the message, or by MessageConsumer (HeldForNewerSchema). On Kafka its
 * partition is paused for `retryAfterMs` and the message fetched again from there, while the consumer
 * goes on fetching the other partitions: a wait in the handler would hold the consumer's next fetch, and
 * with it those very facts. What its chunk had not committed is rolled back. In one process (no
 * partitions) its chunk is tried again after a moment, as a paused consumer's is.
 */
export class HeldUntilLater extends Error {
  override name = 'HeldUntilLater';

  constructor(
    reason: string,
    readonly retryAfterMs = 500,
  ) {
    super(reason);
  }
}

/**
 * A message of a schema version newer than this consumer knows (NewerSchemaVersion), held by
 * MessageConsumer until a consumer that knows it takes the partition over (deployed, it fetches from the
 * held message). Unlike other holds, an operator's business: it lasts until that deploy.
 */
export class HeldForNewerSchema extends HeldUntilLater {
  override name = 'HeldForNewerSchema';

  constructor(consumer: string, eventId: string, newer: NewerSchemaVersion, retryAfterMs: number) {
    // The message's type, id and versions only: nothing of its payload.
    super(`${consumer}: message ${eventId}: ${newer.message}; held until a consumer that knows v${newer.schemaVersion} is deployed`, retryAfterMs);
  }
}
