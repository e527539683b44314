import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { MessagePublisher, OutboxMessage, PublishStopped } from '@skills/event-sourcing';
import { applyEveryHandler, applyInChunks } from './message-chunks';

/**
 * The one-machine bus: a Nest transport strategy whose handlers are the same @EventPattern
 * methods that consume Kafka. The outbox relay hands it each batch in order and waits until every
 * subscribed handler has applied (or parked) each message before deleting the outbox rows, so
 * delivery is at-least-once through crashes, and the handlers' inbox makes the effect exactly-once.
 * As on Kafka, a batch is applied in chunks (applyInChunks): a crash in the middle of a chunk leaves
 * none of what it had not committed, and the relay's next delivery applies what was committed before
 * it (earlier chunks, and the parts of a chunk committed early) no second time.
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
    /* nothing to release: the relays, stopping first, tell their deliveries in hand to stop */
  }

  on(): void {
    throw new Error('the in-process transport has no events to listen to');
  }

  unwrap<T>(): T {
    return this as unknown as T;
  }

  /**
   * `stopping`: the relay is stopping; the delivery stops before its next message (what the chunk in
   * hand applied since it began, or since it last committed in part, rolled back) and throws PublishStopped.
   */
  async publish(messages: OutboxMessage[], stopping?: AbortSignal): Promise<void> {
    // A host closed before it started its microservices never listens: the relay's stop must not wait for that.
    if (!(await untilListeningOr(this.listening, stopping))) throw new PublishStopped();
    let applied: boolean;
    try {
      applied = await applyInChunks(messages, {
        typeOf: (message) => message.envelope?.type,
        apply: async (message) => {
          // Our patterns are topic names, their own routes: Nest's getHandlerByPattern would first try
          // each as JSON, and throw and catch a SyntaxError per message.
          const handler = this.messageHandlers.get(message.topic);
          if (handler) await applyEveryHandler(handler, message.envelope, { topic: message.topic, key: message.key });
        },
        stopping: () => stopping?.aborted === true,
      });
    } catch (error) {
      // A chunk's retry given up because the relay is stopping (the database was away): stopped too.
      if (stopping?.aborted) throw new PublishStopped();
      throw error;
    }
    // The relay keeps the messages (and delivers them again) unless every one was applied.
    if (!applied) throw new PublishStopped();
  }
}

/** Whether the transport is listening (true) or the relay stopped first (false). */
function untilListeningOr(listening: Promise<void>, stopping: AbortSignal | undefined): Promise<boolean> {
  if (!stopping) return listening.then(() => true);
  if (stopping.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const stopped = () => resolve(false);
    stopping.addEventListener('abort', stopped, { once: true });
    void listening.then(() => {
      stopping.removeEventListener('abort', stopped);
      resolve(true);
    });
  });
}
