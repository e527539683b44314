import { DEAD_LETTER_TOPIC, IntegrationEnvelope } from '@skills/contracts';
import { Database } from '@skills/postgres';
import { Producer } from 'kafkajs';

export interface DeadLetter {
  consumer: string;
  topic: string;
  envelope: IntegrationEnvelope;
  error: string;
}

/** Where a message goes after it kept failing, so its partition can move on. */
export interface DeadLetterSink {
  park(letter: DeadLetter): Promise<void>;
}

/** Kafka deployments: the dead-letter topic, keyed by consumer, error and origin in headers. */
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

/** The in-process deployment has no broker: letters go to the consumer's own table. */
export class TableDeadLetterSink implements DeadLetterSink {
  constructor(private readonly database: Database) {}

  async park(letter: DeadLetter): Promise<void> {
    await this.database.query('INSERT INTO dead_letters (consumer, topic, message_id, envelope, error) VALUES ($1, $2, $3, $4, $5)', [
      letter.consumer,
      letter.topic,
      letter.envelope?.eventId ?? null,
      JSON.stringify(letter.envelope ?? null),
      letter.error,
    ]);
  }
}
