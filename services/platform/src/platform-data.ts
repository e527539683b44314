import { ConfigurationError } from '@skills/service-runtime';
import { join } from 'node:path';

/**
 * Where the all-in-one keeps its data: one place for `npm start` and the tools that reach the same
 * data from another process (`npm run backup`, `npm run restore`).
 */
export const platformDataDir = (env: NodeJS.ProcessEnv = process.env) => env.PLATFORM_DATA_DIR ?? join(process.cwd(), '.data', 'postgres');

/** The embedded Postgres's port: EMBEDDED_POSTGRES_PORT, 54329 by default; anything but a port is refused here, not by Postgres later. */
export function embeddedPostgresPort(env: NodeJS.ProcessEnv = process.env): number {
  // Empty is unset, as for every other setting.
  const given = env.EMBEDDED_POSTGRES_PORT || '54329';
  const port = /^\d+$/.test(given) ? Number(given) : NaN;
  if (!(port >= 1 && port <= 65535)) throw new ConfigurationError([`EMBEDDED_POSTGRES_PORT must be an integer from 1 to 65535 (got "${given}")`]);
  return port;
}
