import { performance } from 'node:perf_hooks';
import { median, percentile } from '../support/stats';

export interface Timings {
  runs: number;
  p50: number;
  p99: number;
  max: number;
}

/** `runs` calls one after another, after `warmUp` untimed ones; milliseconds. */
export async function timeCalls(runs: number, warmUp: number, call: (index: number) => Promise<unknown>): Promise<Timings> {
  for (let index = 0; index < warmUp; index++) await call(index);
  const ms: number[] = [];
  for (let index = 0; index < runs; index++) {
    const began = performance.now();
    await call(index);
    ms.push(performance.now() - began);
  }
  return { runs, p50: median(ms), p99: percentile(ms, 99), max: Math.max(...ms) };
}
