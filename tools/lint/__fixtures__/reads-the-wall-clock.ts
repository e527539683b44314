// A deliberate violation of the clock rule (eslint.config.mjs, wallClockRestriction): service code that
// reads the wall clock instead of the injected Clock. module-boundaries.spec.ts lints this file as if it
// were inside a service and expects two errors; in a test file the same code is allowed.
export function postedToday(): string {
  const startedAt = Date.now();
  const today = new Date().toISOString().slice(0, 10);
  // A date built from a value is fine: it reads no clock.
  const fixed = new Date('2021-09-30T00:00:00Z');
  return `${today} ${startedAt} ${fixed.toISOString()}`;
}
