/** The signals a supervisor or a terminal stops the platform with. */
const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/**
 * On SIGTERM, SIGINT or SIGHUP the app's own shutdown hook goes first (Nest's, enabled by createHost): it stops
 * the relays and projections, closes the HTTP server (no new connections; requests in flight are answered),
 * closes the pools, and then removes its listeners and raises the signal again. That second delivery finds
 * only this listener, which stops the database (nothing uses it any more) and exits 0. A signal before the app
 * exists (Postgres starting, keys being checked) finds no other listener and stops at once.
 */
export function stopGracefullyOnSignals(stopDatabase: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping || process.listenerCount(signal) > 1) return;
    stopping = true;
    stopDatabase().then(
      () => process.exit(0),
      (error: Error) => {
        console.error(`stopping the database failed: ${error.message}`);
        process.exit(1);
      },
    );
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
}

/** The embedded Postgres ended on its own: every request would fail while liveness said all is well, so the process ends for its supervisor to restart it. */
export function exitWhenDatabaseEnds(unexpectedExit: Promise<string>): void {
  void unexpectedExit.then((how) => {
    console.error(`the embedded Postgres server stopped (${how}): the platform exits, to be restarted`);
    process.exit(1);
  });
}
