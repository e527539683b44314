import { Client } from 'pg';
import { waitFor } from './wait-for';

/** Some session of the database waits on a lock held by a transaction that is idle: the first, held at its gate. */
const WAITS_ON_THE_HELD = `SELECT EXISTS (
  SELECT 1 FROM pg_stat_activity waiting
   WHERE waiting.datname = current_database() AND waiting.wait_event_type = 'Lock'
     AND EXISTS (SELECT 1 FROM pg_stat_activity holder WHERE holder.pid = ANY (pg_blocking_pids(waiting.pid)) AND holder.state = 'idle in transaction')
) AS waiting`;

/**
 * Two transactions certainly at once, for a race a test must not leave to timing. `first` calls
 * `beforeCommit()` once it has written (say, from its `finish`) and awaits what it answers; only then
 * does `second` start, and the first commits only once the second waits on one of its locks. Answers
 * both; should either fail, both are let end first, and the first one's failure is thrown.
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
  let secondAnswer: Promise<Second> | undefined;
  let secondEnded = false;
  try {
    await Promise.race([written, firstAnswer]);
    secondAnswer = second();
    void secondAnswer.then(
      () => (secondEnded = true),
      () => (secondEnded = true),
    );
    await waitFor(async () => secondEnded || (await sql.query<{ waiting: boolean }>(WAITS_ON_THE_HELD)).rows[0].waiting || undefined, {
      description: 'the second transaction waiting on a lock of the first',
    });
    if (secondEnded) throw new Error('the second transaction ended without waiting on a lock of the first');
  } catch (error) {
    open();
    throw firstFailure(await Promise.allSettled([firstAnswer, secondAnswer])) ?? error;
  }
  open();
  const [firstSettled, secondSettled] = await Promise.allSettled([firstAnswer, secondAnswer as Promise<Second>]);
  const failure = firstFailure([firstSettled, secondSettled]);
  if (failure !== undefined) throw failure;
  return [(firstSettled as PromiseFulfilledResult<First>).value, (secondSettled as PromiseFulfilledResult<Second>).value];
}

/** The reason of the first of these that failed, if one did: what went wrong, rather than what it caused. */
function firstFailure(settled: PromiseSettledResult<unknown>[]): unknown {
  return settled.find((each): each is PromiseRejectedResult => each.status === 'rejected')?.reason;
}
