import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { MessagePublisher, OutboxMessage } from '@skills/event-sourcing';
import { isObservable, lastValueFrom } from 'rxjs';

/**
 * The one-machine bus: a Nest transport strategy whose handlers are the same @EventPattern
 * methods that consume Kafka. The outbox relay hands it each batch in order and waits until every
 * subscribed handler has applied (or parked) each message before deleting the outbox rows, so
 * delivery is at-least-once through crashes, and the handlers' inbox makes the effect exactly-once.
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
    for (const message of messages) {
      const handler = this.getHandlerByPattern(message.topic);
      if (!handler) continue;
      // Nest chains every handler of one pattern and forkJoins them: awaiting the head awaits all.
      const result = await handler(message.envelope, { topic: message.topic, key: message.key });
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
    }
  }
}
