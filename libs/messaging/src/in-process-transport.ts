import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { MessagePublisher, OutboxMessage } from '@skills/event-sourcing';
import { isObservable, lastValueFrom } from 'rxjs';
import { applyInChunks } from './message-chunks';

/**
 * The one-machine bus: a Nest transport strategy whose handlers are the same @EventPattern
 * methods that consume Kafka. The outbox relay hands it each batch in order and waits until every
 * subscribed handler has applied (or parked) each message before deleting the outbox rows, so
 * delivery is at-least-once through crashes, and the handlers' inbox makes the effect exactly-once.
 * As on Kafka, a batch is applied in chunks (applyInChunks): a crash in the middle of a chunk leaves
 * none of its transactions' work, and the relay's next delivery applies the chunks committed before
 * it no second time.
 */
export class InProcessTransport extends Server implements CustomTransportStrategy, MessagePublisher {
  private markListening!: () => void;
  /** Handlers are registered when the app starts its microservices; nothing is delivered before. */
  private readonly listening = new Promise<void>((resolve) => (this.markListening = resolve));
  /** Set at shutdown: a delivery in hand stops at its chunk's end, rolled back, kept by the relay. */
  private closed = false;

  listen(callback: () => void): void {
    this.markListening();
    callback();
  }

  close(): void {
    this.closed = true;
  }

  on(): void {
    throw new Error('the in-process transport has no events to listen to');
  }

  unwrap<T>(): T {
    return this as unknown as T;
  }

  async publish(messages: OutboxMessage[]): Promise<void> {
    await this.listening;
    const applied = await applyInChunks(messages, {
      typeOf: (message) => message.envelope?.type,
      apply: async (message) => {
        const handler = this.getHandlerByPattern(message.topic);
        if (!handler) return;
        // Nest chains every handler of one pattern and forkJoins them: awaiting the head awaits all.
        const result = await handler(message.envelope, { topic: message.topic, key: message.key });
        if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
      },
      stopping: () => this.closed,
    });
    // The relay keeps the messages (and delivers them again) unless every one was applied.
    if (!applied) throw new Error('the in-process bus closed in the middle of a delivery');
  }
}
