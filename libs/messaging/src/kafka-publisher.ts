import { ClientKafka } from '@nestjs/microservices';
import { MessagePublisher, OutboxMessage } from '@skills/event-sourcing';
import { Partitioners, Producer } from 'kafkajs';

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

/**
 * Publishes outbox batches through the producer that @nestjs/microservices' ClientKafka owns,
 * configured idempotent (no duplicates or reordering on producer retries) with acks from all
 * in-sync replicas. Key = aggregate id keeps each aggregate on one partition, in order.
 */
export class KafkaPublisher implements MessagePublisher {
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

  async publish(messages: OutboxMessage[]): Promise<void> {
    const byTopic = new Map<string, OutboxMessage[]>();
    for (const message of messages) byTopic.set(message.topic, [...(byTopic.get(message.topic) ?? []), message]);
    const producer = await this.producer();
    try {
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, topicMessages]) => ({
          topic,
          messages: topicMessages.map((message) => ({
            key: message.key,
            value: JSON.stringify(message.envelope),
            headers: envelopeHeaders(message),
          })),
        })),
      });
    } catch (error) {
      // The broker no longer agrees with this producer's sequence numbers (a batch it appended whose answer
      // was lost, sent again with more in it), and refuses every later send of this producer for ever. A
      // new producer (a new producer id) sends the batch again; consumers drop the duplicates by event id.
      // Only that producer: one made meanwhile by another send (a dead letter's) is kept.
      if (producerStateLost(error) && this.client.producer === producer) await this.client.close().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** Broker errors after which an idempotent producer cannot send again (kafkajs keeps it as it is). */
const PRODUCER_STATE_LOST = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH', 'INVALID_PRODUCER_ID_MAPPING']);

/** Whether `error`, or what it wraps (kafkajs's retries exceeded, several brokers' errors), is one of those. */
export function producerStateLost(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { type, cause, originalError, errors } = error as { type?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
  if (typeof type === 'string' && PRODUCER_STATE_LOST.has(type)) return true;
  return [cause, originalError, ...(Array.isArray(errors) ? errors : [])].some((inner) => inner !== error && producerStateLost(inner));
}
