/** Knobs, from the environment; the defaults keep `npm run bench` under ~3 minutes on 2 cores. */
export interface BenchConfig {
  rounds: number;
  roundMs: number;
  warmupMs: number;
  streams: number;
  writers: number;
  batchSize: number;
  rate: number;
  latencyMs: number;
  latencyWarmupMs: number;
  skip: Set<string>;
  jsonPath?: string;
}

function integer(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number ≥ ${min} (got "${raw}")`);
  return value;
}

export function benchConfig(): BenchConfig {
  return {
    rounds: integer('BENCH_ROUNDS', 4),
    roundMs: integer('BENCH_ROUND_SECONDS', 3) * 1000,
    warmupMs: integer('BENCH_WARMUP_SECONDS', 2) * 1000,
    streams: integer('BENCH_STREAMS', 1000),
    writers: integer('BENCH_WRITERS', 16),
    batchSize: integer('BENCH_BATCH', 100),
    rate: integer('BENCH_RATE', 200),
    latencyMs: integer('BENCH_LATENCY_SECONDS', 15) * 1000,
    latencyWarmupMs: integer('BENCH_LATENCY_WARMUP_SECONDS', 3) * 1000,
    skip: new Set((process.env.BENCH_SKIP ?? '').split(',').map((part) => part.trim()).filter(Boolean)),
    jsonPath: process.env.BENCH_JSON || undefined,
  };
}
