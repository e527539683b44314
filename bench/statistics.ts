// Statistics at national scale: a generated national data set (31 provinces, ~2,800 counties, 200
// occupations, 2015–2025) loaded in bulk into brand-service's region read model (region_statistics), at
// each size the time of the load and its size on disk, then a province's answer for a year:
// GET /api/v1/statistics/regions/{province}?period={year} over HTTP next to its peer in the same run, the
// same figures computed by SQL straight from the fact tables. Both must give the same figures (a
// difference is printed and the run exits non-zero). Before the sizes, the bulk load is checked at a
// small size against the projection's own definitions (figures/trainee-figures.ts), row for row, and as
// the start of a live projection: one fact applied on top of it leaves what the projection alone builds.
//
//   npm run bench:statistics                         1 and 10 million certificates (as disk and time allow)
//   npm run bench:statistics -- --quick              100,000 certificates
//   npm run bench:statistics -- --certificates 1000000,3000000 --budget-minutes 40
import { BrandModule } from '@skills/brand-service';
import { ProjectionRunner } from '@skills/event-sourcing';
import { CatchUp } from '@skills/service-runtime';
import { bearer, http, startTestHost, TestHost, testIssuer } from '@skills/testing';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { STATISTICS_TOPICS } from '../services/brand-service/src/statistics/facts/statistics-facts.consumer';
import { StatisticsReader } from '../services/brand-service/src/statistics/read-models/statistics-reader';
import { statisticsArguments } from './statistics/arguments';
import { loadRegionStatistics, READ_MODEL } from './statistics/bulk-load';
import { checkDefinitions, checkLiveFactOnBulkLoad } from './statistics/definitions-check';
import { freeBytesOfServer, gib, sizesOnDisk, SizesOnDisk } from './statistics/disk';
import { generateNationalFacts, nationalSize, PROVINCES } from './statistics/national-data';
import { answerRowsFromFacts, categoryCellsShown, differences, ProvinceFigures, provinceYearPeer } from './statistics/peer';
import { OverBudget } from './statistics/steps';
import { timeCalls, Timings } from './statistics/timing';
import { machineInfo } from './support/machine';
import { BenchDatabase, benchPostgres, createBenchDatabase, serverInfo } from './support/postgres';
import { formatNumber } from './support/stats';
import { table } from './support/table';

/** The issue's target for the answer over HTTP. */
const TARGET_P99_MS = 50;
const WARM_UP_REQUESTS = 20;
/**
 * Before the first size is measured: bytes per certificate of the read model and of the facts. The read
 * model's falls as the data grows (19.9 KB at 100,000, 13.8 KB at 1,000,000); this guess fits a first
 * size of a million or more.
 */
const FIRST_GUESS = { readModelPerCertificate: 14_000, factsPerCertificate: 400 };
/** Peak disk of a load over its end result (intermediates, the index sort, WAL); ~1.15 measured at 1,000,000. */
const LOAD_HEADROOM = 1.3;

interface SizeResult {
  certificates: number;
  trainees: number;
  generateSeconds: number;
  loadSeconds: number;
  sizes: SizesOnDisk;
  http: Timings;
  reader: Timings;
  freshness: Timings;
  /** GET /health/live: what any request through this host costs on this machine. */
  floor: Timings;
  /** Rows of region_statistics one answer reads: the period's, and the standing months up to its end. */
  rowsRead: { period: number; standing: number };
  sweep: Timings;
  peer: Timings;
  loadAverage: string;
}

/** A size whose read model could not be built (disk, time): its facts, its peer and what its answer would read. */
interface FactsOnlyResult {
  certificates: number;
  generateSeconds: number;
  facts: number;
  peer: Timings;
  answerRows: { period: number; standingAtMost: number };
}

const log = (line: string) => console.log(line);
const loadAverage = () => os.loadavg().map((value) => value.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const started = performance.now();
  const options = statisticsArguments();
  const machine = machineInfo();
  log('# Statistics at national scale');
  log(`command:  ${process.env.npm_lifecycle_event ? `npm run ${process.env.npm_lifecycle_event} -- ` : 'node -r ./tools/register.js bench/statistics.ts '}${process.argv.slice(2).join(' ')}`);
  log(`machine:  ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB memory, ${machine.platform}, Node ${machine.node}`);
  log(`load:     ${loadAverage()} (1/5/15 min) at start — other work on the machine skews every figure`);
  log(`answer:   GET /api/v1/statistics/regions/${options.provinceCode}?period=${options.year} (platform_admin) vs the same figures by SQL over the fact tables`);

  const server = await benchPostgres();
  const results: SizeResult[] = [];
  const notReached: string[] = [];
  const factsOnly: FactsOnlyResult[] = [];
  let mismatch = false;
  try {
    const settings = await serverInfo(server.url);
    log(`postgres: ${settings.version}, ${server.source}`);
    log(`          ${Object.entries(settings.settings).map(([name, value]) => `${name}=${value}`).join(', ')}`);
    const issuer = await testIssuer();
    const admin = bearer(await issuer.token({ role: 'platform_admin' }));

    if (options.checkCertificates > 0) {
      log('');
      log(`## The bulk load against the projection's definitions (${formatNumber(options.checkCertificates)} certificates)`);
      await withSizeDatabase(server.url, async ({ sql }) => {
        await generateNationalFacts(sql, nationalSize(options.checkCertificates), () => undefined);
        await loadRegionStatistics(sql, () => undefined);
        const check = await checkDefinitions(sql);
        if (check.differences.length === 0) log(`  same: ${formatNumber(check.rows)} rows of region_statistics, each equal to the sum of the trainees' regionShares (figures/trainee-figures.ts)`);
        else {
          mismatch = true;
          log(`  DIFFERENT from the projection's shares in ${formatNumber(check.differences.length)} rows, for example:`);
          for (const difference of check.differences.slice(0, 20)) log(`    ${difference}`);
        }
        // A live projection may go on from a bulk-loaded table: a fact of a trainee counted in a category, on top of it.
        const live = await checkLiveFactOnBulkLoad(sql);
        if (live.differences.length === 0) log(`  same: the bulk load and one live fact of trainee ${live.traineeId} (in a category) leave the ${formatNumber(live.rows)} rows the projection alone builds, each category's counts and the counted rows among them`);
        else {
          mismatch = true;
          log(`  DIFFERENT: the bulk load and one live fact of trainee ${live.traineeId} differ from the projection alone in ${formatNumber(live.differences.length)} rows, for example:`);
          for (const difference of live.differences.slice(0, 20)) log(`    ${difference}`);
        }
      });
    }

    let previous: SizeResult | undefined;
    for (const certificates of options.certificates) {
      const size = nationalSize(certificates);
      log('');
      log(`## ${formatNumber(certificates)} certificates (${formatNumber(size.trainees)} trainees, ${formatNumber(size.assessments)} assessments, ${formatNumber(size.hires)} hires)`);
      let refusal = await refuseSize(server.url, certificates, previous, options.budgetMinutes);
      if (refusal) log(`  read model not built: ${refusal}`);
      else {
        try {
          const result = await measureSize(server.url, certificates, options, admin);
          if (result.mismatch) mismatch = true;
          results.push(result);
          previous = result;
        } catch (error) {
          if (!(error instanceof OverBudget)) throw error;
          refusal = error.message;
          log(`  read model not reached: ${refusal}`);
        }
      }
      if (refusal) {
        notReached.push(`${formatNumber(certificates)}: ${refusal}`);
        // The facts alone still fit, most likely: the peer's side of the comparison at this size.
        const factsRefusal = await refuseFacts(server.url, certificates, previous);
        if (factsRefusal) log(`  facts not generated either: ${factsRefusal}`);
        else factsOnly.push(await measureFactsOnly(server.url, certificates, options));
        break;
      }
    }
  } finally {
    await server.stop();
  }

  log('');
  log('## Results');
  log(`load average (1/5/15 min) at the end: ${loadAverage()}`);
  log('');
  log(
    table(
      ['certificates', 'trainees', 'facts on disk', 'generated s', 'loaded s', 'read model rows', 'read model on disk', 'bytes/certificate', 'load average'],
      results.map((result) => [
        formatNumber(result.certificates),
        formatNumber(result.trainees),
        gib(result.sizes.facts),
        formatNumber(result.generateSeconds, 0),
        formatNumber(result.loadSeconds, 0),
        formatNumber(result.sizes.readModelRows),
        `${gib(result.sizes.readModel)} (heap ${gib(result.sizes.readModelHeap)})`,
        formatNumber(result.sizes.readModel / result.certificates),
        result.loadAverage,
      ]),
    ),
  );
  log('');
  log(
    table(
      ['certificates', 'rows read', 'HTTP p50 ms', 'HTTP p99 ms', 'reader p50 ms', 'reader p99 ms', 'freshness p50 ms', 'freshness p99 ms', '/health/live p50 ms', 'SQL p50 ms', 'SQL p99 ms', 'SQL/HTTP p50', 'sweep p50 ms', 'sweep p99 ms'],
      results.map((result) => [
        formatNumber(result.certificates),
        `${formatNumber(result.rowsRead.period + result.rowsRead.standing)} (${formatNumber(result.rowsRead.period)} + ${formatNumber(result.rowsRead.standing)})`,
        formatNumber(result.http.p50, 1),
        formatNumber(result.http.p99, 1),
        formatNumber(result.reader.p50, 1),
        formatNumber(result.reader.p99, 1),
        formatNumber(result.freshness.p50, 1),
        formatNumber(result.freshness.p99, 1),
        formatNumber(result.floor.p50, 1),
        formatNumber(result.peer.p50, 1),
        formatNumber(result.peer.p99, 1),
        `${formatNumber(result.peer.p50 / result.http.p50, 1)}×`,
        formatNumber(result.sweep.p50, 1),
        formatNumber(result.sweep.p99, 1),
      ]),
    ),
  );
  log(
    `HTTP: ${options.requests} requests for ${options.provinceCode} ${options.year} after ${WARM_UP_REQUESTS} untimed; reader and freshness: the route's two parts in-process (StatisticsReader.region; CatchUp.forRead); /health/live: the floor of any request to this host; ` +
      `sweep: HTTP for the ${PROVINCES.length} provinces × 2015–2025 once each; SQL: the peer's runs after one untimed (with 20 runs or fewer, its p99 is its slowest)`,
  );
  log('rows read: the period\'s rows + the standing high-skill months up to its end');
  for (const line of notReached) log(`read model not built at ${line}`);
  if (factsOnly.length > 0) {
    log('');
    log('beyond the read model: the facts alone, the peer, and the rows the answer would read (counted from the facts; standing months at most)');
    log(
      table(
        ['certificates', 'facts on disk', 'generated s', 'SQL p50 ms', 'SQL p99 ms', 'rows the answer would read'],
        factsOnly.map((result) => [
          formatNumber(result.certificates),
          gib(result.facts),
          formatNumber(result.generateSeconds, 0),
          formatNumber(result.peer.p50, 1),
          formatNumber(result.peer.p99, 1),
          `${formatNumber(result.answerRows.period)} + at most ${formatNumber(result.answerRows.standingAtMost)}`,
        ]),
      ),
    );
  }
  if (results.length > 0) log(verdict(results));
  log(`total time ${formatNumber((performance.now() - started) / 1000, 0)} s`);
  if (mismatch) {
    log('');
    log('!!! THE FIGURES DIFFER (see above): the timings compare answers that are not the same. !!!');
    process.exitCode = 1;
  }
}

/** Whether the size fits the disk left and the time budget, judged from the size before it (or a first guess); the reason if not. */
async function refuseSize(serverUrl: string, certificates: number, previous: SizeResult | undefined, budgetMinutes: number): Promise<string | undefined> {
  const perCertificate = previous
    ? { readModel: previous.sizes.readModel / previous.certificates, facts: previous.sizes.facts / previous.certificates }
    : { readModel: FIRST_GUESS.readModelPerCertificate, facts: FIRST_GUESS.factsPerCertificate };
  const needed = certificates * (perCertificate.facts + perCertificate.readModel * LOAD_HEADROOM);
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  const { directory, free } = await freeBytesOfServer(admin).finally(() => admin.end());
  if (free === undefined) log(`  disk: free space of ${directory} unknown (server elsewhere); about ${gib(needed)} needed`);
  else {
    log(`  disk: ${gib(free)} free in ${directory}; about ${gib(needed)} needed (${formatNumber(perCertificate.readModel)} bytes of read model per certificate${previous ? ` at ${formatNumber(previous.certificates)}` : ', a first guess'}, ×${LOAD_HEADROOM} while loading)`);
    if (needed > free) return `needs about ${gib(needed)} of disk, ${gib(free)} free`;
  }
  if (previous && budgetMinutes > 0) {
    const projected = (previous.loadSeconds * certificates) / previous.certificates;
    if (projected > budgetMinutes * 60) return `the load would take about ${formatNumber(projected / 60, 0)} min (${formatNumber(previous.loadSeconds / 60, 1)} min at ${formatNumber(previous.certificates)}, scaled), over the budget of ${budgetMinutes} min`;
  }
  return undefined;
}

/** Whether the facts alone fit the disk left; the reason if not. */
async function refuseFacts(serverUrl: string, certificates: number, previous: SizeResult | undefined): Promise<string | undefined> {
  const needed = certificates * (previous ? previous.sizes.facts / previous.certificates : FIRST_GUESS.factsPerCertificate) * LOAD_HEADROOM;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  const { free } = await freeBytesOfServer(admin).finally(() => admin.end());
  return free !== undefined && needed > free ? `needs about ${gib(needed)} of disk, ${gib(free)} free` : undefined;
}

async function measureFactsOnly(serverUrl: string, certificates: number, options: ReturnType<typeof statisticsArguments>): Promise<FactsOnlyResult> {
  return withSizeDatabase(serverUrl, async ({ sql }) => {
    log(`  the facts alone (load average ${loadAverage()})`);
    const generated = await generateNationalFacts(sql, nationalSize(certificates), log);
    const sizes = await sizesOnDisk(sql);
    const answerRows = await answerRowsFromFacts(sql, options.provinceCode, options.year);
    const peer = await timeCalls(options.sqlRuns ?? 10, 1, () => provinceYearPeer(sql, options.provinceCode, options.year));
    log(`  generated in ${formatNumber(generated.seconds, 0)} s (${formatNumber(sizes.factRows)} fact rows, ${gib(sizes.facts)} with their indexes)`);
    log(`  the answer would read ${formatNumber(answerRows.period)} rows of the period and at most ${formatNumber(answerRows.standingAtMost)} standing months`);
    log(`  SQL   p50 ${formatNumber(peer.p50, 1)} ms, p99 ${formatNumber(peer.p99, 1)} ms (${peer.runs} runs)`);
    return { certificates, generateSeconds: generated.seconds, facts: sizes.facts, peer, answerRows };
  });
}

async function measureSize(serverUrl: string, certificates: number, options: ReturnType<typeof statisticsArguments>, admin: Record<string, string>): Promise<SizeResult & { mismatch: boolean }> {
  return withSizeDatabase(serverUrl, async ({ sql, host, database }) => {
    const size = nationalSize(certificates);
    log(`  generating the facts (load average ${loadAverage()})`);
    const generated = await generateNationalFacts(sql, size, log);
    log(`  loading region_statistics (load average ${loadAverage()})`);
    const deadline = options.budgetMinutes > 0 ? Date.now() + options.budgetMinutes * 60_000 : undefined;
    const loaded = await loadRegionStatistics(sql, log, deadline);
    const sizes = await sizesOnDisk(sql);
    log(`  generated in ${formatNumber(generated.seconds, 0)} s (${formatNumber(sizes.factRows)} fact rows, ${gib(sizes.facts)} with their indexes)`);
    log(`  loaded in ${formatNumber(loaded.seconds, 0)} s: ${formatNumber(sizes.readModelRows)} rows, ${gib(sizes.readModel)} (heap ${gib(sizes.readModelHeap)}, key and index ${gib(sizes.readModelIndexes)})`);

    const path = (province: string, year: number) => `/api/v1/statistics/regions/${province}?period=${year}`;
    const ask = async (province: string, year: number) => {
      const answer = await http(host.baseUrl, 'GET', path(province, year), undefined, admin);
      if (answer.status !== 200) throw new Error(`GET ${path(province, year)} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      return answer.body as ProvinceFigures & { regionCode: string; period: string; occupationCode: string | null; freshness: unknown };
    };
    const peerClient = new Client({ connectionString: database.url });
    await peerClient.connect();
    try {
      // The same figures both ways, or the comparison means nothing.
      const { regionCode: _region, period: _period, occupationCode: _occupation, freshness: _freshness, ...answered } = await ask(options.provinceCode, options.year);
      const fromFacts = await provinceYearPeer(peerClient, options.provinceCode, options.year);
      const found = differences(answered, fromFacts);
      // A category's count under 5 is null on both sides: say how many of the categories' cells the comparison saw shown.
      const categoryCells = categoryCellsShown(answered);
      if (found.length === 0)
        log(
          `  check: ${options.provinceCode} ${options.year} — every figure (everyone and the 6 categories) the same over HTTP and from the facts: trained ${answered.trained}, certificates ${answered.certificatesIssued}, high-skill ${answered.highSkillTalents}, hires ${answered.hires}; ` +
            `${formatNumber(categoryCells.shown)} of the categories' ${formatNumber(categoryCells.cells)} cells shown (the rest under 5, null both ways)`,
        );
      else {
        log(`  !!! check: ${options.provinceCode} ${options.year} — ${found.length} figures DIFFER between HTTP and the facts:`);
        for (const difference of found.slice(0, 30)) log(`      ${difference}`);
      }

      const { rows: read } = await sql.query<{ period: string; standing: string }>(
        `SELECT (SELECT count(*) FROM ${READ_MODEL} WHERE region_code = $1 AND occupation_code = '*' AND period = $2) AS period,
                (SELECT count(*) FROM ${READ_MODEL} WHERE region_code = $1 AND occupation_code = '*' AND figure = 'highSkillDelta' AND period <= $3) AS standing`,
        [options.provinceCode, String(options.year), `${options.year}-12`],
      );
      const rowsRead = { period: Number(read[0].period), standing: Number(read[0].standing) };
      const counted = await answerRowsFromFacts(peerClient, options.provinceCode, options.year);
      log(`  timing (load average ${loadAverage()}); the answer reads ${formatNumber(rowsRead.period)} rows of the period (${formatNumber(counted.period)} counted from the facts) and ${formatNumber(rowsRead.standing)} standing months`);
      const httpTimings = await timeCalls(options.requests, WARM_UP_REQUESTS, () => ask(options.provinceCode, options.year));
      // The same answer's reads without HTTP, authentication and the freshness of the facts: the read model's own share.
      const reader = host.app.get(StatisticsReader, { strict: false });
      const readerTimings = await timeCalls(options.requests, WARM_UP_REQUESTS, () => reader.region(options.provinceCode, String(options.year), undefined));
      // What else the route does before it reads: how complete the facts are (CatchUp.forRead, without ?consistent).
      const [catchUp, projections] = [host.app.get(CatchUp, { strict: false }), host.app.get(ProjectionRunner, { strict: false })];
      const freshnessTimings = await timeCalls(options.requests, WARM_UP_REQUESTS, () => catchUp.forRead(false, STATISTICS_TOPICS, projections));
      const floorTimings = await timeCalls(options.requests, WARM_UP_REQUESTS, () => http(host.baseUrl, 'GET', '/health/live'));
      const sweep = PROVINCES.flatMap((province) => Array.from({ length: 11 }, (_, index) => ({ province: `${province}0000`, year: 2015 + index })));
      const sweepTimings = await timeCalls(sweep.length, 0, (index) => ask(sweep[index].province, sweep[index].year));
      const sqlRuns = options.sqlRuns ?? (certificates > 1_000_000 ? 10 : 20);
      const peerTimings = await timeCalls(sqlRuns, 1, () => provinceYearPeer(peerClient, options.provinceCode, options.year));
      log(`  HTTP  p50 ${formatNumber(httpTimings.p50, 1)} ms, p99 ${formatNumber(httpTimings.p99, 1)} ms (${httpTimings.runs} requests); sweep of ${sweep.length} province-years p50 ${formatNumber(sweepTimings.p50, 1)}, p99 ${formatNumber(sweepTimings.p99, 1)} ms`);
      log(`  in-process: StatisticsReader.region p50 ${formatNumber(readerTimings.p50, 1)} ms, p99 ${formatNumber(readerTimings.p99, 1)} ms; CatchUp.forRead p50 ${formatNumber(freshnessTimings.p50, 1)} ms, p99 ${formatNumber(freshnessTimings.p99, 1)} ms; GET /health/live p50 ${formatNumber(floorTimings.p50, 1)} ms, p99 ${formatNumber(floorTimings.p99, 1)} ms`);
      log(`  SQL   p50 ${formatNumber(peerTimings.p50, 1)} ms, p99 ${formatNumber(peerTimings.p99, 1)} ms (${peerTimings.runs} runs)`);
      return {
        certificates,
        trainees: size.trainees,
        generateSeconds: generated.seconds,
        loadSeconds: loaded.seconds,
        sizes,
        http: httpTimings,
        reader: readerTimings,
        freshness: freshnessTimings,
        floor: floorTimings,
        rowsRead,
        sweep: sweepTimings,
        peer: peerTimings,
        loadAverage: loadAverage(),
        mismatch: found.length > 0,
      };
    } finally {
      await peerClient.end();
    }
  });
}

/** A fresh database with brand-service running on it (its migrations make the read model's table), dropped after. */
async function withSizeDatabase<T>(serverUrl: string, work: (context: { sql: Client; host: TestHost; database: BenchDatabase }) => Promise<T>): Promise<T> {
  const database = await createBenchDatabase(serverUrl, 'statistics');
  let host: TestHost | undefined;
  const sql = new Client({ connectionString: database.url });
  try {
    host = await startTestHost({ modules: [BrandModule], transport: 'in-process', databaseUrl: database.url });
    await sql.connect();
    return await work({ sql, host, database });
  } finally {
    await sql.end().catch(() => undefined);
    await host?.close().catch(() => undefined);
    await database.drop().catch(() => undefined);
  }
}

/** Whether the target holds at every size, and whether the answer stays flat from the smallest to the largest. */
function verdict(results: SizeResult[]): string {
  const [first, last] = [results[0], results[results.length - 1]];
  const perSize = results.map((result) => `${formatNumber(result.http.p99, 1)} ms at ${formatNumber(result.certificates)}`).join(', ');
  const met = results.every((result) => result.http.p99 < TARGET_P99_MS);
  const lines = [`target: p99 under ${TARGET_P99_MS} ms over HTTP — ${met ? 'MET' : 'NOT MET'} (${perSize})`];
  if (results.length < 2) return [...lines, 'flat: one size only, so not shown'].join('\n');
  // Flat: within half again, or within 5 ms (the noise of a shared machine at these latencies).
  const change = (label: string, from: number, to: number) => {
    const flat = to <= from * 1.5 || to - from < 5;
    return `${label} ${formatNumber(from, 1)} → ${formatNumber(to, 1)} ms (×${formatNumber(to / from, 2)}, ${flat ? 'flat' : 'NOT flat'})`;
  };
  lines.push(
    `from ${formatNumber(first.certificates)} to ${formatNumber(last.certificates)} certificates: ${change('HTTP p50', first.http.p50, last.http.p50)}, ${change('HTTP p99', first.http.p99, last.http.p99)}; ` +
      `the read model's own part, ${change('reader p50', first.reader.p50, last.reader.p50)}, reading ${formatNumber(first.rowsRead.period + first.rowsRead.standing)} → ${formatNumber(last.rowsRead.period + last.rowsRead.standing)} rows`,
  );
  return lines.join('\n');
}

main().then(
  () => setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref(),
  (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
