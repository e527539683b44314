import { Actor } from '@skills/contracts';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What every event records of the request or message that caused it. */
export interface RequestContext {
  correlationId: string;
  causationId?: string;
  /**
   * Who made the change: the signed-in caller of a request (set by the AuthGuard), or the platform
   * itself (`via: system`) for a consumer applying a message.
   */
  actor?: Actor;
  /**
   * For an HTTP request: how to wait until the integration messages its commands enqueued are
   * published (PublicationInterceptor answers only then). Each resolves false if the wait ran out.
   */
  publications?: Array<(timeoutMs: number) => Promise<boolean>>;
}

/** The context of the request or message being handled, for event metadata and logs. */
const storage = new AsyncLocalStorage<RequestContext>();

export function runWithCorrelation<T>(correlationId: string, work: () => T, causationId?: string, actor?: Actor): T {
  return storage.run({ correlationId, causationId, actor }, work);
}

/** Records the authenticated caller of the request being handled as the actor of what it causes. */
export function actAs(actor: Actor): void {
  const context = storage.getStore();
  if (context) context.actor = actor;
}

/** Event metadata for a command: every event records its cause and author. */
export function currentCorrelation(): RequestContext {
  return storage.getStore() ?? { correlationId: randomUUID() };
}
