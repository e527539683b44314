import path from 'node:path';
import { ChildHandle } from '../support/child';
import { BenchDatabase, createBenchDatabase } from '../support/postgres';
import { cpuSnapshot, cpuSpent, ProcessCpu } from '../support/process-cpu';
import { median } from '../support/stats';
import { RoundResult } from './protocol';
import { StoreSpec } from './stores';

export interface AppendMode {
  name: string;
  eventsPerAppend: number;
}

export interface CompareOptions {
  serverUrl: string;
  stores: StoreSpec[];
  modes: AppendMode[];
  /** Measured rounds per store and mode; the order of the stores rotates every round. */
  rounds: number;
  roundMs: number;
  warmupMs: number;
  streams: number;
  writers: number;
  log: (line: string) => void;
  /** Extra environment for the store processes (e.g. BENCH_TRACE_SQL=1). */
  env?: NodeJS.ProcessEnv;
}

export interface StoreModeResult {
  label: string;
  rounds: RoundResult[];
  /** Median over rounds of appends/s (or events/s for the rate the mode reports). */
  medianAppendsPerSecond: number;
  medianEventsPerSecond: number;
  medianLatencyP50Ms: number;
  medianLatencyP99Ms: number;
  /** Median over rounds of CPU µs per append: the store's process, and Postgres (undefined where not measured). */
  medianClientCpuUsPerAppend?: number;
  medianPostgresCpuUsPerAppend?: number;
  errors: number;
}

export interface ModeResult {
  mode: AppendMode;
  stores: StoreModeResult[];
  /** Per round r: rate of store i / rate of the reference store (index 1: emmett in the main run). */
  ratiosPerRound: number[][];
}

const WORKER = path.join(__dirname, 'worker.ts');

/**
 * Each store runs in its own child process against its own database on the same server, and only
 * one store runs at a time: A B, B A, A B, … so drift on a noisy machine (checkpoints, autovacuum,
 * neighbours) falls on both stores alike. Ratios are taken within a round pair.
 */
export async function compareStores(options: CompareOptions, referenceIndex: number): Promise<ModeResult[]> {
  const databases: BenchDatabase[] = [];
  const children: ChildHandle[] = [];
  try {
    const labels: string[] = [];
    for (const spec of options.stores) {
      const name = spec.kind;
      const database = await createBenchDatabase(options.serverUrl, name);
      databases.push(database);
      const child = ChildHandle.start(`store ${name}`, WORKER, options.env);
      children.push(child);
      const { label } = await child.call<{ label: string }>('init', { spec, url: database.url, streams: options.streams, writers: options.writers });
      labels.push(label);
    }
    const results: ModeResult[] = [];
    for (const mode of options.modes) {
      const perStore: RoundResult[][] = options.stores.map(() => []);
      const ratios: number[][] = options.stores.map(() => []);
      for (const child of children) await child.call('round', { eventsPerAppend: mode.eventsPerAppend, durationMs: options.warmupMs });
      for (let round = 0; round < options.rounds; round++) {
        const order = options.stores.map((_, index) => index);
        // Alternate: forward in even rounds, backward in odd ones (A B, B A, …).
        if (round % 2 === 1) order.reverse();
        const roundResults: RoundResult[] = [];
        for (const index of order) {
          const before = cpuSnapshot();
          const result = await children[index].call<RoundResult>('round', { eventsPerAppend: mode.eventsPerAppend, durationMs: options.roundMs });
          const after = cpuSnapshot();
          if (before && after) {
            // Postgres: the store's backends and the server's own (WAL writer, checkpointer), not autovacuum's
            // clean-up of earlier rounds' tables, nor a process that ended during the round (see cpuSpent).
            const groupOf = (each: ProcessCpu) => (each.pid === children[index].pid ? 'client' : each.name === 'postgres' && !/autovacuum/.test(each.command) ? 'postgres' : undefined);
            const spent = cpuSpent(before, after, groupOf, { exitedChildren: false });
            const worker = children[index].pid;
            Object.assign(result, { clientCpuMs: worker !== undefined && after.processes.has(worker) ? (spent.get('client') ?? 0) : undefined, postgresCpuMs: spent.get('postgres') });
          }
          roundResults[index] = result;
          perStore[index].push(result);
        }
        const reference = roundResults[referenceIndex].eventsPerSecond;
        roundResults.forEach((result, index) => ratios[index].push(result.eventsPerSecond / reference));
        options.log(
          `  ${mode.name} round ${round + 1}/${options.rounds}: ` +
            order.map((index) => `${labels[index]} ${Math.round(mode.eventsPerAppend === 1 ? roundResults[index].appendsPerSecond : roundResults[index].eventsPerSecond)}`).join(', ') +
            (mode.eventsPerAppend === 1 ? ' appends/s' : ' events/s'),
        );
      }
      results.push({
        mode,
        stores: perStore.map((rounds, index) => ({
          label: labels[index],
          rounds,
          medianAppendsPerSecond: median(rounds.map((round) => round.appendsPerSecond)),
          medianEventsPerSecond: median(rounds.map((round) => round.eventsPerSecond)),
          medianLatencyP50Ms: median(rounds.map((round) => round.latencyP50Ms)),
          medianLatencyP99Ms: median(rounds.map((round) => round.latencyP99Ms)),
          medianClientCpuUsPerAppend: perAppend(rounds, (round) => round.clientCpuMs),
          medianPostgresCpuUsPerAppend: perAppend(rounds, (round) => round.postgresCpuMs),
          errors: rounds.reduce((sum, round) => sum + round.errors, 0),
        })),
        ratiosPerRound: ratios,
      });
    }
    return results;
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    for (const database of databases) await database.drop().catch(() => undefined);
  }
}

/** The rounds' median of a CPU figure per append, in µs; undefined where a round did not measure it. */
function perAppend(rounds: RoundResult[], cpuMs: (round: RoundResult) => number | undefined): number | undefined {
  const each = rounds.map((round) => cpuMs(round));
  if (each.some((ms) => ms === undefined) || rounds.some((round) => round.appends === 0)) return undefined;
  return median(rounds.map((round, index) => ((each[index] as number) * 1000) / round.appends));
}
