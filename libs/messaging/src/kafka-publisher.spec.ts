// Which failed sends make the publisher drop its producer: the broker errors after which kafkajs's
// idempotent producer would be refused for ever, as kafkajs itself wraps them.
import { Logger } from '@nestjs/common';
import { ClientKafka } from '@nestjs/microservices';
import { OutboxMessage } from '@skills/event-sourcing';
import { CompressionTypes, KafkaJSAggregateError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, ProducerBatch } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { GZIP_FROM_BYTES, kafkaMessageBytes, KafkaPublisher, MAX_SEND_BYTES, MessageTooLarge, producerStateLost } from './kafka-publisher';

const protocolError = (type: string) => new KafkaJSProtocolError({ type, code: 0, retriable: false, message: type } as never);

describe('producerStateLost', () => {
  it('is true of a sequence the broker no longer agrees with, bare or as the cause of retries run out, or among several brokers’ errors', () => {
    expect(producerStateLost(protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER'))).toBe(true);
    expect(producerStateLost(new KafkaJSNumberOfRetriesExceeded(protocolError('UNKNOWN_PRODUCER_ID'), { retryCount: 5, retryTime: 100 }))).toBe(true);
    expect(producerStateLost(new KafkaJSAggregateError('several', [protocolError('NOT_LEADER_FOR_PARTITION'), protocolError('INVALID_PRODUCER_EPOCH')]))).toBe(true);
  });

  it('is false of a broker that is away or a leader that moved: the same producer sends again once it is back', () => {
    expect(producerStateLost(protocolError('NOT_LEADER_FOR_PARTITION'))).toBe(false);
    expect(producerStateLost(new KafkaJSNumberOfRetriesExceeded(new Error('Connection timeout'), { retryCount: 5, retryTime: 100 }))).toBe(false);
    expect(producerStateLost(undefined)).toBe(false);
  });
});

/** A message whose envelope is about `bytes` long as JSON (its payload a string of that length). */
const message = (bytes: number, key = 'job-1'): OutboxMessage => ({
  topic: 'skills.trainee.events.v1',
  key,
  envelope: { eventId: randomUUID(), type: 'ImportRowsSubmitted', schemaVersion: 1, aggregateId: key, aggregateVersion: 1, occurredAt: '2026-01-01', recordedAt: '2026-01-01T00:00:00Z', correlationId: 'c', payload: 'x'.repeat(bytes) },
});

/** A publisher on a fake ClientKafka whose producer records each send (or fails as `fail` says). */
function publisherWithSends(fail?: (send: ProducerBatch) => Error | undefined) {
  const sends: ProducerBatch[] = [];
  const producer = {
    sendBatch: async (send: ProducerBatch) => {
      const error = fail?.(send);
      if (error) throw error;
      sends.push(send);
      return [];
    },
  };
  const client = { connect: async () => producer, producer, close: async () => undefined } as unknown as ClientKafka;
  return { publisher: new KafkaPublisher(client), sends };
}

const eventIds = (send: ProducerBatch) => (send.topicMessages ?? []).flatMap((topic) => topic.messages.map((each) => (JSON.parse(String(each.value)) as { eventId: string }).eventId));

describe('KafkaPublisher.publish', () => {
  it('sends what it is handed in one send, in the order given, and tells its relay how much one send may carry', async () => {
    const { publisher, sends } = publisherWithSends();
    const messages = [300_000, 300_000, 10].map((bytes) => message(bytes));
    await publisher.publish(messages);
    expect(sends.map(eventIds)).toEqual([messages.map((each) => each.envelope.eventId)]);
    expect(publisher.sendLimit).toMatchObject({ maxBytes: MAX_SEND_BYTES });
    expect(publisher.sendLimit.bytesOf(messages[0])).toBe(kafkaMessageBytes(messages[0]));
    expect(kafkaMessageBytes(messages[0])).toBeGreaterThan(300_000);
  });

  it('compresses a send with gzip from GZIP_FROM_BYTES on, not a small one', async () => {
    const { publisher, sends } = publisherWithSends();
    await publisher.publish([message(100)]);
    await publisher.publish([message(GZIP_FROM_BYTES)]);
    expect(sends.map((send) => send.compression)).toEqual([CompressionTypes.None, CompressionTypes.GZIP]);
  });

  it('names the message a broker refuses as too large (id, type, topic, size; never the payload), logged as an error once', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      // As the producer throws it, and as kafkajs's retrier wraps it.
      const tooLarge = protocolError('MESSAGE_TOO_LARGE');
      const refusals = [tooLarge, Object.assign(new KafkaJSNonRetriableError(tooLarge), { cause: tooLarge })];
      let attempt = 0;
      const { publisher } = publisherWithSends(() => refusals[attempt]);
      const huge = message(2_000_000);
      for (; attempt < refusals.length; attempt++) {
        const error = (await publisher.publish([huge]).catch((thrown: unknown) => thrown)) as MessageTooLarge;
        expect(error).toBeInstanceOf(MessageTooLarge);
        expect(error).toMatchObject({ topic: huge.topic, messageId: huge.envelope.eventId, messageType: 'ImportRowsSubmitted', bytes: kafkaMessageBytes(huge), cause: refusals[attempt] });
        expect(error.message).toContain(`message ${huge.envelope.eventId} (ImportRowsSubmitted) to ${huge.topic}, ${kafkaMessageBytes(huge)} bytes before gzip`);
        expect(error.message).not.toContain('xxxxxxxx');
      }
      expect(logged.mock.calls.filter(([text]) => String(text).includes(huge.envelope.eventId))).toHaveLength(1);
    } finally {
      logged.mockRestore();
    }
  });

  it('passes other failures on as they are', async () => {
    const refusal = new KafkaJSNumberOfRetriesExceeded(new Error('Connection timeout'), { retryCount: 5, retryTime: 100 });
    const { publisher } = publisherWithSends(() => refusal);
    await expect(publisher.publish([message(10)])).rejects.toBe(refusal);
  });
});
