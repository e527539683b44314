// Child process: one event store, driven by bench/run.ts round by round over IPC.
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { serveParent } from '../support/child';
import { percentile } from '../support/stats';
import { InitParams, RoundParams, RoundResult } from './protocol';
import { takeStatementStats, traceSqlStatements } from './sql-trace';
import { AppendStore, benchEvents, benchMetadata, createStore } from './stores';

const tracing = process.env.BENCH_TRACE_SQL === '1';
if (tracing) traceSqlStatements();

interface Stream {
  id: string;
  version: number;
}

let store: AppendStore | undefined;
let writers = 16;
/** Writer w owns streams w, w + writers, …: no two writers ever race for one stream. */
let streamsOf: Stream[][] = [];
let sequence = 0;

async function init(params: InitParams): Promise<{ label: string }> {
  writers = params.writers;
  const created = createStore(params.spec, params.url, params.writers);
  store = created;
  await created.setup();
  const streams = Array.from({ length: params.streams }, () => ({ id: `bench-${randomUUID()}`, version: 0 }));
  streamsOf = Array.from({ length: writers }, (_, writer) => streams.filter((_, index) => index % writers === writer));
  // Every stream gets its first event before any timing: rounds measure appends to existing streams.
  await Promise.all(
    streamsOf.map(async (own) => {
      for (const stream of own) {
        await created.append(stream.id, stream.version, benchEvents(1, sequence++), benchMetadata());
        stream.version += 1;
      }
    }),
  );
  return { label: created.label };
}

async function round(params: RoundParams): Promise<RoundResult> {
  const target = store;
  if (!target) throw new Error('init first');
  const latencies: number[] = [];
  let appends = 0;
  let errors = 0;
  let firstError: string | undefined;
  if (tracing) takeStatementStats();
  const start = performance.now();
  const deadline = start + params.durationMs;
  await Promise.all(
    streamsOf.map(async (own) => {
      while (performance.now() < deadline) {
        const stream = own[Math.floor(Math.random() * own.length)];
        const events = benchEvents(params.eventsPerAppend, sequence++);
        const began = performance.now();
        try {
          await target.append(stream.id, stream.version, events, benchMetadata());
          stream.version += events.length;
          appends++;
          latencies.push(performance.now() - began);
        } catch (error) {
          errors++;
          firstError ??= error instanceof Error ? error.message : String(error);
          if (errors > 100) throw new Error(`too many append errors; first: ${firstError}`);
        }
      }
    }),
  );
  const elapsedMs = performance.now() - start;
  return {
    appends,
    events: appends * params.eventsPerAppend,
    elapsedMs,
    appendsPerSecond: (appends * 1000) / elapsedMs,
    eventsPerSecond: (appends * params.eventsPerAppend * 1000) / elapsedMs,
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
    errors,
    firstError,
    ...(tracing ? { statements: takeStatementStats() } : {}),
  };
}

serveParent(
  {
    init,
    round,
    stats: async () => store?.stats() ?? {},
  },
  async () => {
    await store?.close();
  },
);
