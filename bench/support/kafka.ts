import { ensureTopics } from '@skills/messaging';
import { fetchKafka, startBroker } from '../../tools/kafka/kafka';

export interface BenchKafka {
  brokers: string[];
  /** How it was obtained, for the report. */
  description: string;
  stop(): Promise<void>;
}

/**
 * KAFKA_BROKERS if set, else a local KRaft broker from tools/kafka (destroyed by stop()). One broker
 * serves every Kafka part of a run: the bare pipeline, the replica latency and the round trips.
 */
export async function benchKafka(): Promise<BenchKafka> {
  let kafka: BenchKafka;
  if (process.env.KAFKA_BROKERS) {
    const brokers = process.env.KAFKA_BROKERS.split(',').map((broker) => broker.trim()).filter(Boolean);
    kafka = { brokers, description: `KAFKA_BROKERS=${brokers.join(',')}`, stop: async () => undefined };
  } else {
    await fetchKafka();
    const broker = await startBroker();
    kafka = { brokers: broker.brokers, description: `local KRaft broker from tools/kafka on ${broker.brokers.join(',')}`, stop: () => broker.destroy() };
  }
  await ensureTopics(kafka.brokers);
  return kafka;
}
