import { randomUUID } from 'node:crypto';

/** Something SQL can be sent to: a pg Client, a Pool, a service's Database. */
interface Sql {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/**
 * A message `consumer` could not apply, parked as a dead letter the way the consumer parks one (its envelope
 * with a new event id, an error without values); the event id, for a spec that then marks it applied (inbox).
 */
export async function parkDeadLetter(sql: Sql, consumer: string, topic: string, message: { type: string; aggregateId: string; payload: unknown }): Promise<string> {
  const eventId = randomUUID();
  await sql.query(`INSERT INTO dead_letters (consumer, topic, message_id, envelope, error) VALUES ($1, $2, $3, $4, 'spec: could not be applied')`, [
    consumer,
    topic,
    eventId,
    { eventId, ...message },
  ]);
  return eventId;
}
