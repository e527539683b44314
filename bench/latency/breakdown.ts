import { TRAINEE_TOPIC } from '@skills/contracts';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { withClient } from '../support/postgres';
import { percentile } from '../support/stats';

export interface Traced {
  traineeId: string;
  /** Epoch ms at which the client had the 201. */
  acceptedAt: number;
  /** Epoch ms at which the poll first returned the replica row. */
  visibleAt: number;
}

export interface Stage {
  stage: string;
  count: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * Where the time between the command and the replica row goes, from timestamps the pipeline already
 * leaves behind (read after the run, so measuring costs nothing during it): the command's
 * transaction start (events.recorded_at), the relay's publish (the Kafka record's CreateTime, set by
 * the producer), the consumer's transaction start (inbox.processed_at). All clocks are this machine's.
 */
export async function pipelineBreakdown(options: { brokers: string[]; traineeDbUrl: string; trainingDbUrl: string; traced: Traced[] }): Promise<Stage[]> {
  const wanted = new Set(options.traced.map((trace) => trace.traineeId));
  const commandStart = new Map<string, number>();
  await withClient(options.traineeDbUrl, async (client) => {
    const { rows } = await client.query<{ stream_id: string; at: string }>(
      `SELECT stream_id, (extract(epoch FROM recorded_at) * 1000)::text AS at FROM trainee.events WHERE stream_id LIKE 'trainee-%'`,
    );
    for (const row of rows) commandStart.set(row.stream_id.slice('trainee-'.length), Number(row.at));
  });
  const consumerStart = new Map<string, number>();
  await withClient(options.trainingDbUrl, async (client) => {
    const { rows } = await client.query<{ message_id: string; at: string }>(
      `SELECT message_id::text, (extract(epoch FROM processed_at) * 1000)::text AS at FROM training.inbox`,
    );
    for (const row of rows) consumerStart.set(row.message_id, Number(row.at));
  });
  const published = await publishTimes(options.brokers, wanted);

  // The 201 goes out once the command's messages are published (PublicationInterceptor), so the
  // publication comes before the answer and the consumer's side starts from the publication.
  const stages: Record<string, number[]> = {
    'command transaction start → relay published to Kafka (CreateTime)': [],
    'published → 201 read by client': [],
    'published → consumer transaction start': [],
    'consumer transaction start → row seen by the poll': [],
  };
  const [toPublish, toAnswer, toConsume, toVisible] = Object.values(stages);
  for (const trace of options.traced) {
    const start = commandStart.get(trace.traineeId);
    const record = published.get(trace.traineeId);
    const consumed = record ? consumerStart.get(record.eventId) : undefined;
    if (start !== undefined && record) toPublish.push(record.timestamp - start);
    if (record) toAnswer.push(trace.acceptedAt - record.timestamp);
    if (record && consumed !== undefined) toConsume.push(consumed - record.timestamp);
    if (consumed !== undefined) toVisible.push(trace.visibleAt - consumed);
  }
  return Object.entries(stages).map(([stage, values]) => ({ stage, count: values.length, p50Ms: percentile(values, 50), p99Ms: percentile(values, 99) }));
}

/** Reads the trainee topic to its end: trainee id (key) → event id and the record's timestamp. */
async function publishTimes(brokers: string[], wanted: Set<string>): Promise<Map<string, { eventId: string; timestamp: number }>> {
  const kafka = new Kafka({ clientId: 'bench-breakdown', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(TRAINEE_TOPIC);
  await admin.disconnect();
  const remaining = new Map(ends.filter((end) => Number(end.high) > Number(end.low)).map((end) => [end.partition, Number(end.high)]));
  const found = new Map<string, { eventId: string; timestamp: number }>();
  if (remaining.size === 0) return found;
  const consumer = kafka.consumer({ groupId: `bench-breakdown-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: TRAINEE_TOPIC, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => resolve(), 20_000);
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            for (const message of batch.messages) {
              const key = message.key?.toString();
              const eventId = message.headers?.eventId?.toString();
              if (key && eventId && wanted.has(key)) found.set(key, { eventId, timestamp: Number(message.timestamp) });
              const high = remaining.get(batch.partition);
              if (high !== undefined && Number(message.offset) + 1 >= high) remaining.delete(batch.partition);
            }
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return found;
}
