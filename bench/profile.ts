// Why is our append slower than Emmett's? `node -r ./tools/register.js bench/profile.ts`
// 1. Diagnosis: two rounds per store and mode with client-side time per statement and a sample of
//    what the Postgres backends wait on (pg_stat_activity every 10 ms).
// 2. The proposed changes (bench/prototypes/event-store-proposed.ts), cumulatively, against today's
//    store and Emmett, in rotating rounds on the same server (BENCH_VARIANTS=closing|residual for the
//    other sets in docs/benchmarks.md). Same Postgres rules as bench/run.ts.
// 3. The replica latency with proposed libs changes patched into the hosts (bench/prototypes/host-patches.ts).
// BENCH_PROFILE_PARTS=diagnose,variants,latency picks the parts.
import os from 'node:os';
import { Client } from 'pg';
import { AppendMode, compareStores, ModeResult } from './appends/compare';
import { RoundResult } from './appends/protocol';
import { StoreSpec } from './appends/stores';
import { LatencyResult, measureReplicaLatency } from './latency/replica-latency';
import { CURRENT, ProposedOptions } from './prototypes/event-store-proposed';
import { machineInfo } from './support/machine';
import { benchPostgres, serverInfo } from './support/postgres';
import { formatNumber, median } from './support/stats';
import { table } from './support/table';

const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
const roundMs = Number(process.env.BENCH_ROUND_SECONDS ?? 3) * 1000;
const parts = new Set((process.env.BENCH_PROFILE_PARTS ?? 'diagnose,variants,latency').split(','));
const latencyRounds = Number(process.env.BENCH_LATENCY_ROUNDS ?? 3);
const LATENCY_VARIANTS = ['', 'notify-after-commit', 'consumer-concurrency=6', 'notify-after-commit,consumer-concurrency=6'];
const batchSize = Number(process.env.BENCH_BATCH ?? 100);

const proposed = (label: string, options: Partial<ProposedOptions>): StoreSpec => ({ kind: 'proposed', label, options: { ...CURRENT, ...options } });
const P3: Partial<ProposedOptions> = { notify: 'after-commit', versionCheck: 'inline', returning: 'positions' };
const VARIANT_SETS: Record<string, StoreSpec[]> = {
  // Closing the rest of the gap without giving anything up.
  closing: [
    { kind: 'ours' },
    { kind: 'emmett' },
    proposed('P3 = proposed', P3),
    proposed('P7 = P3 + prepared statement', { ...P3, prepared: true }),
    proposed('P8 = P7 + NOTIFY ≤ 1 per 5 ms', { ...P3, prepared: true, notifyMinIntervalMs: 5 }),
  ],
  // What is left between P3 and Emmett: the after-commit NOTIFY itself, and the extra unique index.
  residual: [
    { kind: 'ours' },
    { kind: 'emmett' },
    proposed('P3 = proposed', P3),
    proposed('P5 = P3 without any NOTIFY', { ...P3, notify: 'none' }),
    proposed('P6 = P5 without event_id index', { ...P3, notify: 'none', dropEventIdIndex: true }),
  ],
};
const VARIANTS: StoreSpec[] = VARIANT_SETS[process.env.BENCH_VARIANTS ?? ''] ?? [
  { kind: 'ours' },
  { kind: 'emmett' },
  proposed('P1 notify after commit', { notify: 'after-commit' }),
  proposed('P2 = P1 + one statement', { notify: 'after-commit', versionCheck: 'inline' }),
  proposed('P3 = P2 + RETURNING positions', { notify: 'after-commit', versionCheck: 'inline', returning: 'positions' }),
  proposed('P4 = P3 + UUIDv7 ids', { notify: 'after-commit', versionCheck: 'inline', returning: 'positions', eventIds: 'v7' }),
  proposed('P0b = today + one statement', { versionCheck: 'inline', returning: 'positions' }),
];

async function main() {
  const log = (line: string) => console.log(line);
  const machine = machineInfo();
  const postgres = await benchPostgres();
  try {
    const server = await serverInfo(postgres.url);
    log(`# Append profile\nmachine: ${machine.cpus} cores, ${machine.memoryGiB} GiB, node ${machine.node}, load average ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}`);
    log(`postgres: ${server.version}, ${postgres.source}; ${Object.entries(server.settings).map(([name, value]) => `${name}=${value}`).join(', ')}\n`);
    const single: AppendMode = { name: 'single-event', eventsPerAppend: 1 };
    const batch: AppendMode = { name: `${batchSize}-event batch`, eventsPerAppend: batchSize };

    if (parts.has('diagnose')) {
      const waits = new Map<string, Map<string, number>>();
      const sampler = new Client({ connectionString: postgres.url });
      await sampler.connect();
      const around = async (label: string, mode: AppendMode, run: () => Promise<RoundResult>) => {
        const key = `${label} (${mode.name})`;
        const counts = new Map<string, number>();
        waits.set(key, counts);
        let running = true;
        const sampling = (async () => {
          while (running) {
            const { rows } = await sampler.query<{ wait: string; count: string }>(
              `SELECT coalesce(wait_event_type || ':' || wait_event, 'on CPU') AS wait, count(*)::text AS count
                 FROM pg_stat_activity
                WHERE backend_type = 'client backend' AND state = 'active' AND datname LIKE 'bench\\_%' AND pid <> pg_backend_pid()
                GROUP BY 1`,
            );
            for (const row of rows) counts.set(row.wait, (counts.get(row.wait) ?? 0) + Number(row.count));
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        })();
        try {
          return await run();
        } finally {
          running = false;
          await sampling;
        }
      };
      log('## 1. Diagnosis (BENCH_TRACE_SQL=1: client-side time per statement; backends’ wait events sampled every 10 ms)');
      const results = await compareStores(
        { serverUrl: postgres.url, stores: [{ kind: 'ours' }, { kind: 'emmett' }], modes: [single, batch], rounds: 2, roundMs, warmupMs: 1000, streams: 1000, writers: 16, log, around, env: { BENCH_TRACE_SQL: '1' } },
        1,
      );
      await sampler.end();
      for (const result of results) {
        for (const store of result.stores) {
          log(`\n${store.label}, ${result.mode.name}: ${formatNumber(result.mode.eventsPerAppend === 1 ? store.medianAppendsPerSecond : store.medianEventsPerSecond)} ${result.mode.eventsPerAppend === 1 ? 'appends/s' : 'events/s'} (traced)`);
          const statements = store.rounds[store.rounds.length - 1].statements ?? {};
          log(
            table(
              ['statement', 'count', 'mean ms', 'share of time'],
              Object.entries(statements)
                .sort((a, b) => b[1].totalMs - a[1].totalMs)
                .map(([kind, stats], _, all) => [kind, String(stats.count), formatNumber(stats.meanMs, 2), `${formatNumber((100 * stats.totalMs) / all.reduce((sum, [, s]) => sum + s.totalMs, 0), 0)} %`]),
            ),
          );
          const counts = waits.get(`${store.label} (${result.mode.name})`) ?? new Map<string, number>();
          const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
          log(
            'active backends by wait event: ' +
              [...counts.entries()]
                .sort((a, b) => b[1] - a[1])
                .slice(0, 6)
                .map(([wait, count]) => `${wait} ${formatNumber((100 * count) / total, 0)} %`)
                .join(', '),
          );
        }
      }
      log('');
    }

    if (parts.has('variants')) {
      log(`## 2. Proposed changes, cumulative (${rounds} rounds of ${roundMs / 1000} s per store, order rotating)`);
      const results = await compareStores(
        { serverUrl: postgres.url, stores: VARIANTS, modes: [single, batch], rounds, roundMs, warmupMs: 1000, streams: 1000, writers: 16, log },
        1,
      );
      printVariants(results, log);
      log('');
    }

    if (parts.has('latency')) {
      const rate = Number(process.env.BENCH_RATE ?? 200);
      const seconds = Number(process.env.BENCH_LATENCY_SECONDS ?? 12);
      log(`## 3. Replica latency with proposed libs changes patched into the hosts (bench/prototypes/host-patches.ts), ${rate}/s for ${seconds} s, ${latencyRounds} rounds`);
      const byVariant = new Map<string, LatencyResult[]>(LATENCY_VARIANTS.map((variant) => [variant, []]));
      for (let round = 0; round < latencyRounds; round++) {
        const order = round % 2 === 0 ? LATENCY_VARIANTS : [...LATENCY_VARIANTS].reverse();
        for (const variant of order) {
          const result = await measureReplicaLatency({
            serverUrl: postgres.url,
            ratePerSecond: rate,
            durationMs: seconds * 1000,
            warmupMs: 3000,
            drainTimeoutMs: 15_000,
            log: (line) => line.includes('prototypes') && log(line),
            prototypes: variant,
          });
          byVariant.get(variant)?.push(result);
          log(`  ${variant || 'today'}: 201 → replica p50 ${formatNumber(result.replicaP50Ms, 1)} / p99 ${formatNumber(result.replicaP99Ms, 1)} ms, command p99 ${formatNumber(result.commandP99Ms, 1)} ms, missing ${result.missing}`);
        }
      }
      log(
        '\n' +
          table(
            ['hosts patched with', 'replica p50 ms', 'replica p99 ms', 'replica max ms', 'command p99 ms', 'publish→consume p99 ms'],
            [...byVariant].map(([variant, results]) => [
              variant || 'nothing (today)',
              formatNumber(median(results.map((result) => result.replicaP50Ms)), 1),
              formatNumber(median(results.map((result) => result.replicaP99Ms)), 1),
              formatNumber(median(results.map((result) => result.replicaMaxMs)), 1),
              formatNumber(median(results.map((result) => result.commandP99Ms)), 1),
              formatNumber(median(results.map((result) => result.breakdown?.[2]?.p99Ms ?? Number.NaN)), 1),
            ]),
          ),
      );
      log('(medians over rounds of each round’s percentile)');
    }
  } finally {
    await postgres.stop();
  }
}

function printVariants(results: ModeResult[], log: (line: string) => void) {
  for (const result of results) {
    const singleMode = result.mode.eventsPerAppend === 1;
    const unit = singleMode ? 'appends/s' : 'events/s';
    log(`\n${result.mode.name} (${unit})`);
    log(
      table(
        ['store', `median ${unit}`, '× emmett (median of rounds)', '× today (median of rounds)', 'p50 ms', 'p99 ms'],
        result.stores.map((store, index) => [
          store.label,
          formatNumber(singleMode ? store.medianAppendsPerSecond : store.medianEventsPerSecond),
          formatNumber(median(result.ratiosPerRound[index]), 2),
          formatNumber(median(result.ratiosPerRound[index].map((ratio, round) => ratio / result.ratiosPerRound[0][round])), 2),
          formatNumber(store.medianLatencyP50Ms, 1),
          formatNumber(store.medianLatencyP99Ms, 1),
        ]),
      ),
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
