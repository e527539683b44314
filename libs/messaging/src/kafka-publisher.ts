import { Logger } from '@nestjs/common';
import { ClientKafka } from '@nestjs/microservices';
import { MessagePublisher, OutboxMessage, SendLimit } from '@skills/event-sourcing';
import { CompressionTypes, Partitioners, Producer } from 'kafkajs';

/**
 * The most one send carries, in bytes of values, keys and headers (kafkaMessageBytes). A broker refuses
 * a record batch (a send's messages to one partition) larger than its message.max.bytes, 1,048,588 bytes
 * by default (nothing here raises it: tools/kafka, docker-compose.yml, k8s/), and no retry changes that
 * (MESSAGE_TOO_LARGE). What is left below it is for the batch's header and the records' framing.
 */
export const MAX_SEND_BYTES = 900_000;

/**
 * A send from this size on is compressed with gzip (built into kafkajs and every client): an import's
 * batches (~134 KB as JSON for 500 rows) shrink to under half. Smaller sends, which a request waits
 * for, are not held up compressing what would hardly shrink.
 */
export const GZIP_FROM_BYTES = 64 * 1024;

/** A record's own bytes around its key, value and headers (lengths, offset and timestamp deltas), at most. */
const RECORD_FRAMING_BYTES = 64;

export function envelopeHeaders(message: OutboxMessage): Record<string, string> {
  const { envelope } = message;
  return {
    eventId: envelope.eventId,
    type: envelope.type,
    schemaVersion: String(envelope.schemaVersion),
    correlationId: envelope.correlationId,
    ...(envelope.causationId ? { causationId: envelope.causationId } : {}),
  };
}

/** A message's size in a send: its value (the envelope as JSON), key and headers, and the record's framing. */
export function kafkaMessageBytes(message: OutboxMessage, value = JSON.stringify(message.envelope)): number {
  const headers = Object.entries(envelopeHeaders(message)).reduce((sum, [name, text]) => sum + Buffer.byteLength(name) + Buffer.byteLength(text), 0);
  return Buffer.byteLength(value) + Buffer.byteLength(message.key) + headers + RECORD_FRAMING_BYTES;
}

/**
 * What the publisher throws when the broker refuses a send for its size (MESSAGE_TOO_LARGE): it names the
 * message (its id, type, topic and size, never its payload). A message too large on its own stays at the
 * head of the outbox, and nothing after it is published, until the broker's limit (message.max.bytes, or
 * the topic's max.message.bytes) is raised above it or the message is taken out.
 */
export class MessageTooLarge extends Error {
  constructor(
    readonly topic: string,
    readonly messageId: string,
    readonly messageType: string,
    readonly bytes: number,
    readonly sent: { messages: number; bytes: number; gzip: boolean },
    cause: unknown,
  ) {
    const what = `message ${messageId} (${messageType}) to ${topic}, ${bytes} bytes${sent.gzip ? ' before gzip' : ''}`;
    super(
      sent.messages === 1
        ? `the broker refused ${what}, as larger than it takes (MESSAGE_TOO_LARGE): it stays at the head of the outbox, and nothing after it is published until the broker's message.max.bytes (or the topic's max.message.bytes) is raised above it or it is taken out of the outbox`
        : `the broker refused a send of ${sent.messages} messages, ${sent.bytes} bytes${sent.gzip ? ' before gzip' : ''} (the largest ${what}), as larger than it takes (MESSAGE_TOO_LARGE): its message.max.bytes is below this publisher's ${MAX_SEND_BYTES}`,
      { cause },
    );
    this.name = 'MessageTooLarge';
  }
}

const logger = new Logger('KafkaPublisher');

/**
 * Publishes outbox batches through the producer that @nestjs/microservices' ClientKafka owns,
 * configured idempotent (no duplicates or reordering on producer retries) with acks from all
 * in-sync replicas. Key = aggregate id keeps each aggregate on one partition, in order.
 * A send carries at most MAX_SEND_BYTES (`sendLimit`: the relay hands it no more at once, and sends the
 * rest after this one is acknowledged, so a key's messages stay in order across sends).
 */
export class KafkaPublisher implements MessagePublisher {
  readonly sendLimit: SendLimit = { maxBytes: MAX_SEND_BYTES, bytesOf: (message) => kafkaMessageBytes(message) };
  /** The ids of messages refused as too large that were logged as errors: once each, not at every retry of the relay. */
  private readonly reportedTooLarge = new Set<string>();

  constructor(private readonly client: ClientKafka) {}

  static client(brokers: string[], clientId: string): ClientKafka {
    return new ClientKafka({
      client: { clientId, brokers, retry: { retries: 5, initialRetryTime: 100 } },
      // Bounded retries (kafkajs warns this weakens its own exactly-once): a send that fails is
      // retried by the relay as a whole, and consumers drop the duplicate by event id.
      producer: { idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true, createPartitioner: Partitioners.DefaultPartitioner },
      producerOnlyMode: true,
      postfixId: '',
    });
  }

  async producer(): Promise<Producer> {
    // ClientKafka keeps a failed connect() promise forever; close() drops it so the next call connects anew.
    await this.client.connect().catch(async (error) => {
      await this.client.close().catch(() => undefined);
      throw error;
    });
    return this.client.producer;
  }

  /** One send, each topic's messages in the order given: the relay hands it at most `sendLimit` at once. */
  async publish(messages: OutboxMessage[]): Promise<void> {
    const records = messages.map((message) => {
      const value = JSON.stringify(message.envelope);
      return { message, value, bytes: kafkaMessageBytes(message, value) };
    });
    const bytes = records.reduce((sum, record) => sum + record.bytes, 0);
    const producer = await this.producer();
    const byTopic = new Map<string, KafkaRecord[]>();
    for (const record of records) byTopic.set(record.message.topic, [...(byTopic.get(record.message.topic) ?? []), record]);
    const gzip = bytes >= GZIP_FROM_BYTES;
    try {
      await producer.sendBatch({
        acks: -1,
        compression: gzip ? CompressionTypes.GZIP : CompressionTypes.None,
        topicMessages: [...byTopic].map(([topic, topicRecords]) => ({
          topic,
          messages: topicRecords.map(({ message, value }) => ({ key: message.key, value, headers: envelopeHeaders(message) })),
        })),
      });
    } catch (error) {
      // The broker no longer agrees with this producer's sequence numbers (a batch it appended whose answer
      // was lost, sent again with more in it), and refuses every later send of this producer for ever. A
      // new producer (a new producer id) sends the batch again; consumers drop the duplicates by event id.
      // Only that producer: one made meanwhile by another send (a dead letter's) is kept.
      if (producerStateLost(error) && this.client.producer === producer) await this.client.close().catch(() => undefined);
      if (hasBrokerError(error, TOO_LARGE)) throw this.tooLarge(records, bytes, gzip, error);
      throw error;
    }
  }

  /** The refusal, naming the send's largest message; logged as an error once for each message. */
  private tooLarge(records: KafkaRecord[], bytes: number, gzip: boolean, cause: unknown): MessageTooLarge {
    const largest = records.reduce((most, record) => (record.bytes > most.bytes ? record : most));
    const { topic, envelope } = largest.message;
    const error = new MessageTooLarge(topic, envelope.eventId, envelope.type, largest.bytes, { messages: records.length, bytes, gzip }, cause);
    if (!this.reportedTooLarge.has(envelope.eventId)) {
      if (this.reportedTooLarge.size >= 1_000) this.reportedTooLarge.clear();
      this.reportedTooLarge.add(envelope.eventId);
      logger.error(error.message);
    }
    return error;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

interface KafkaRecord {
  message: OutboxMessage;
  value: string;
  bytes: number;
}

/** Broker errors after which an idempotent producer cannot send again (kafkajs keeps it as it is). */
const PRODUCER_STATE_LOST = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH', 'INVALID_PRODUCER_ID_MAPPING']);

/** Broker errors refusing a send for its size: sent again as it is, it is refused again. */
const TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

/** Whether `error`, or what it wraps (kafkajs's retries exceeded, several brokers' errors), is one of those. */
export function producerStateLost(error: unknown): boolean {
  return hasBrokerError(error, PRODUCER_STATE_LOST);
}

/** Whether `error`, or what it wraps, is a broker error of one of these types. */
function hasBrokerError(error: unknown, types: ReadonlySet<string>): boolean {
  if (!error || typeof error !== 'object') return false;
  const { type, cause, originalError, errors } = error as { type?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
  if (typeof type === 'string' && types.has(type)) return true;
  return [cause, originalError, ...(Array.isArray(errors) ? errors : [])].some((inner) => inner !== error && hasBrokerError(inner, types));
}
