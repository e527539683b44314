// npm run bench: our event store against Emmett's on the same Postgres, and the latency from a
// command accepted by trainee-service to training-service's replica over Kafka. See docs/benchmarks.md.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { compareStores, ModeResult } from './appends/compare';
import { StoreSpec } from './appends/stores';
import { LatencyResult, measureReplicaLatency } from './latency/replica-latency';
import { benchConfig } from './support/config';
import { machineInfo } from './support/machine';
import { benchPostgres, BenchPostgres, serverInfo } from './support/postgres';
import { formatNumber, median } from './support/stats';
import { table } from './support/table';

const TARGET_P99_MS = 100;

async function main(): Promise<void> {
  const started = performance.now();
  const config = benchConfig();
  const log = (line: string) => console.log(line);
  const machine = machineInfo();
  const command = `${process.env.npm_lifecycle_event ? `npm run ${process.env.npm_lifecycle_event}` : 'node'} (node -r ./tools/register.js bench/run.ts)`;

  log('# Event store and replica latency benchmark');
  log(`command:  ${command}`);
  log(`machine:  ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB memory, ${machine.platform}`);
  log(`node:     ${machine.node}`);
  log(`load:     ${loadAverage()} (1/5/15 min) at start — other work on the machine skews every figure`);

  let postgres: BenchPostgres | undefined;
  let appendResults: ModeResult[] = [];
  let latency: LatencyResult | undefined;
  try {
    postgres = await benchPostgres();
    const server = await serverInfo(postgres.url);
    log(`postgres: ${server.version}, ${postgres.source}`);
    log(`          ${Object.entries(server.settings).map(([name, value]) => `${name}=${value}`).join(', ')}`);
    log('');

    if (!config.skip.has('appends')) {
      const stores: StoreSpec[] = [{ kind: 'ours' }, { kind: 'emmett' }];
      log(
        `## Appends: ${config.writers} concurrent writers over ${config.streams} streams, each append one transaction at the expected version; ` +
          `${config.rounds} rounds of ${config.roundMs / 1000} s per store, alternating (after a ${config.warmupMs / 1000} s warm-up)`,
      );
      appendResults = await compareStores(
        {
          serverUrl: postgres.url,
          stores,
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
        1,
      );
      log('');
    }

    if (!config.skip.has('latency')) {
      log(`## Replica latency: POST /api/v1/trainees at ${config.rate}/s (open loop) → training-service known_trainees over Kafka`);
      latency = await measureReplicaLatency({
        serverUrl: postgres.url,
        ratePerSecond: config.rate,
        durationMs: config.latencyMs,
        warmupMs: config.latencyWarmupMs,
        drainTimeoutMs: 15_000,
        log,
      });
      log('');
    }
  } finally {
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
    result.stores.forEach((store, index) => {
      if (index === 1) return;
      const ratios = result.ratiosPerRound[index];
      log(`${store.label} / emmett: median of per-round ratios ${formatNumber(median(ratios), 2)} (rounds: ${ratios.map((ratio) => formatNumber(ratio, 2)).join(', ')})`);
    });
    log('');
  }
  if (latency) {
    log(`replica latency: 201 from trainee-service → row in training-service's known_trainees (${latency.kafka}; replica polled every ${latency.pollIntervalMs} ms)`);
    log(
      table(
        ['measure', 'count', 'p50 ms', 'p99 ms', 'max ms'],
        [
          ['201 → replica row', String(latency.accepted - latency.missing), formatNumber(latency.replicaP50Ms, 1), formatNumber(latency.replicaP99Ms, 1), formatNumber(latency.replicaMaxMs, 1)],
          ['scheduled send → 201', String(latency.accepted), formatNumber(latency.commandP50Ms, 1), formatNumber(latency.commandP99Ms, 1), formatNumber(latency.commandMaxMs, 1)],
        ],
      ),
    );
    const rejected = Object.entries(latency.rejected).map(([status, count]) => `${count}× ${status}`).join(', ') || 'none';
    if (latency.breakdown) {
      log('where it goes (per accepted command; stages are measured separately, so p99s do not add up):');
      log(table(['stage', 'count', 'p50 ms', 'p99 ms'], latency.breakdown.map((stage) => [stage.stage, String(stage.count), formatNumber(stage.p50Ms, 1), formatNumber(stage.p99Ms, 1)])));
    }
    log(
      `sent ${latency.sent} at ${formatNumber(latency.achievedRate, 1)}/s (send lag p99 ${formatNumber(latency.sendLagP99Ms, 1)} ms), accepted ${latency.accepted}, ` +
        `rejected ${rejected}; replicated ${latency.replicated}, never seen ${latency.missing}`,
    );
    log('');
  }

  log('## Targets');
  const single = appendResults.find((result) => result.mode.eventsPerAppend === 1);
  if (single) {
    const ratio = median(single.ratiosPerRound[0]);
    log(`- single-event appends at least Emmett's rate: ours/emmett ${formatNumber(ratio, 2)} → ${ratio >= 1 ? 'MET' : 'NOT MET'}`);
  }
  if (latency) {
    const met = latency.missing === 0 && latency.replicaP99Ms < TARGET_P99_MS;
    log(`- command accepted → other service's replica p99 under ${TARGET_P99_MS} ms: ${formatNumber(latency.replicaP99Ms, 1)} ms → ${met ? 'MET' : 'NOT MET'}`);
  }
  log(`\nload average at end ${loadAverage()}; total time ${formatNumber((performance.now() - started) / 1000, 0)} s`);

  if (config.jsonPath) {
    writeFileSync(config.jsonPath, JSON.stringify({ machine, config: { ...config, skip: [...config.skip] }, appends: appendResults, latency }, null, 2));
  }
}

main().then(
  () => exitWhenDrained(0),
  (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    exitWhenDrained(1);
  },
);

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
