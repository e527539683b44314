/** Knobs, from the environment; the defaults keep `npm run bench` to several minutes on 2 cores. */
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
  /** The max-rate search: first rate, highest rate tried, runs per rate, seconds per run. */
  maxRateStart: number;
  maxRateCap: number;
  maxRateRuns: number;
  maxRateMs: number;
  /** The parts that run (BENCH_ONLY, less BENCH_SKIP). */
  parts: Set<BenchPart>;
  jsonPath?: string;
}

export const BENCH_PARTS = ['appends', 'pgbench', 'bare', 'latency', 'round-trips', 'max-rate'] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

function integer(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number ≥ ${min} (got "${raw}")`);
  return value;
}

function partList(name: string): BenchPart[] | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const parts = raw.split(',').map((part) => part.trim()).filter(Boolean);
  const unknown = parts.filter((part) => !(BENCH_PARTS as readonly string[]).includes(part));
  if (unknown.length > 0) throw new Error(`${name}: unknown part ${unknown.join(', ')} (parts: ${BENCH_PARTS.join(', ')})`);
  return parts as BenchPart[];
}

export function benchConfig(): BenchConfig {
  const only = partList('BENCH_ONLY') ?? [...BENCH_PARTS];
  const skip = new Set(partList('BENCH_SKIP') ?? []);
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
    maxRateStart: integer('BENCH_MAX_RATE_START', 25),
    maxRateCap: integer('BENCH_MAX_RATE_CAP', 1600),
    maxRateRuns: integer('BENCH_MAX_RATE_RUNS', 3),
    maxRateMs: integer('BENCH_MAX_RATE_SECONDS', 8) * 1000,
    parts: new Set(only.filter((part) => !skip.has(part))),
    jsonPath: process.env.BENCH_JSON || undefined,
  };
}
