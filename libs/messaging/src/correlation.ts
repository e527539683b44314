import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What every event records of the request or message that caused it. */
export interface RequestContext {
  correlationId: string;
  causationId?: string;
  /** Who made the change: the `X-Actor` header of a request, or the consumer that applied a message. */
  actor?: string;
}

/** The context of the request or message being handled, for event metadata and logs. */
const storage = new AsyncLocalStorage<RequestContext>();

export function runWithCorrelation<T>(correlationId: string, work: () => T, causationId?: string, actor?: string): T {
  return storage.run({ correlationId, causationId, actor }, work);
}

/** Event metadata for a command: pass it as `metadata` so every event records its cause and author. */
export function currentCorrelation(): RequestContext {
  return storage.getStore() ?? { correlationId: randomUUID() };
}
