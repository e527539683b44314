import { Client } from 'pg';
import { waitFor } from './wait-for';

/**
 * Two transactions certainly at once, for a race a test must not leave to timing. `first` calls
 * `beforeCommit()` once it has written (say, from its `finish`) and awaits what it answers; only then
 * does `second` start, and the first commits only once some session of `sql`'s database waits on a
 * lock (the second meeting rows the first wrote and holds). Answers both.
 */
export async function overlapping<First, Second>(sql: Client, first: (beforeCommit: () => Promise<void>) => Promise<First>, second: () => Promise<Second>): Promise<[First, Second]> {
  let reached = () => undefined as void;
  let open = () => undefined as void;
  const written = new Promise<void>((resolve) => (reached = resolve));
  const gate = new Promise<void>((resolve) => (open = resolve));
  const firstAnswer = first(() => {
    reached();
    return gate;
  });
  await Promise.race([written, firstAnswer]);
  const secondAnswer = second();
  try {
    await waitFor(
      async () => (await sql.query<{ waiting: boolean }>("SELECT count(*) > 0 AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")).rows[0].waiting || undefined,
      { description: 'the second transaction waiting on a lock of the first' },
    );
  } finally {
    open();
  }
  return Promise.all([firstAnswer, secondAnswer]);
}
