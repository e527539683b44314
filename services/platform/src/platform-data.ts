import { join } from 'node:path';

/**
 * Where the all-in-one keeps its data: one place for `npm start` and the tools that reach the same
 * data from another process (`npm run backup`, `npm run restore`).
 */
export const platformDataDir = (env: NodeJS.ProcessEnv = process.env) => env.PLATFORM_DATA_DIR ?? join(process.cwd(), '.data', 'postgres');

export const embeddedPostgresPort = (env: NodeJS.ProcessEnv = process.env) => Number(env.EMBEDDED_POSTGRES_PORT ?? 54329);
