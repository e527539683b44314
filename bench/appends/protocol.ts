import { StatementStats } from './sql-trace';
import { StoreSpec } from './stores';

export interface InitParams {
  spec: StoreSpec;
  url: string;
  streams: number;
  writers: number;
}

export interface RoundParams {
  /** Events per append: 1 for single-event commands, 100 for batches. */
  eventsPerAppend: number;
  durationMs: number;
}

export interface RoundResult {
  appends: number;
  events: number;
  elapsedMs: number;
  appendsPerSecond: number;
  eventsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  errors: number;
  firstError?: string;
  /** CPU of the store's process (the client) and of Postgres during the round, ms (set by compareStores; Linux only). */
  clientCpuMs?: number;
  postgresCpuMs?: number;
  /** Client-side time per statement kind (BENCH_TRACE_SQL=1 only). */
  statements?: Record<string, StatementStats>;
}
