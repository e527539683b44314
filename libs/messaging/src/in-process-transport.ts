import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { MessagePublisher, OutboxMessage } from '@skills/event-sourcing';
import { TransactionScope } from '@skills/postgres';
import { isObservable, lastValueFrom } from 'rxjs';

/** Messages applied in one transaction per service database at most, as BatchingKafkaServer does. */
const MESSAGES_PER_TRANSACTION = 10;

/**
 * The one-machine bus: a Nest transport strategy whose handlers are the same @EventPattern
 * methods that consume Kafka. The outbox relay hands it each batch in order and waits until every
 * subscribed handler has applied (or parked) each message before deleting the outbox rows, so
 * delivery is at-least-once through crashes, and the handlers' inbox makes the effect exactly-once.
 * As on Kafka (BatchingKafkaServer), a batch is applied ten messages to a transaction per service
 * database, each message in a savepoint: a crash in the middle of a chunk leaves nothing of it, and
 * the relay's next delivery applies the chunks committed before it no second time.
 */
export class InProcessTransport extends Server implements CustomTransportStrategy, MessagePublisher {
  private markListening!: () => void;
  /** Handlers are registered when the app starts its microservices; nothing is delivered before. */
  private readonly listening = new Promise<void>((resolve) => (this.markListening = resolve));

  listen(callback: () => void): void {
    this.markListening();
    callback();
  }

  close(): void {
    /* nothing to release */
  }

  on(): void {
    throw new Error('the in-process transport has no events to listen to');
  }

  unwrap<T>(): T {
    return this as unknown as T;
  }

  async publish(messages: OutboxMessage[]): Promise<void> {
    await this.listening;
    for (let from = 0; from < messages.length; from += MESSAGES_PER_TRANSACTION) {
      await TransactionScope.run(async () => {
        for (const message of messages.slice(from, from + MESSAGES_PER_TRANSACTION)) {
          const handler = this.getHandlerByPattern(message.topic);
          if (!handler) continue;
          // Nest chains every handler of one pattern and forkJoins them: awaiting the head awaits all.
          const result = await handler(message.envelope, { topic: message.topic, key: message.key });
          if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
        }
      });
    }
  }
}
