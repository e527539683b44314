import { BusinessDate, businessDateOf } from './business-date';

/**
 * Where "now" comes from. Services never read the wall clock themselves (a lint rule forbids
 * `new Date()` and `Date.now()` in their code): the command pipeline hands `clock.now()` to each
 * aggregate's `decide`, so a test can fix "today" and see every rule judged against it.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that always answers the same instant (tests, replays). */
export function fixedClock(instant: Date | string): Clock {
  const fixed = new Date(instant);
  return { now: () => new Date(fixed) };
}

/** Today's business date (UTC+8) by a clock. */
export const todayBy = (clock: Clock): BusinessDate => businessDateOf(clock.now());
