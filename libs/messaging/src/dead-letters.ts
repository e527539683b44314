import { DEAD_LETTER_TOPIC, IntegrationEnvelope } from '@skills/contracts';
import { DomainRefusal, isUuid } from '@skills/domain-kernel';
import { MessagePublisher } from '@skills/event-sourcing';
import { Database, Sql } from '@skills/postgres';
import { Producer } from 'kafkajs';

export interface DeadLetter {
  consumer: string;
  topic: string;
  envelope: IntegrationEnvelope;
  /** Already sanitised (describeFailure): no value Postgres quoted, so no personal data. */
  error: string;
}

/** The letter `d` holds a fact (it has an event id) that its consumer has not applied since (its inbox says so). */
const UNAPPLIED = `d.message_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM inbox i WHERE i.consumer = d.consumer AND i.message_id = d.message_id)`;

/**
 * SQL: whether one of the dead letters (`d`) that `condition` picks has not been applied since (a retry
 * that answered "pending" applies it later and leaves the letter: the inbox says so). For a decision that
 * must not be taken on a replica that lacks one of the facts it stands on. A letter without an event id is
 * no message any retry could apply (nor any consumer: it was never a fact) and stands in the way of nothing.
 */
export const unappliedLetterWhere = (condition: string) => `EXISTS (SELECT 1 FROM dead_letters d WHERE ${condition} AND ${UNAPPLIED})`;

/**
 * SQL: how many of the dead letters (`d`) that `condition` picks have not been applied since (as
 * unappliedLetterWhere), as an int. For a read: facts its answer does not hold (Pending-Facts).
 */
export const unappliedLettersCount = (condition: string) => `(SELECT count(*)::int FROM dead_letters d WHERE ${condition} AND ${UNAPPLIED})`;

/**
 * SQL: whether one of the dead letters of the consumer `consumer` (an SQL parameter, `$2`) holds a message of
 * `topic` about the aggregate `aggregateId` (an SQL parameter, taken as text) that has not been applied
 * since (unappliedLetterWhere), found by its index (DeadLettersByAggregate).
 */
export const unappliedLetterAbout = (topic: string, consumer: string, aggregateId: string) =>
  unappliedLetterWhere(`d.consumer = ${consumer} AND d.topic = '${topic}' AND d.envelope->>'aggregateId' = ${aggregateId}::text`);

/**
 * SQL: whether one of the dead letters of the consumer `consumer` (an SQL parameter) holds a message whose
 * payload names the trainee `traineeId` (an SQL parameter, any case) and has not been applied since. For
 * facts not keyed by the trainee (training's are keyed by their course): found by the payload, so it reads
 * every letter of the consumer, not the aggregate's index.
 */
export const unappliedLetterAboutTrainee = (consumer: string, traineeId: string) => unappliedLetterWhere(letterAboutTrainee(consumer, traineeId));

/** SQL: how many such letters about the trainee there are (unappliedLetterAboutTrainee), as an int: for a read of the trainee's facts. */
export const unappliedLettersAboutTrainee = (consumer: string, traineeId: string) => unappliedLettersCount(letterAboutTrainee(consumer, traineeId));

/**
 * How many facts of the consumer `consumer` (about the trainee `traineeId` only, when given) wait here as
 * dead letters not applied since: what a read's answer lacks (withParkedFacts, Pending-Facts).
 */
export async function countUnappliedLetters(sql: Sql, consumer: string, traineeId?: string): Promise<number> {
  const count = traineeId === undefined ? unappliedLettersCount('d.consumer = $1') : unappliedLettersAboutTrainee('$1', '$2');
  const { rows } = await sql.query<{ parked: number }>(`SELECT ${count} AS parked`, traineeId === undefined ? [consumer] : [consumer, traineeId]);
  return rows[0].parked;
}

const letterAboutTrainee = (consumer: string, traineeId: string) => `d.consumer = ${consumer} AND lower(d.envelope->'payload'->>'traineeId') = lower(${traineeId})`;

/** Where a message goes after it kept failing, so its partition can move on. */
export interface DeadLetterSink {
  park(letter: DeadLetter): Promise<void>;
}

/** A dead letter as operators see it (/admin/dead-letters): never the message's payload. */
export interface StoredDeadLetter {
  id: string;
  consumer: string;
  topic: string;
  eventId: string | null;
  eventType: string | null;
  error: string;
  parkedAt: string;
}

/** What a retry did: applied (the letter is gone), failed again (the new error), or not settled in time. */
export type DeadLetterRetry = { id: string; outcome: 'applied' } | { id: string; outcome: 'failed' | 'pending'; letter: StoredDeadLetter };

/** Kafka deployments also publish each letter to the dead-letter topic, keyed by consumer, error and origin in headers. */
export class KafkaDeadLetterSink implements DeadLetterSink {
  constructor(private readonly producer: () => Promise<Producer>) {}

  async park(letter: DeadLetter): Promise<void> {
    const producer = await this.producer();
    await producer.send({
      topic: DEAD_LETTER_TOPIC,
      acks: -1,
      messages: [
        {
          key: letter.consumer,
          value: JSON.stringify(letter.envelope ?? null),
          headers: { consumer: letter.consumer, 'original-topic': letter.topic, error: letter.error.slice(0, 4000), eventId: String(letter.envelope?.eventId ?? '') },
        },
      ],
    });
  }
}

const COLUMNS = `id::text AS id, consumer, topic, message_id::text AS event_id, envelope->>'type' AS event_type, error, failed_at`;
type Row = { id: string; consumer: string; topic: string; event_id: string | null; event_type: string | null; error: string; failed_at: Date };
const stored = (row: Row): StoredDeadLetter => ({
  id: row.id,
  consumer: row.consumer,
  topic: row.topic,
  eventId: row.event_id,
  eventType: row.event_type,
  error: row.error,
  parkedAt: row.failed_at.toISOString(),
});

/** What Postgres answers for JSON text jsonb cannot hold (an unsupported Unicode escape, an invalid one, bad text). */
const JSONB_REFUSES = new Set(['22P02', '22P05', '22021', '22025']);

/** JSON that jsonb stores: each NUL escape (`\u0000`, not one whose backslash is itself escaped) as that text. */
const storableJson = (value: unknown): string => JSON.stringify(value).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\\\u0000');

/**
 * The service's dead letters, in its own `dead_letters` table in every deployment (so /admin/dead-letters,
 * the metric and readiness see them), forwarded to the dead-letter topic when there is a broker. One row
 * per (consumer, event id): a letter that fails again after a retry keeps its row with the new error.
 * A retry re-publishes the envelope on its topic through the service's publisher (the outbox relay's):
 * the consumers that applied it skip it by their inbox, the one that failed applies it or parks it again.
 */
export class DeadLetters implements DeadLetterSink {
  constructor(
    private readonly database: Database,
    private readonly publisher: MessagePublisher,
    private readonly forward?: DeadLetterSink,
    /** How long a retry waits for the consumer's verdict (on Kafka it comes back through the broker). */
    private readonly settleMs = 10_000,
  ) {}

  async park(letter: DeadLetter): Promise<void> {
    // Recorded before forwarding: if forwarding fails, the message is redelivered and lands on this row again
    // (one with an id that is no uuid: on a row of its own each time). Whatever the message holds, the letter
    // can be stored: such an id is kept only in the envelope, a NUL, which jsonb refuses, as its escape's
    // text, and anything else jsonb refuses (a lone surrogate's escape) with the envelope kept as the text it
    // was. A letter that could not be stored would fail its message's delivery for ever, holding back its partition.
    const eventId = letter.envelope?.eventId;
    const record = (envelope: string) =>
      this.database.query(
        `INSERT INTO dead_letters (consumer, topic, message_id, envelope, error) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (consumer, message_id) DO UPDATE SET topic = excluded.topic, envelope = excluded.envelope, error = excluded.error, failed_at = clock_timestamp()`,
        [letter.consumer, letter.topic, isUuid(eventId) ? eventId : null, envelope, letter.error.replaceAll('\0', '\\0')],
      );
    await record(storableJson(letter.envelope ?? null)).catch((error: { code?: string }) => {
      if (!JSONB_REFUSES.has(error?.code ?? '')) throw error;
      return record(JSON.stringify(JSON.stringify(letter.envelope ?? null)));
    });
    await this.forward?.park(letter);
  }

  /** Dead letters per consumer that has any. */
  async counts(): Promise<{ consumer: string; count: number }[]> {
    const { rows } = await this.database.query<{ consumer: string; count: number }>('SELECT consumer, count(*)::int AS count FROM dead_letters GROUP BY consumer ORDER BY consumer');
    return rows;
  }

  /**
   * `limit` dead letters, oldest first, after the letter `after` (an id) when given, with how many there
   * are in all and the id to go on after (null when none follow).
   */
  async list(page: { after?: string; limit?: number } = {}): Promise<{ count: number; letters: StoredDeadLetter[]; nextCursor: string | null }> {
    const limit = page.limit ?? 100;
    const [{ rows }, { rows: counted }] = await Promise.all([
      this.database.query<Row>(`SELECT ${COLUMNS} FROM dead_letters WHERE ($1::bigint IS NULL OR id > $1) ORDER BY id LIMIT $2`, [page.after ?? null, limit + 1]),
      this.database.query<{ count: number }>('SELECT count(*)::int AS count FROM dead_letters'),
    ]);
    const letters = rows.slice(0, limit).map(stored);
    return { count: counted[0].count, letters, nextCursor: rows.length > limit ? letters[letters.length - 1].id : null };
  }

  /** Re-delivers a letter to its consumer (after a fix); undefined when there is no such letter. */
  async retry(id: string): Promise<DeadLetterRetry | undefined> {
    if (!/^\d{1,18}$/.test(id)) return undefined;
    const { rows } = await this.database.query<{ consumer: string; topic: string; event_id: string | null; envelope: IntegrationEnvelope; failed_at: string }>(
      'SELECT consumer, topic, message_id::text AS event_id, envelope, failed_at::text AS failed_at FROM dead_letters WHERE id = $1',
      [id],
    );
    const letter = rows[0];
    if (!letter) return undefined;
    if (!letter.event_id)
      throw new DomainRefusal('dead_letter_not_an_envelope', `dead letter ${id} is not an integration envelope: there is nothing a consumer could apply`, { id });
    if (!(await this.applied(letter.consumer, letter.event_id)))
      await this.publisher.publish([{ topic: letter.topic, key: letter.envelope.aggregateId ?? letter.event_id, envelope: letter.envelope }]);
    const deadline = Date.now() + this.settleMs;
    for (;;) {
      if (await this.applied(letter.consumer, letter.event_id)) {
        await this.database.query('DELETE FROM dead_letters WHERE id = $1', [id]);
        return { id, outcome: 'applied' };
      }
      // failed_at as text: a JS Date would drop its microseconds and make every letter look parked again.
      const again = await this.database.query<Row>(`SELECT ${COLUMNS} FROM dead_letters WHERE id = $1 AND failed_at > $2::timestamptz`, [id, letter.failed_at]);
      if (again.rows[0]) return { id, outcome: 'failed', letter: stored(again.rows[0]) };
      if (Date.now() > deadline) {
        const still = await this.database.query<Row>(`SELECT ${COLUMNS} FROM dead_letters WHERE id = $1`, [id]);
        return still.rows[0] ? { id, outcome: 'pending', letter: stored(still.rows[0]) } : { id, outcome: 'applied' };
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async applied(consumer: string, eventId: string): Promise<boolean> {
    const { rowCount } = await this.database.query('SELECT 1 FROM inbox WHERE consumer = $1 AND message_id = $2', [consumer, eventId]);
    return (rowCount ?? 0) > 0;
  }
}
