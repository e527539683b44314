import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { cpuSnapshot, cpuSpent } from '../support/process-cpu';
import { createBenchDatabase, withClient } from '../support/postgres';
import { benchEvents, benchMetadata } from './payload';

export type PgbenchResult =
  | { available: false; reason: string }
  | {
      available: true;
      version: string;
      command: string;
      transactionsPerSecond: number;
      latencyAverageMs: number;
      failed: number;
      /** CPU µs per transaction of pgbench itself and of Postgres (undefined where not measured). */
      clientCpuUsPerTransaction?: number;
      postgresCpuUsPerTransaction?: number;
    };

/**
 * PostgreSQL's own pgbench, when it is installed (it is not part of the embedded server's package):
 * `clients` connections, each sending single-row INSERT transactions (one autocommitted statement,
 * prepared) of the append's payload into a plain table, for `seconds`, on the benchmark's server. The
 * bench's `bare insert` store does the same through node-postgres; pgbench shows what is left when
 * the client costs almost nothing.
 */
export async function runPgbench(options: { serverUrl: string; clients: number; seconds: number }): Promise<PgbenchResult> {
  const probe = spawnSync('pgbench', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { available: false, reason: 'pgbench is not installed (the embedded server does not ship it)' };
  const version = probe.stdout.trim();
  const database = await createBenchDatabase(options.serverUrl, 'pgbench');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'skills-bench-pgbench-'));
  try {
    await withClient(database.url, (client) => client.query('CREATE TABLE bare_rows (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload jsonb NOT NULL)'));
    const [event] = benchEvents(1, 0);
    // pgbench reads `:name` in a script as a variable: structural colons are followed by a space
    // (JSON.stringify's indented form, joined on one line) and any other is escaped as \u003a.
    const payload = JSON.stringify({ ...event, metadata: benchMetadata() }, null, 1)
      .replace(/\n\s*/g, '')
      .replace(/:(?! )/g, '\\u003a')
      .replace(/'/g, "''");
    const script = path.join(dir, 'insert.sql');
    writeFileSync(script, `INSERT INTO bare_rows (payload) VALUES ('${payload}');\n`);
    const args = ['--no-vacuum', `--client=${options.clients}`, '--jobs=2', `--time=${options.seconds}`, '--protocol=prepared', `--file=${script}`, database.url];
    const before = cpuSnapshot();
    const ran = await promisify(execFile)('pgbench', args, { encoding: 'utf8', maxBuffer: 1 << 20 }).catch((error: Error & { stderr?: string }) => error);
    // The backends pgbench used end as it disconnects: their time is the postmaster's once it has waited for them.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = cpuSnapshot();
    if (ran instanceof Error) return { available: false, reason: `pgbench failed: ${(ran.stderr ?? ran.message).trim().split('\n').slice(-3).join(' / ')}` };
    const { stdout } = ran;
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout) ?? /tps = ([\d.]+)/.exec(stdout);
    const latency = /latency average = ([\d.]+) ms/.exec(stdout);
    const failed = /number of failed transactions: (\d+)/.exec(stdout);
    if (!tps) throw new Error(`pgbench printed no tps:\n${stdout}`);
    const processed = /number of transactions actually processed: (\d+)/.exec(stdout);
    // pgbench's backends end with it, so ended processes count (through the postmaster); a running autovacuum
    // does not, as for the stores, but one that ended in the window does: its whole life is in the postmaster's figure.
    const spent = before && after ? cpuSpent(before, after, (each) => (each.name === 'postgres' && !/autovacuum/.test(each.command) ? 'postgres' : undefined)) : undefined;
    const perTransaction = (ms: number | undefined) => (ms === undefined || !processed || Number(processed[1]) === 0 ? undefined : (ms * 1000) / Number(processed[1]));
    return {
      available: true,
      version,
      command: `pgbench ${args.slice(0, -2).join(' ')} --file=<one INSERT of the append's payload> <the bench server>`,
      transactionsPerSecond: Number(tps[1]),
      latencyAverageMs: latency ? Number(latency[1]) : Number.NaN,
      failed: failed ? Number(failed[1]) : 0,
      // pgbench is this process's only child that ends meanwhile.
      clientCpuUsPerTransaction: perTransaction(spent?.get('exited children')),
      postgresCpuUsPerTransaction: perTransaction(spent?.get('postgres')),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await database.drop().catch(() => undefined);
  }
}
