import { Client } from 'pg';

/**
 * Client-side time per kind of statement (BEGIN, the version SELECT, INSERT, pg_notify, COMMIT, …),
 * patched into pg.Client, so it sees every statement of the store in a worker. Off unless
 * BENCH_TRACE_SQL=1 (it costs a little CPU per statement); the figures go into BENCH_JSON's rounds.
 */
export interface StatementStats {
  count: number;
  meanMs: number;
  totalMs: number;
}

const totals = new Map<string, { count: number; totalMs: number }>();

export function traceSqlStatements(): void {
  const original = Client.prototype.query as (...args: unknown[]) => unknown;
  (Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: Client, ...args: unknown[]) {
    const result = original.apply(this, args);
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
    if (!text || !(result instanceof Promise)) return result;
    const kind = classify(text);
    const began = performance.now();
    const record = () => {
      const entry = totals.get(kind) ?? { count: 0, totalMs: 0 };
      entry.count++;
      entry.totalMs += performance.now() - began;
      totals.set(kind, entry);
    };
    result.then(record, record);
    return result;
  };
}

export function takeStatementStats(): Record<string, StatementStats> {
  const stats: Record<string, StatementStats> = {};
  for (const [kind, { count, totalMs }] of totals) stats[kind] = { count, totalMs, meanMs: totalMs / count };
  totals.clear();
  return stats;
}

function classify(text: string): string {
  const sql = text.replace(/\s+/g, ' ').trim();
  if (/^(BEGIN|COMMIT|ROLLBACK)\b/i.test(sql)) return sql.split(' ')[0].toUpperCase();
  if (/^SELECT coalesce\(max\(stream_version\)/i.test(sql)) return 'SELECT max(stream_version)';
  if (/^SELECT pg_notify/i.test(sql)) return 'SELECT pg_notify';
  if (/^INSERT INTO events/i.test(sql)) return 'INSERT INTO events';
  if (/^WITH current AS/i.test(sql)) return 'WITH current … INSERT (one statement)';
  if (/emt_append_to_stream/i.test(sql)) return 'SELECT emt_append_to_stream(…)';
  return sql.slice(0, 40);
}
