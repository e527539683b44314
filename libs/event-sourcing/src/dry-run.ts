import { AsyncLocalStorage } from 'node:async_hooks';

/** Set for the work of a dry run: every write it makes is rolled back at its end. */
const dryRuns = new AsyncLocalStorage<true>();

/**
 * Runs `work` as a dry run (api.md, `?dryRun=true`): the HTTP layer runs the command's handler in a
 * transaction that it rolls back (see DryRunInterceptor in service-runtime), so whatever joins that
 * transaction is undone. This flag tells the few places that would otherwise act outside it: the
 * pipeline announces nothing to publish, and a counter committed on its own in a real command (a
 * certificate serial) is only read, so no number is used up.
 */
export function runAsDryRun<T>(work: () => T): T {
  return dryRuns.run(true, work);
}

/** Whether the work being done is a dry run's, whose writes are all rolled back. */
export function isDryRun(): boolean {
  return dryRuns.getStore() === true;
}
