import { currentCorrelation } from '@skills/messaging';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { childrenCpuMs, cpuSnapshot } from '../support/process-cpu';

/**
 * A simple profile of an import, read at the phase boundaries: SQL statements (patched into pg.Client,
 * so every statement of the host in this process is seen), split into those of import batches
 * (applyImportBatch acts as the `imports` component, in trainee-service's runner and in the owner's
 * consumer alike) and the rest (projections, outbox relay, consumers, polling); and CPU time of this
 * process (the host) and of the embedded Postgres server (the processes under this one).
 */
export interface Snapshot {
  at: number;
  batchStatements: number;
  /** Time the batches' statements were awaited, client side: Postgres, the socket, the client's queue. */
  batchStatementMs: number;
  otherStatements: number;
  statementsByKind: Map<string, number>;
  nodeCpuMs: number;
  /** Undefined when the server is not a child of this process (DATABASE_URL). */
  postgresCpuMs: number | undefined;
}

export interface PhaseProfile {
  seconds: number;
  batchStatements: number;
  batchStatementMs: number;
  otherStatements: number;
  nodeCpuMs: number;
  postgresCpuMs: number | undefined;
  /** The batches' statements of the phase by kind, most first. */
  topBatchStatements: Array<[string, number]>;
}

let batchStatements = 0;
let batchStatementMs = 0;
let otherStatements = 0;
const statementsByKind = new Map<string, number>();

/** Patches pg.Client.prototype.query once; costs a little CPU per statement (included in the figures). */
export function traceStatements(): void {
  const original = Client.prototype.query as (...args: unknown[]) => unknown;
  (Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: Client, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
    if (!text) return original.apply(this, args);
    if (currentCorrelation().actor?.component !== 'imports') {
      otherStatements++;
      return original.apply(this, args);
    }
    batchStatements++;
    const kind = kindOf(text);
    statementsByKind.set(kind, (statementsByKind.get(kind) ?? 0) + 1);
    const began = performance.now();
    const record = () => {
      batchStatementMs += performance.now() - began;
    };
    // pg-pool passes a callback; the service's own code awaits the promise.
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last] as (...results: unknown[]) => void;
      args[last] = (...results: unknown[]) => {
        record();
        callback(...results);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result instanceof Promise) result.then(record, record);
    return result;
  };
}

export function snapshot(): Snapshot {
  const cpu = process.cpuUsage();
  return {
    at: performance.now(),
    batchStatements,
    batchStatementMs,
    otherStatements,
    statementsByKind: new Map(statementsByKind),
    nodeCpuMs: (cpu.user + cpu.system) / 1000,
    postgresCpuMs: childrenCpuMs(cpuSnapshot()),
  };
}

export function phaseBetween(from: Snapshot, to: Snapshot): PhaseProfile {
  const top = [...to.statementsByKind]
    .map(([kind, count]): [string, number] => [kind, count - (from.statementsByKind.get(kind) ?? 0)])
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1]);
  return {
    seconds: (to.at - from.at) / 1000,
    batchStatements: to.batchStatements - from.batchStatements,
    batchStatementMs: to.batchStatementMs - from.batchStatementMs,
    otherStatements: to.otherStatements - from.otherStatements,
    nodeCpuMs: to.nodeCpuMs - from.nodeCpuMs,
    postgresCpuMs: to.postgresCpuMs === undefined || from.postgresCpuMs === undefined ? undefined : to.postgresCpuMs - from.postgresCpuMs,
    topBatchStatements: top,
  };
}

const kinds = new Map<string, string>();

/** A statement's verb and table: `INSERT events`, `SELECT import_row_keys`, `SAVEPOINT`, …, classified once per distinct text. */
function kindOf(text: string): string {
  let kind = kinds.get(text);
  if (kind === undefined) {
    kind = classify(text);
    if (kinds.size < 10_000) kinds.set(text, kind);
  }
  return kind;
}

function classify(text: string): string {
  const sql = text.replace(/\s+/g, ' ').trim();
  const verb = (/^\w+/.exec(sql)?.[0] ?? '?').toUpperCase();
  if (['BEGIN', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE'].includes(verb)) return verb === 'ROLLBACK' && /TO SAVEPOINT/i.test(sql) ? 'ROLLBACK TO SAVEPOINT' : verb;
  if (/^SELECT pg_notify/i.test(sql)) return 'SELECT pg_notify';
  const table = /\b(?:INTO|FROM|UPDATE)\s+([\w."]+)/i.exec(sql)?.[1];
  return table ? `${verb} ${table}` : sql.slice(0, 40);
}
