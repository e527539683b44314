// Which failed sends make the publisher drop its producer: the broker errors after which kafkajs's
// idempotent producer would be refused for ever, as kafkajs itself wraps them.
import { KafkaJSAggregateError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { producerStateLost } from './kafka-publisher';

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
