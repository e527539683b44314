import { APPLIED_AFTER_COMMIT, IntegrationEnvelope } from '@skills/contracts';
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Database, NotificationListener, notifyAfterCommit, Sql, Statement, WakeableLoop } from '@skills/postgres';
import { DecidedEvent } from './event-store';

export interface OutboxMessage {
  topic: string;
  /** Kafka key: the aggregate id, so one aggregate's messages stay in order on one partition. */
  key: string;
  envelope: IntegrationEnvelope;
}

/** Delivers a batch in order and resolves only once every message is durably accepted. */
export interface MessagePublisher {
  /**
   * `stopping`: aborted when the relay delivering them stops; a publisher that hands the messages to
   * handlers one by one (the in-process bus) then stops before its next one and throws PublishStopped
   * (any other error is a failure the relay reports): the relay keeps them.
   */
  publish(messages: OutboxMessage[], stopping?: AbortSignal): Promise<void>;
  /**
   * How much one send may carry (Kafka: a broker refuses a record batch larger than its
   * message.max.bytes, for good). The relay hands the publisher at most `maxBytes` of messages as
   * `bytesOf` counts them at once, and at least one message however large; it deletes each send's rows
   * once the publisher has them, so what follows is read and sent in a later send, in order. None: no limit.
   */
  readonly sendLimit?: SendLimit;
  /**
   * Whether a publish could succeed now (Kafka: not before the integration topics are ensured). While it
   * says false the relay reads nothing and reports nothing (the publisher's owner logs why); the poll
   * wakes it again. None: always.
   */
  ready?(): boolean;
}

export interface SendLimit {
  maxBytes: number;
  /** A message's size in a send: its serialized envelope and key, and what goes with them (headers). */
  bytesOf(message: OutboxMessage): number;
}

/** What a publisher throws when it gave a delivery up because its relay is stopping (the rows stay). */
export class PublishStopped extends Error {
  constructor() {
    super('the relay stopped in the middle of a delivery: the rest is delivered again');
    this.name = 'PublishStopped';
  }
}

export const outboxChannel = (schema: string) => `${schema}_outbox`;

/** Written in the command's transaction: a message exists if and only if its events do. */
export async function enqueueMessages(tx: Sql, schema: string, messages: OutboxMessage[]): Promise<void> {
  const statement = outboxInsert(messages);
  if (!statement) return;
  await tx.query(statement.text, statement.values);
  // After the insert answered: on the pool (no transaction) that is its commit.
  notifyAfterCommit(tx, outboxChannel(schema));
}

/**
 * The insert of the messages into the outbox, as a statement to send with others (the command
 * pipeline sends it with the COMMIT); the relay is woken once the transaction commits.
 */
export function outboxStatement(tx: Sql, schema: string, messages: OutboxMessage[]): Statement | undefined {
  const statement = outboxInsert(messages);
  if (statement) notifyAfterCommit(tx, outboxChannel(schema));
  return statement;
}

function outboxInsert(messages: OutboxMessage[]): Statement | undefined {
  if (messages.length === 0) return undefined;
  return {
    text: `INSERT INTO outbox (message_id, topic, message_key, envelope)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[])`,
    values: [
      messages.map((message) => message.envelope.eventId),
      messages.map((message) => message.topic),
      messages.map((message) => message.key),
      messages.map((message) => JSON.stringify(message.envelope)),
    ],
  };
}

/** How many published ids a relay remembers: far more than the requests waiting at any moment. */
const RECENTLY_PUBLISHED = 50_000;
/** After another replica's relay held the lock: about one batch's time. */
const LOCK_RETRY_MS = 20;
/** How long a request waits for this relay before it asks the database (another replica's relay may publish). */
const ASK_DATABASE_AFTER_MS = 200;

export interface OutboxRelayOptions {
  batchSize?: number;
  pollIntervalMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Publishes outbox rows in id order and deletes them once the publisher has them. Rows of one
 * aggregate commit in order (its writers are serialised), so per-key order holds. A crash between
 * publishing and deleting publishes again: consumers deduplicate by event id in their inbox.
 * One relay per schema is active at a time (advisory lock), however many replicas run.
 */
export class OutboxRelay {
  private readonly loop: WakeableLoop;
  private readonly listener: NotificationListener;
  private readonly batchSize: number;
  /** Emits 'batch' after each published batch is committed: what published() waits on in this process. */
  private readonly batches = new EventEmitter();
  /** The ids this relay published last (a bounded window), so a request's wait rarely asks the database. */
  private readonly recentlyPublished = new Set<string>();
  /** Set while a retry after a missed lock is due. */
  private lockRetry?: NodeJS.Timeout;
  /** Locks missed in a row, for the retry's backoff. */
  private lockMisses = 0;
  private readonly pollIntervalMs: number;
  /** Aborted by stop(): what the publisher is told, so it need not finish a delivery in hand. */
  private stopping = new AbortController();

  constructor(
    private readonly database: Database,
    private readonly publisher: MessagePublisher,
    options: OutboxRelayOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.batches.setMaxListeners(0);
    this.loop = new WakeableLoop(
      async () => {
        const stopping = this.stopping.signal;
        try {
          return await this.publishBatch(stopping);
        } catch (error) {
          // A delivery given up because the relay is stopping is no failure: its rows stay for the next start.
          if (stopping.aborted && error instanceof PublishStopped) return false;
          throw error;
        } finally {
          // Also after a failure (broker down): waiters look again and give up at their deadline.
          this.batches.emit('batch');
        }
      },
      this.pollIntervalMs,
      options.onError ?? (() => undefined),
    );
    this.listener = new NotificationListener(database.options.url, [outboxChannel(database.schema)], () => this.loop.wake());
  }

  async start(): Promise<void> {
    this.stopping = new AbortController();
    this.loop.start();
    await this.listener.start();
  }

  async stop(): Promise<void> {
    // First, so a delivery in hand ends at its next message rather than holding the stop (a database
    // outage would hold it until the database came back), and the loop at once, so no batch starts after.
    this.stopping.abort();
    const looped = this.loop.stop();
    await this.listener.stop();
    await looped;
    // After the loop (which waits for a batch in flight): that batch may have set it, and none comes after.
    clearTimeout(this.lockRetry);
    this.lockRetry = undefined;
    this.lockMisses = 0;
  }

  /** Publishes now rather than at the next notification or poll. */
  wake(): void {
    this.loop.wake();
  }

  /** Resolves when nothing committed so far is left unpublished (or the relay is failing or stopping). */
  async drained(): Promise<void> {
    this.loop.wake();
    await this.loop.idle();
  }

  /**
   * Resolves true once none of these messages is left in the outbox, i.e. the publisher has them (on
   * Kafka: the broker acknowledged them; in one process: every handler applied them), or false when
   * `timeoutMs` runs out first (the broker is down: they stay durable here and go out later).
   * This relay's own batches answer without a query; what it has not seen published is asked of the
   * database now and then, as another replica's relay may be the one publishing.
   */
  async published(messageIds: string[], timeoutMs: number): Promise<boolean> {
    if (messageIds.length === 0) return true;
    this.loop.wake();
    const deadline = Date.now() + timeoutMs;
    let askDatabaseAt = Date.now() + ASK_DATABASE_AFTER_MS;
    for (;;) {
      // Listening before looking: a batch committed between the look and the wait is not missed.
      const nextBatch = new Promise<void>((resolve) => this.batches.once('batch', () => resolve()));
      if (messageIds.every((id) => this.recentlyPublished.has(id))) return true;
      if (Date.now() >= askDatabaseAt) {
        const { rows } = await this.database.query<{ left: boolean }>('SELECT EXISTS (SELECT 1 FROM outbox WHERE message_id = ANY($1::uuid[])) AS left', [messageIds]);
        if (!rows[0].left) return true;
        askDatabaseAt = Date.now() + ASK_DATABASE_AFTER_MS;
      }
      const left = deadline - Date.now();
      if (left <= 0) return false;
      // This relay's next batch, or a moment for another replica's relay (which emits nothing here).
      await Promise.race([nextBatch, new Promise((resolve) => setTimeout(resolve, Math.min(left, 50)))]);
    }
  }

  async backlog(): Promise<number> {
    const { rows } = await this.database.query<{ count: string }>('SELECT count(*) FROM outbox');
    return Number(rows[0].count);
  }

  /**
   * Another replica's relay is mid-batch. Commits in this process wake only this relay (no NOTIFY), and
   * the other one may have read the outbox before them, so this relay tries again shortly instead of
   * leaving them to the poll.
   */
  private retryAfterLockMissed(): void {
    if (this.lockRetry) return;
    // 20 ms, doubling while the other relay keeps the lock (a long batch, a broker outage), up to the poll's interval.
    const delay = Math.min(LOCK_RETRY_MS * 2 ** this.lockMisses++, this.pollIntervalMs);
    this.lockRetry = setTimeout(() => {
      this.lockRetry = undefined;
      this.loop.wake();
    }, delay);
  }

  /**
   * One batch in two round trips, as a 201 waits for it: the commit setting and the lock with the read
   * (rows are read only once the lock is held) go with the BEGIN, the delete with the COMMIT.
   */
  private async publishBatch(stopping: AbortSignal): Promise<boolean> {
    // Before the transaction: no lock, no read of up to a batch of rows at every wake-up that could not be sent.
    if (this.publisher.ready?.() === false) return false;
    const published: string[] = [];
    let cutShort = false;
    const full = await this.database.compactTransaction(async (_tx, ends) => {
      const [, batch] = await ends.open([
        // Losing this commit in a server crash only publishes the batch again, which consumers
        // deduplicate; so the delete need not wait for its WAL flush (one fsync less per batch).
        'SET LOCAL synchronous_commit = off',
        {
          // One row with locked = false when another replica's relay holds the lock; otherwise the batch
          // (or one row of nulls when the outbox is empty).
          text: `WITH lock AS (SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked)
                 SELECT lock.locked, o.id, o.topic, o.message_key, o.envelope
                   FROM lock LEFT JOIN LATERAL (SELECT id, topic, message_key, envelope FROM outbox WHERE lock.locked ORDER BY id LIMIT $2) o ON true`,
          values: [`outbox:${this.database.schema}`, this.batchSize],
        },
      ]);
      const rows = batch.rows as { locked: boolean; id: string | null; topic: string; message_key: string; envelope: IntegrationEnvelope }[];
      if (!rows[0]?.locked) {
        this.retryAfterLockMissed();
        return false;
      }
      this.lockMisses = 0;
      const read = rows.flatMap((row) => (row.id === null ? [] : [{ id: row.id, message: { topic: row.topic, key: row.message_key, envelope: row.envelope } }]));
      if (read.length === 0) return false;
      const messages = withinLimit(sentTogether(read), this.publisher.sendLimit);
      await this.publisher.publish(messages.map((row) => row.message), stopping);
      cutShort = messages.length < read.length;
      await ends.close([{ text: 'DELETE FROM outbox WHERE id = ANY($1::bigint[])', values: [messages.map((row) => row.id)] }]);
      published.push(...messages.map((row) => row.message.envelope.eventId));
      return read.length === this.batchSize || cutShort;
    });
    // The next send (an import batch, sentTogether, or what did not fit in this one) is stamped in a later millisecond than this one's messages.
    if (cutShort) await sleep(2);
    // Once the delete has committed (the same moment the database would answer that they are gone).
    for (const id of published) this.recentlyPublished.add(id);
    for (const id of this.recentlyPublished) {
      if (this.recentlyPublished.size <= RECENTLY_PUBLISHED) break;
      this.recentlyPublished.delete(id);
    }
    return full;
  }
}

/**
 * The messages of a batch read from the outbox that go in one send: up to the first of a type in
 * APPLIED_AFTER_COMMIT (an import batch) that follows a message of another key, which goes in the next
 * send, once these are acknowledged and a millisecond has passed. kafkajs stamps each partition's
 * messages as it encodes them, so one send can stamp a message later than one after it in the outbox;
 * sent apart, every message before a batch is stamped before it, and two jobs' batches are stamped apart
 * (ImportBatchHold waits for what was stamped before a batch: neither of two then waits for the other).
 */
function sentTogether<Row extends { message: OutboxMessage }>(rows: Row[]): Row[] {
  const cut = rows.findIndex((row, index) => index > 0 && APPLIED_AFTER_COMMIT.has(row.message.envelope.type) && rows[index - 1].message.key !== row.message.key);
  return cut > 0 ? rows.slice(0, cut) : rows;
}

/**
 * The first of `rows` that fit in one send of the publisher's limit, and always the first row: a message
 * larger than the limit on its own goes alone (the publisher says so if the broker refuses it). An import
 * submits all of a job's batches (~134 KB each for 500 rows) in one transaction, keyed alike: together they
 * would be one record batch of several MB, which Kafka refuses for good (MESSAGE_TOO_LARGE), and every
 * message after them would wait behind them for ever. The rest go in the next sends, in order.
 */
function withinLimit<Row extends { message: OutboxMessage }>(rows: Row[], limit: SendLimit | undefined): Row[] {
  if (!limit) return rows;
  let bytes = 0;
  for (const [index, row] of rows.entries()) {
    bytes += limit.bytesOf(row.message);
    if (index > 0 && bytes > limit.maxBytes) return rows.slice(0, index);
  }
  return rows;
}

/** One integration event per domain event: it reuses the domain event's id, so a replay never duplicates it. */
export function integrationMessage<Payload>(
  topic: string,
  aggregateId: string,
  source: DecidedEvent,
  type: string,
  payload: Payload,
  occurredAt: string,
  schemaVersion = 1,
): OutboxMessage {
  return {
    topic,
    key: aggregateId,
    envelope: {
      eventId: source.eventId,
      type,
      schemaVersion,
      aggregateId,
      aggregateVersion: source.streamVersion,
      occurredAt,
      recordedAt: source.recordedAt,
      correlationId: source.metadata.correlationId,
      causationId: source.metadata.causationId,
      payload,
    },
  };
}
