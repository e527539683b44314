import { Client } from 'pg';

/**
 * The round trips `work` makes: every query any pg client sends while it runs (a batch of statements
 * sent together is one), BEGIN and COMMIT included. Counts every client of the process: run nothing
 * else meanwhile.
 */
export async function roundTripsOf(work: () => Promise<unknown>): Promise<number> {
  const prototype = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = prototype.query;
  let sent = 0;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    sent++;
    return query.apply(this, args);
  };
  try {
    await work();
  } finally {
    prototype.query = query;
  }
  return sent;
}
