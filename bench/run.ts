// npm run bench: our event store against Emmett's and against bare inserts (and pgbench) on the same
// Postgres; the latency from a command accepted by trainee-service to training-service's replica over
// Kafka, against a bare pipeline at the same rate; the database round trips of each command kind; and
// the highest rate at which the replica p99 stays under 100 ms. See docs/benchmarks.md.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { compareStores, ModeResult } from './appends/compare';
import { PgbenchResult, runPgbench } from './appends/pgbench';
import type { StoreSpec } from './appends/stores';
import { BareResult, measureBarePipeline } from './bare-pipeline/bare-pipeline';
import { findMaxRate, MaxRateResult } from './latency/max-rate';
import { LatencyResult, startReplicaPipeline } from './latency/replica-latency';
import { CommandRoundTrips, measureRoundTrips } from './round-trips/round-trips';
import { ChildHandle } from './support/child';
import { benchConfig } from './support/config';
import { BenchKafka, benchKafka } from './support/kafka';
import { machineInfo } from './support/machine';
import { benchPostgres, BenchPostgres, serverInfo } from './support/postgres';
import { cpuSnapshot, CpuSnapshot, cpuSpent } from './support/process-cpu';
import { formatNumber, median } from './support/stats';
import { table } from './support/table';

const TARGET_P99_MS = 100;
const TARGET_OVER_EMMETT = 1.5;
const TARGET_OF_BARE_INSERT = 0.5;
const TARGET_OVER_BARE_PIPELINE = 1.5;
const TARGET_ROUND_TRIPS = 3;
/** The stores of the append comparison, in this order (their indices below). */
const STORES: StoreSpec[] = [{ kind: 'ours' }, { kind: 'emmett' }, { kind: 'bare-insert' }, { kind: 'ours-alone' }];
const [OURS, EMMETT, BARE_INSERT, OURS_ALONE] = [0, 1, 2, 3];

async function main(): Promise<void> {
  const started = performance.now();
  const config = benchConfig();
  const has = (part: Parameters<typeof config.parts.has>[0]) => config.parts.has(part);
  const log = (line: string) => console.log(line);
  const machine = machineInfo();
  const command = `${process.env.npm_lifecycle_event ? `npm run ${process.env.npm_lifecycle_event}` : 'node'} (node -r ./tools/register.js bench/run.ts)`;

  log('# Event store, pipeline latency and round-trip benchmark');
  log(`command:  ${command}`);
  log(`parts:    ${[...config.parts].join(', ')} (BENCH_ONLY / BENCH_SKIP)`);
  log(`machine:  ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB memory, ${machine.platform}`);
  log(`node:     ${machine.node}`);
  const loadAtStart = loadAverage();
  log(`load:     ${loadAtStart} (1/5/15 min) at start — other work on the machine skews every figure`);

  let postgres: BenchPostgres | undefined;
  let kafka: BenchKafka | undefined;
  let appendResults: ModeResult[] = [];
  let pgbench: PgbenchResult | undefined;
  let bare: BareResult | undefined;
  let latency: LatencyResult | undefined;
  let roundTrips: CommandRoundTrips[] | undefined;
  let maxRate: MaxRateResult | undefined;
  /** Where the CPU went in the latency runs at config.rate (bare pipeline and ours): share of one core per process. */
  const cpuOfRuns: Array<[string, Map<string, number> | undefined]> = [];
  /** The bare pipeline at the highest rate ours passed, to compare p99s where neither saturates. */
  let bareAtMaxRate: { rate: number; runs: BareResult[]; medianP99Ms: number } | undefined;
  try {
    postgres = await benchPostgres();
    const server = await serverInfo(postgres.url);
    log(`postgres: ${server.version}, ${postgres.source}`);
    log(`          ${Object.entries(server.settings).map(([name, value]) => `${name}=${value}`).join(', ')}`);
    log('');

    if (has('appends')) {
      log(
        `## Appends: ${config.writers} concurrent writers over ${config.streams} streams, each append one transaction at the expected version ` +
          `(bare insert: one autocommitted INSERT into a plain table); ${config.rounds} rounds of ${config.roundMs / 1000} s per store, alternating (after a ${config.warmupMs / 1000} s warm-up)`,
      );
      appendResults = await compareStores(
        {
          serverUrl: postgres.url,
          stores: STORES,
          modes: [
            { name: 'single-event', eventsPerAppend: 1 },
            { name: `${config.batchSize}-event batch`, eventsPerAppend: config.batchSize },
          ],
          rounds: config.rounds,
          roundMs: config.roundMs,
          warmupMs: config.warmupMs,
          streams: config.streams,
          writers: config.writers,
          log,
        },
        EMMETT,
      );
      log('');
    }

    if (has('pgbench')) {
      const seconds = (config.rounds * config.roundMs) / 1000;
      log(`## pgbench: ${config.writers} clients, single-row INSERT transactions for ${seconds} s`);
      pgbench = await runPgbench({ serverUrl: postgres.url, clients: config.writers, seconds });
      log(pgbench.available ? `  ${formatNumber(pgbench.transactionsPerSecond)} transactions/s (${pgbench.version})` : `  skipped: ${pgbench.reason}`);
      log('');
    }

    if (has('bare') || has('latency') || has('max-rate') || has('round-trips')) {
      kafka = await benchKafka();
      log(`Kafka: ${kafka.description}`);
      log('');
    }
    // First on the broker: its host's new consumer groups read the trainee topic from the beginning, which
    // after the max-rate runs holds tens of thousands of registrations to replay before its own.
    if (kafka && has('round-trips')) {
      log('## Round trips: each command kind once warm over HTTP, every query on the owning service\'s pool during that request counted');
      roundTrips = await measureRoundTrips({ serverUrl: postgres.url, brokers: kafka.brokers, log });
      log('');
    }
    if (kafka && has('bare')) {
      log(`## Bare pipeline at ${config.rate}/s (open loop): INSERT + commit in A → kafkajs produce → consume → INSERT + commit in B; no framework, outbox or inbox`);
      const before = cpuSnapshot();
      bare = await measureBarePipeline({
        serverUrl: postgres.url,
        brokers: kafka.brokers,
        ratePerSecond: config.rate,
        durationMs: config.latencyMs,
        warmupMs: config.latencyWarmupMs,
        drainTimeoutMs: 15_000,
        log,
      });
      cpuOfRuns.push(['bare pipeline', cpuShares(before, cpuSnapshot(), 'bare sender and applier (ended)')]);
      log('');
    }
    if (kafka && (has('latency') || has('max-rate'))) {
      const pipeline = await startReplicaPipeline({ serverUrl: postgres.url, brokers: kafka.brokers, log });
      try {
        if (has('latency')) {
          log(`## Replica latency: POST /api/v1/trainees at ${config.rate}/s (open loop) → training-service known_trainees over Kafka`);
          const before = cpuSnapshot();
          latency = await pipeline.run({
            ratePerSecond: config.rate,
            durationMs: config.latencyMs,
            warmupMs: config.latencyWarmupMs,
            drainTimeoutMs: 15_000,
            breakdown: process.env.BENCH_BREAKDOWN !== '0',
          });
          cpuOfRuns.push(['ours', cpuShares(before, cpuSnapshot(), 'children that ended')]);
          log(`  measured ${config.latencyMs / 1000} s at ${config.rate}/s after a ${config.latencyWarmupMs / 1000} s warm-up`);
          log('');
        }
        if (has('max-rate')) {
          log(
            `## Max rate: the highest rate at which send → replica p99 stays under ${TARGET_P99_MS} ms; rates double from ${config.maxRateStart}/s, ` +
              `(or halve if that fails), then one bisection; ${config.maxRateRuns} runs of ${config.maxRateMs / 1000} s per rate (each after a 1 s warm-up), judged on the median p99`,
          );
          maxRate = await findMaxRate({
            pipeline,
            startRate: config.maxRateStart,
            capRate: config.maxRateCap,
            runs: config.maxRateRuns,
            durationMs: config.maxRateMs,
            warmupMs: 1000,
            targetP99Ms: TARGET_P99_MS,
            log,
          });
          log('');
        }
      } finally {
        await pipeline.close();
      }
    }
    if (kafka && has('bare') && maxRate?.highestPassing !== undefined) {
      const rate = maxRate.highestPassing;
      log(`## Bare pipeline at ${rate}/s, the highest rate ours kept under ${TARGET_P99_MS} ms: ${config.maxRateRuns} runs of ${config.maxRateMs / 1000} s as the max-rate runs`);
      const runs: BareResult[] = [];
      for (let run = 1; run <= config.maxRateRuns; run++) {
        runs.push(await measureBarePipeline({ serverUrl: postgres.url, brokers: kafka.brokers, ratePerSecond: rate, durationMs: config.maxRateMs, warmupMs: 1000, drainTimeoutMs: 15_000, log }));
      }
      bareAtMaxRate = { rate, runs, medianP99Ms: median(runs.map((run) => (complete(run) ? run.endToEndP99Ms : Number.POSITIVE_INFINITY))) };
      log('');
    }
  } finally {
    await kafka?.stop();
    await postgres?.stop();
  }

  log('## Results');
  log('');
  for (const result of appendResults) {
    const single = result.mode.eventsPerAppend === 1;
    const unit = single ? 'appends/s' : 'events/s';
    log(`${result.mode.name} appends (${unit}, median of ${config.rounds} rounds; per-append latency medians of round p50/p99)`);
    log(
      table(
        ['store', `median ${unit}`, `rounds (${unit})`, 'p50 ms', 'p99 ms', 'errors'],
        result.stores.map((store) => [
          store.label,
          formatNumber(single ? store.medianAppendsPerSecond : store.medianEventsPerSecond),
          store.rounds.map((round) => formatNumber(single ? round.appendsPerSecond : round.eventsPerSecond)).join(' / '),
          formatNumber(store.medianLatencyP50Ms, 1),
          formatNumber(store.medianLatencyP99Ms, 1),
          String(store.errors),
        ]),
      ),
    );
    for (const [other, name] of [
      [EMMETT, 'emmett'],
      [BARE_INSERT, 'bare insert'],
    ] as const) {
      for (const [ours, label] of [
        [OURS, 'ours'],
        [OURS_ALONE, 'ours, append alone'],
      ] as const) {
        if (!result.stores[ours]) continue;
        const ratios = perRoundRatios(result, ours, other);
        log(`${label} / ${name}: median of per-round ratios ${formatNumber(median(ratios), 2)} (rounds: ${ratios.map((ratio) => formatNumber(ratio, 2)).join(', ')})`);
      }
    }
    log(cpuPerAppendTable(result, single ? pgbench : undefined));
    log('');
  }
  if (pgbench?.available) {
    log(`pgbench: ${formatNumber(pgbench.transactionsPerSecond)} single-row INSERT transactions/s, latency average ${formatNumber(pgbench.latencyAverageMs, 2)} ms, ${pgbench.failed} failed`);
    log(`  ${pgbench.command}`);
    log('');
  }
  if (bare || latency) {
    log(`pipeline latency at ${config.rate}/s (open loop; the destination table polled every 5 ms for every id not seen yet)`);
    const rows: string[][] = [];
    if (bare) {
      rows.push(['bare: scheduled send → row in B', String(bare.accepted - bare.missing), ms(bare.endToEndP50Ms), ms(bare.endToEndP99Ms), ms(bare.endToEndMaxMs), bare.loadAverage.toFixed(2)]);
      rows.push(['bare: scheduled send → committed in A, produced', String(bare.accepted), ms(bare.sentP50Ms), ms(bare.sentP99Ms), '', '']);
    }
    if (latency) {
      const count = String(latency.accepted - latency.missing);
      rows.push(['ours: scheduled send → replica row', count, ms(latency.endToEndP50Ms), ms(latency.endToEndP99Ms), ms(latency.endToEndMaxMs), latency.loadAverage.toFixed(2)]);
      rows.push(['ours: 201 → replica row', count, ms(latency.replicaP50Ms), ms(latency.replicaP99Ms), ms(latency.replicaMaxMs), '']);
      rows.push(['ours: scheduled send → 201', String(latency.accepted), ms(latency.commandP50Ms), ms(latency.commandP99Ms), ms(latency.commandMaxMs), '']);
    }
    log(table(['measure', 'count', 'p50 ms', 'p99 ms', 'max ms', 'load 1 min'], rows));
    for (const [run, shares] of cpuOfRuns) {
      if (!shares) continue;
      const total = [...shares.values()].reduce((sum, share) => sum + share, 0);
      log(
        `CPU during the ${run} run (share of one core, warm-up and drain included; ${os.cpus().length} cores): ` +
          [...shares].sort((a, b) => b[1] - a[1]).map(([name, share]) => `${name} ${percent(share)}`).join(', ') +
          `; all ${percent(total)}`,
      );
    }
    if (latency?.breakdown) {
      log('where ours goes (per accepted command; stages are measured separately, so p99s do not add up):');
      log(table(['stage', 'count', 'p50 ms', 'p99 ms'], latency.breakdown.map((stage) => [stage.stage, String(stage.count), ms(stage.p50Ms), ms(stage.p99Ms)])));
    }
    for (const [name, run] of [
      ['bare', bare],
      ['ours', latency],
    ] as const) {
      if (!run) continue;
      const rejected = Object.entries(run.rejected).map(([status, count]) => `${count}× ${status}`).join(', ') || 'none';
      log(`${name}: sent ${run.sent} at ${formatNumber(run.achievedRate, 1)}/s (send lag p99 ${ms(run.sendLagP99Ms)} ms), accepted ${run.accepted}, rejected ${rejected}, never seen ${run.missing}`);
    }
    log('');
  }
  if (roundTrips) {
    log('round trips per command (every query call on the owning service\'s pool during the request, BEGIN and COMMIT included; the second of two sends)');
    log(
      table(
        ['command', 'route', 'service', 'round trips', 'in transaction', 'after it', 'relay/projections woken', 'other pools'],
        roundTrips.map((row) => [row.command, row.route, row.service, String(row.total), String(row.inTransaction), String(row.total - row.inTransaction), String(row.background), String(row.otherPools)]),
      ),
    );
    for (const row of roundTrips) {
      log(`  ${row.command}:`);
      for (const trip of row.statements.filter((trip) => !trip.background)) {
        log(`    ${trip.service === row.service ? '' : `[${trip.service}'s pool] `}${trip.inTransaction ? 'tx ' : '   '}${trip.statements > 1 ? `(${trip.statements} statements) ` : ''}${trip.statement}`);
      }
    }
    log('');
  }
  if (maxRate) {
    log(`max rate: send → replica p99 per run (ms) and the median that judges each rate (target under ${TARGET_P99_MS} ms)`);
    log(
      table(
        ['rate /s', 'p99 per run (ms)', 'median p99 ms', 'load 1 min per run', 'under target'],
        [...maxRate.steps]
          .sort((a, b) => a.rate - b.rate)
          .map((step) => [String(step.rate), step.runs.map((run) => ms(run.endToEndP99Ms)).join(' / '), ms(step.medianP99Ms), step.runs.map((run) => run.loadAverage.toFixed(2)).join(' / '), step.passed ? 'yes' : 'no']),
      ),
    );
    log(
      maxRate.highestPassing === undefined
        ? `highest rate with p99 under ${TARGET_P99_MS} ms: none of the rates tried (lowest tried ${Math.min(...maxRate.steps.map((step) => step.rate))}/s)`
        : `highest rate with p99 under ${TARGET_P99_MS} ms: ${maxRate.highestPassing}/s${maxRate.lowestFailing === undefined ? ` (every rate up to ${config.maxRateCap}/s passed)` : ` (${maxRate.lowestFailing}/s did not)`}`,
    );
    if (bareAtMaxRate)
      log(
        `bare pipeline at ${bareAtMaxRate.rate}/s: scheduled send → row in B p99 per run ${bareAtMaxRate.runs.map((run) => ms(run.endToEndP99Ms)).join(' / ')} ms, ` +
          `median ${ms(bareAtMaxRate.medianP99Ms)} ms; load 1 min per run ${bareAtMaxRate.runs.map((run) => run.loadAverage.toFixed(2)).join(' / ')}`,
      );
    log('');
  }

  log('## Targets');
  const single = appendResults.find((result) => result.mode.eventsPerAppend === 1);
  if (single) {
    const overEmmett = median(perRoundRatios(single, OURS, EMMETT));
    log(`- single-event appends at least ${TARGET_OVER_EMMETT}× Emmett: ours/emmett ${formatNumber(overEmmett, 2)} → ${verdict(overEmmett >= TARGET_OVER_EMMETT)}`);
    const ofBare = median(perRoundRatios(single, OURS, BARE_INSERT));
    const ours = single.stores[OURS].medianAppendsPerSecond;
    const ofPgbench = pgbench?.available ? ours / pgbench.transactionsPerSecond : undefined;
    // Judged against the stricter of the two bare-insert baselines.
    const judged = Math.min(ofBare, ofPgbench ?? Number.POSITIVE_INFINITY);
    log(
      `- single-event appends at least ${TARGET_OF_BARE_INSERT * 100} % of the bare single-row insert rate: ` +
        `${percent(ofBare)} of bare inserts through node-postgres (per-round median)` +
        (ofPgbench === undefined ? '' : `, ${percent(ofPgbench)} of pgbench (median rates)`) +
        ` → ${verdict(judged >= TARGET_OF_BARE_INSERT)}`,
    );
    log(
      `  (ours is BEGIN, the append and COMMIT in one round trip, as a command sends its append with its claims, outbox rows and COMMIT. ` +
        `The append alone, its one statement its own transaction, without BEGIN and COMMIT: ` +
        `${formatNumber(median(perRoundRatios(single, OURS_ALONE, EMMETT)), 2)}× Emmett and ${percent(median(perRoundRatios(single, OURS_ALONE, BARE_INSERT)))} of bare inserts)`,
    );
  }
  if (latency && bare) {
    const ratio = latency.endToEndP99Ms / bare.endToEndP99Ms;
    log(
      `- command → replica p99 at most ${TARGET_OVER_BARE_PIPELINE}× the bare pipeline's at ${config.rate}/s: ` +
        `${ms(latency.endToEndP99Ms)} / ${ms(bare.endToEndP99Ms)} ms = ${formatNumber(ratio, 2)}× → ${verdict(ratio <= TARGET_OVER_BARE_PIPELINE && complete(latency) && complete(bare))}`,
    );
  }
  if (latency) {
    log(`- command accepted (201) → other service's replica p99 under ${TARGET_P99_MS} ms at ${config.rate}/s: ${ms(latency.replicaP99Ms)} ms → ${verdict(complete(latency) && latency.replicaP99Ms < TARGET_P99_MS)}`);
    log(`- scheduled send → other service's replica p99 under ${TARGET_P99_MS} ms at ${config.rate}/s: ${ms(latency.endToEndP99Ms)} ms → ${verdict(complete(latency) && latency.endToEndP99Ms < TARGET_P99_MS)}`);
    if (!complete(latency)) log(`  (not every command counts: ${latency.sent - latency.accepted} refused or failed, ${latency.missing} never replicated; the p99s are of the others)`);
  }
  for (const row of roundTrips?.filter((row) => row.command === 'register' || row.command === 'enrol') ?? []) {
    log(`- at most ${TARGET_ROUND_TRIPS} round trips for ${row.command}: ${row.total} → ${verdict(row.total <= TARGET_ROUND_TRIPS)}`);
  }
  if (maxRate) {
    const found = maxRate.highestPassing === undefined ? 'none of the rates tried' : `${maxRate.highestPassing}/s`;
    log(`- highest rate with send → replica p99 under ${TARGET_P99_MS} ms (median of ${config.maxRateRuns} runs): ${found}`);
  }
  const oursAtMaxRate = maxRate?.steps.find((step) => step.rate === bareAtMaxRate?.rate);
  if (bareAtMaxRate && oursAtMaxRate) {
    const ratio = oursAtMaxRate.medianP99Ms / bareAtMaxRate.medianP99Ms;
    log(
      `- command → replica p99 at most ${TARGET_OVER_BARE_PIPELINE}× the bare pipeline's at ${bareAtMaxRate.rate}/s (below saturation; medians of ${config.maxRateRuns} runs each): ` +
        `${ms(oursAtMaxRate.medianP99Ms)} / ${ms(bareAtMaxRate.medianP99Ms)} ms = ${formatNumber(ratio, 2)}× → ${verdict(ratio <= TARGET_OVER_BARE_PIPELINE)}`,
    );
  }
  log(`\nload average ${loadAtStart} at start, ${loadAverage()} at end (1/5/15 min); total time ${formatNumber((performance.now() - started) / 1000, 0)} s`);

  if (config.jsonPath) {
    writeFileSync(
      config.jsonPath,
      JSON.stringify({ machine, config: { ...config, parts: [...config.parts] }, appends: appendResults, pgbench, bare, latency, roundTrips, maxRate, bareAtMaxRate }, null, 2),
    );
  }
}

main().then(
  () => exitWhenDrained(0),
  (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    exitWhenDrained(1);
  },
);

/** Per round: store a's rate over store b's (both ran in that round, back to back). */
function perRoundRatios(result: ModeResult, a: number, b: number): number[] {
  return result.stores[a].rounds.map((round, index) => round.eventsPerSecond / result.stores[b].rounds[index].eventsPerSecond);
}

const ms = (value: number) => formatNumber(value, 1);
/** Every command sent was accepted and reached the other side. */
const complete = (run: { sent: number; accepted: number; missing: number }) => run.accepted === run.sent && run.missing === 0;
const percent = (value: number) => `${formatNumber(value * 100, 0)} %`;
const verdict = (met: boolean) => (met ? 'MET' : 'NOT MET');

function loadAverage(): string {
  return os.loadavg().map((value) => value.toFixed(2)).join(' ');
}

/** Everything is closed by now; if some handle still holds the loop, say so instead of hanging. */
function exitWhenDrained(code: number): void {
  process.exitCode = code;
  setTimeout(() => {
    const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().map((handle) => (handle as object)?.constructor?.name);
    console.error(`bench: still not exited 10 s after finishing; open handles: ${handles.join(', ')}`);
    process.exit(code || 1);
  }, 10_000).unref();
}

/**
 * Where the machine's CPU went per append (or pgbench transaction): the client's process and Postgres'
 * (all its processes), over the same rounds as the rates. The two share the machine's cores, so the
 * sum bounds the rate: cores × 1,000,000 µs / (client + Postgres µs per append).
 */
function cpuPerAppendTable(result: ModeResult, pgbench: PgbenchResult | undefined): string {
  const cores = os.cpus().length;
  const row = (label: string, client: number | undefined, server: number | undefined, rate: number): string[] => {
    const total = client === undefined || server === undefined ? undefined : client + server;
    return [label, cpu(client), cpu(server), cpu(total), total === undefined ? 'n/a' : formatNumber((cores * 1_000_000) / total), formatNumber(rate)];
  };
  const rows = result.stores.map((store) => row(store.label, store.medianClientCpuUsPerAppend, store.medianPostgresCpuUsPerAppend, store.medianAppendsPerSecond));
  if (pgbench?.available) rows.push(row('pgbench', pgbench.clientCpuUsPerTransaction, pgbench.postgresCpuUsPerTransaction, pgbench.transactionsPerSecond));
  return (
    `CPU per append (medians of the rounds; µs of CPU time; ${cores} cores bound the rate at cores × 1 s / the sum)\n` +
    table(['store', 'client µs', 'postgres µs', 'sum µs', 'rate the sum allows /s', 'measured /s'], rows)
  );
}

const cpu = (us: number | undefined) => (us === undefined ? 'n/a' : formatNumber(us));

/** Each process's CPU between two snapshots as a share of one core: the benchmark's children by the name they were started under. */
function cpuShares(from: CpuSnapshot | undefined, to: CpuSnapshot | undefined, ended: string): Map<string, number> | undefined {
  if (!from || !to) return undefined;
  const wallMs = to.at - from.at;
  const spent = cpuSpent(from, to, (each) => {
    if (each.pid === process.pid) return 'bench (load generator, poller)';
    if (each.name === 'java') return 'Kafka broker';
    return ChildHandle.names.get(each.pid) ?? each.name;
  });
  return new Map([...spent].map(([name, ms]) => [name === 'exited children' ? ended : name, ms / wallMs]));
}
