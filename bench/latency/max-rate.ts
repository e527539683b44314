import { formatNumber, median } from '../support/stats';
import { LatencyResult, ReplicaPipeline } from './replica-latency';

export interface MaxRateOptions {
  pipeline: ReplicaPipeline;
  /** The first rate tried; each next one doubles it. */
  startRate: number;
  /** No rate above this is tried. */
  capRate: number;
  /** Runs per rate; the rate is judged on the median of their p99s. */
  runs: number;
  durationMs: number;
  warmupMs: number;
  targetP99Ms: number;
  log: (line: string) => void;
}

export interface RateStep {
  rate: number;
  runs: LatencyResult[];
  /** Median over the runs of the send → replica p99 (a run with refused or lost commands counts as infinite). */
  medianP99Ms: number;
  passed: boolean;
}

export interface MaxRateResult {
  steps: RateStep[];
  /** The highest rate that passed; undefined if none did. */
  highestPassing?: number;
  /** The lowest rate that failed; undefined if every rate up to the cap passed. */
  lowestFailing?: number;
}

/**
 * The highest command rate at which command → replica p99 (scheduled send → row in the other
 * service's replica) stays under the target on this machine: rates double from `startRate` until one
 * fails (or halve until one passes, if `startRate` fails), then the midpoint between the highest pass
 * and the lowest failure is tried once. Each rate is
 * `runs` runs on the same hosts, judged on the median of their p99s; every run prints its load average.
 */
export async function findMaxRate(options: MaxRateOptions): Promise<MaxRateResult> {
  const steps: RateStep[] = [];
  let highestPassing: number | undefined;
  let lowestFailing: number | undefined;
  const measure = async (rate: number) => {
    const runs: LatencyResult[] = [];
    for (let run = 1; run <= options.runs; run++) {
      const result = await options.pipeline.run({ ratePerSecond: rate, durationMs: options.durationMs, warmupMs: options.warmupMs, drainTimeoutMs: 15_000, breakdown: false });
      runs.push(result);
      const failures = result.sent - result.accepted + result.missing;
      options.log(
        `  ${rate}/s run ${run}/${options.runs}: send → replica p99 ${formatNumber(result.endToEndP99Ms, 1)} ms ` +
          `(201 → replica ${formatNumber(result.replicaP99Ms, 1)}, send → 201 ${formatNumber(result.commandP99Ms, 1)}), ` +
          `${formatNumber(result.achievedRate, 1)}/s sent${failures > 0 ? `, ${failures} refused or lost (${refusals(result)})` : ''}; load average ${result.loadAverage.toFixed(2)}`,
      );
    }
    const medianP99Ms = median(runs.map(judged));
    const passed = medianP99Ms < options.targetP99Ms;
    steps.push({ rate, runs, medianP99Ms, passed });
    options.log(`  ${rate}/s: median p99 ${formatNumber(medianP99Ms, 1)} ms → ${passed ? 'under' : 'not under'} ${options.targetP99Ms} ms`);
    if (passed) highestPassing = Math.max(highestPassing ?? 0, rate);
    else lowestFailing = Math.min(lowestFailing ?? Number.POSITIVE_INFINITY, rate);
    return passed;
  };

  // Hosts that have just started (this part alone) are cold: one unmeasured run at the first rate.
  await options.pipeline.run({ ratePerSecond: options.startRate, durationMs: options.warmupMs * 3, warmupMs: 0, drainTimeoutMs: 15_000, breakdown: false });
  if (await measure(options.startRate)) {
    for (let rate = options.startRate * 2; rate <= options.capRate; rate *= 2) {
      if (!(await measure(rate))) break;
    }
  } else {
    // Down, halving, until a rate passes (or there is nothing left to halve).
    for (let rate = Math.floor(options.startRate / 2); rate >= MIN_RATE; rate = Math.floor(rate / 2)) {
      if (await measure(rate)) break;
    }
  }
  // Bisect once, between the highest pass and the lowest failure.
  if (highestPassing !== undefined && lowestFailing !== undefined) {
    const midpoint = Math.round((highestPassing + lowestFailing) / 2);
    if (midpoint !== highestPassing && midpoint !== lowestFailing) await measure(midpoint);
  }
  return { steps, highestPassing, lowestFailing };
}

/** Below this the search stops halving: p99 of a few commands a second says little. */
const MIN_RATE = 2;

/** A run's p99, or infinity when some of its commands were refused or never replicated. */
function judged(run: LatencyResult): number {
  return run.sent - run.accepted + run.missing > 0 ? Number.POSITIVE_INFINITY : run.endToEndP99Ms;
}

/** What the refused commands were answered, and how many accepted ones never reached the replica. */
function refusals(result: LatencyResult): string {
  const answered = Object.entries(result.rejected).map(([status, count]) => `${count}× ${status}`);
  return [...answered, ...(result.missing > 0 ? [`${result.missing} never seen`] : [])].join(', ');
}
