import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** The correlation id of the request or message being handled, for event metadata and logs. */
const storage = new AsyncLocalStorage<{ correlationId: string; causationId?: string }>();

export function runWithCorrelation<T>(correlationId: string, work: () => T, causationId?: string): T {
  return storage.run({ correlationId, causationId }, work);
}

export function currentCorrelation(): { correlationId: string; causationId?: string } {
  return storage.getStore() ?? { correlationId: randomUUID() };
}
