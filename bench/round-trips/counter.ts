// Runs inside a service host process (bench/latency/host.ts with countRoundTrips): counts every
// `query` call on the connections each service's pool hands out, BEGIN and COMMIT included, and
// attributes it to the HTTP request whose correlation id is in scope when the call is made.
import { currentCorrelation } from '@skills/messaging';
import { WakeableLoop } from '@skills/postgres';
import { ServiceRegistry } from '@skills/service-runtime';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Pool, PoolClient } from 'pg';

/** One round trip: a `query` call on a pooled connection. */
export interface RoundTrip {
  /** The service whose pool the connection belongs to (its schema). */
  service: string;
  /** The statements sent together, each cut short before its first literal (no values are kept). */
  statement: string;
  /** How many statements the round trip carried (several, sent together in one simple query). */
  statements: number;
  /** Sent between BEGIN and COMMIT/ROLLBACK on that connection. */
  inTransaction: boolean;
  /**
   * Sent by a background loop (the outbox relay, a projection runner) that the request woke and
   * that therefore runs in its async context; not the command's own work, and shared under load by
   * every command committed meanwhile.
   */
  background: boolean;
}

const WRAPPED = Symbol('bench round-trip counter');
/** Set by the wrapped WakeableLoop.wake: what a loop does is never the waking request's own work. */
const backgroundLoop = new AsyncLocalStorage<true>();
/** Correlation id → what requests carrying it sent. */
const recorded = new Map<string, RoundTrip[]>();
const open = new WeakMap<object, boolean>();

/**
 * Wraps the pools of every service module registered in this host. Only requests whose correlation
 * id starts with `prefix` are recorded; messages consumed with the same correlation id (a consumer
 * applying what the request caused) carry a causation id and are left out.
 */
export function countRoundTrips(registry: ServiceRegistry, prefix: string): void {
  const wake = WakeableLoop.prototype.wake;
  WakeableLoop.prototype.wake = function (this: WakeableLoop) {
    return backgroundLoop.run(true, () => wake.call(this));
  };
  for (const { name, database } of registry.services.values()) wrapPool(database.pool, name, prefix);
}

/** What requests with this correlation id sent, and forgets it. */
export function takeRoundTrips(correlationId: string): RoundTrip[] {
  const trips = recorded.get(correlationId) ?? [];
  recorded.delete(correlationId);
  return trips;
}

interface Attribution {
  correlationId: string;
  causationId?: string;
  background: boolean;
}

/**
 * The context a `pool.query` was called in, by its query object: the pool runs the query on a
 * connection in a callback, in the async context of whoever released that connection last.
 */
const calledIn = new WeakMap<object, Attribution>();

function attributionHere(): Attribution {
  const { correlationId, causationId } = currentCorrelation();
  return { correlationId, causationId, background: backgroundLoop.getStore() === true };
}

function wrapPool(pool: Pool, service: string, prefix: string): void {
  // The connections the pool has open already, and every one it opens from now on.
  const opened = (pool as unknown as { _clients: PoolClient[] })._clients ?? [];
  for (const client of opened) wrapClient(client, service, prefix);
  pool.on('connect', (client) => wrapClient(client, service, prefix));
  const target = pool as unknown as { query: (...args: unknown[]) => unknown };
  const query = target.query;
  target.query = function (this: Pool, ...args: unknown[]) {
    // As a query object (node-postgres treats it the same), so the connection's query knows it.
    const config = typeof args[0] === 'string' ? { text: args[0], values: Array.isArray(args[1]) ? args[1] : undefined } : args[0];
    if (config && typeof config === 'object') calledIn.set(config, attributionHere());
    const rest = typeof args[0] === 'string' && Array.isArray(args[1]) ? args.slice(2) : args.slice(1);
    return query.apply(this, [config, ...rest]);
  };
}

function wrapClient(client: PoolClient, service: string, prefix: string): void {
  const target = client as unknown as Record<symbol, boolean> & { query: (...args: unknown[]) => unknown };
  if (target[WRAPPED]) return;
  target[WRAPPED] = true;
  const query = target.query;
  target.query = function (this: PoolClient, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string } | undefined)?.text ?? '');
    const sql = text.replace(/\s+/g, ' ').trim();
    const wasOpen = open.get(client) ?? false;
    if (/^(BEGIN|START TRANSACTION)\b/i.test(sql)) open.set(client, true);
    // COMMIT/ROLLBACK as the (last) statement; ROLLBACK TO SAVEPOINT keeps the transaction open.
    if (/(^|;)\s*(COMMIT|ROLLBACK|END)\s*;?\s*$/i.test(sql)) open.set(client, false);
    const context = (args[0] && typeof args[0] === 'object' ? calledIn.get(args[0]) : undefined) ?? attributionHere();
    if (context.correlationId.startsWith(prefix) && context.causationId === undefined) {
      const trips = recorded.get(context.correlationId) ?? [];
      trips.push({
        service,
        ...summary(text),
        inTransaction: wasOpen || (open.get(client) ?? false) || /^(BEGIN|START TRANSACTION|COMMIT|ROLLBACK|END)\b/i.test(sql),
        background: context.background,
      });
      recorded.set(context.correlationId, trips);
    }
    return query.apply(this, args);
  };
}

/** Each statement of the text (sendTogether joins them with `;\n`), cut before values and shortened. */
function summary(text: string): { statement: string; statements: number } {
  const parts = text
    .split(/;\s*\n/)
    .map((part) => part.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  const short = parts.map((part) => {
    const literal = part.indexOf("'");
    const head = literal >= 0 ? `${part.slice(0, literal)}…` : part;
    return head.length > 60 ? `${head.slice(0, 59)}…` : head;
  });
  return { statement: short.join('; '), statements: parts.length };
}
