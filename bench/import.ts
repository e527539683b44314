// Bulk imports end to end (api.md, Imports) against the raw limit of the same Postgres server, in one run:
//   1. the same trainee rows written by COPY FROM STDIN into a bare table (and by the multi-row INSERT …
//      unnest form the import uses for its job rows): what Postgres takes with no service in the way;
//   2. a trainees file uploaded with ?run=true to a host (trainee-service + certification-service, in-process
//      transport) and timed until trainee-service's read model (the trainee directory) holds every row;
//   3. (--enrolments N) a school's file of one course's past roster, N of those trainees with their results,
//      timed until training-service's roster (course_rosters) holds every result;
//   4. a file of historical certificates for the same trainees, timed until certification-service's
//      read model (certificates) holds every row; then how much later every certificate's credential is signed.
// Each phase is profiled: statements per row of the import batches, the time they were awaited, the CPU
// of the host and of Postgres, so the output says what bounds the rate. See docs/benchmarks.md.
//
//   npm run bench:import [-- --rows N]      N trainees and N certificates (default 100000)
//   npm run bench:import -- --trainees-only  without the certificates (the trainees alone are the target's figure)
//   npm run bench:import -- --enrolments N   training-service in the same host too, and one course's N enrolments
//                                            with results (N up to 10000, a course's most seats)
//   npm run bench:import -- --with-brand     brand-service in the same host too, as in the all-in-one process: its
//                                            statistics learn a fact from every registration and certificate;
//                                            how long after each read model it has them all
import { BrandModule } from '@skills/brand-service';
import { CertificationModule } from '@skills/certification-service';
import { bearer, http, startTestHost, TestHost, testCreditCode, testIssuer } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { TrainingModule } from '@skills/training-service';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { certificatesFile, enrolmentsFile, traineeRows, traineesFile } from './import/files';
import { PhaseProfile, traceStatements } from './import/profile';
import { measureRawInserts, RawInsertResult } from './import/raw-insert';
import { ImportRun, runImport } from './import/run-import';
import { machineInfo } from './support/machine';
import { benchPostgres, BenchPostgres, BenchDatabase, createBenchDatabase, serverInfo } from './support/postgres';
import { formatNumber } from './support/stats';
import { table } from './support/table';

/** The issue's target: trainee rows per second, upload to read model. */
const TARGET_ROWS_PER_SECOND = 5000;
const BATCH_ROWS = 500;
const REPLICA_WAIT_MS = 300_000;
const CREDENTIALS_WAIT_MS = 900_000;
const STATISTICS_WAIT_MS = 900_000;
/** The service that applies each kind's batches (the trainees' own are trainee-service's). */
const OWNER_OF: Record<string, string> = { enrolments_and_results: 'training-service', certificates: 'certification-service' };
/** A course's most seats (capacity's limit in the API): one course's enrolments file holds at most this many people. */
const COURSE_SEATS = 10_000;

async function main(): Promise<void> {
  const started = performance.now();
  const { rows, certificates, withBrand, enrolments } = benchArguments();
  const log = (line: string) => console.log(line);
  const machine = machineInfo();
  const loadBefore = loadAverage();
  log('# Bulk import benchmark');
  const given = process.argv.slice(2).join(' ');
  log(`command:  ${process.env.npm_lifecycle_event ? `npm run ${process.env.npm_lifecycle_event}` : 'node'} (node -r ./tools/register.js bench/import.ts ${given || `--rows ${rows}`})`);
  log(`machine:  ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB memory, ${machine.platform}, Node ${machine.node}`);
  log(`load:     ${loadBefore} (1/5/15 min) at start — other work on the machine skews every figure`);

  let server: BenchPostgres | undefined;
  let database: BenchDatabase | undefined;
  let host: TestHost | undefined;
  let sql: Client | undefined;
  let raw: RawInsertResult[] = [];
  const imports: ImportRun[] = [];
  let enrolmentsFailure: string | undefined;
  let certificatesFailure: string | undefined;
  let signingFailure: string | undefined;
  let statisticsFailure: string | undefined;
  try {
    server = await benchPostgres();
    const settings = await serverInfo(server.url);
    log(`postgres: ${settings.version}, ${server.source}`);
    log(`          ${Object.entries(settings.settings).map(([name, value]) => `${name}=${value}`).join(', ')}`);
    database = await createBenchDatabase(server.url, 'import');
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    const people = traineeRows(rows);
    const count = async (query: string, values: unknown[] = []) => Number((await (sql as Client).query<{ n: string }>(query, values)).rows[0].n);

    log('');
    log(`## 1. Raw limit: ${formatNumber(rows)} trainee rows (name, id number, phone, region) straight into Postgres`);
    raw = await measureRawInserts(sql, people);
    for (const each of raw) log(`  ${each.label}: ${formatNumber(each.rows)} rows in ${formatNumber(each.seconds, 2)} s`);

    traceStatements();
    const issuer = await testIssuer();
    // Trainees alone (--trainees-only): trainee-service's own process, as deployed apart (the other services consume in theirs); --with-brand adds brand-service (`npm start` has every service in one process).
    const modules = [TraineeModule, ...(enrolments > 0 ? [TrainingModule] : []), ...(certificates ? [CertificationModule] : []), ...(withBrand ? [BrandModule] : [])];
    host = await startTestHost({ modules, transport: 'in-process', databaseUrl: database.url });
    const baseUrl = host.baseUrl;

    log('');
    log(`## 2. Trainees: ${formatNumber(rows)}-row CSV → POST /api/v1/imports?run=true → trainee directory (read model) complete`);
    const school = bearer(await issuer.token({ role: 'school_staff', organisationId: randomUUID() }));
    imports.push(
      await runImport({ baseUrl, headers: school, kind: 'trainees', file: traineesFile(people), rows, readModelRows: () => count('SELECT count(*) AS n FROM trainee.trainee_directory'), outboxRows: () => count('SELECT count(*) AS n FROM trainee.outbox'), log }),
    );
    const traineesDone = performance.now();
    // Not the import's figures: how long brand-service's statistics trail each read model (a fact a row),
    // waited for beside the replica and the signing below, each measured from its own read model's
    // completion. A wait that runs out is reported apart. Polled by the log's sequence (a count of brand's
    // log would read all of it every time, on the server being measured); the facts are counted on each
    // poll once the sequence has reached their number. Recorded facts, not the sums' read models.
    const statisticsCaughtUp = async (kind: string, facts: number, since: number) => {
      if (!withBrand) return;
      const allRecorded = async () =>
        (await count('SELECT last_value AS n FROM brand.events_global_position_seq')) >= facts &&
        (await count("SELECT count(*) AS n FROM brand.events WHERE event_type = 'StatisticsFactRecorded'")) >= facts;
      await until(allRecorded, STATISTICS_WAIT_MS, "brand-service's statistics facts").then(
        () => log(`  ${kind}: brand's statistics had every fact ${formatNumber((performance.now() - since) / 1000, 1)} s after the read model was complete`),
        (error: Error) => {
          statisticsFailure = error.message;
          log(`  ${kind}: brand's statistics FAILED — ${statisticsFailure}`);
        },
      );
    };
    const traineesStatistics = statisticsCaughtUp('trainees', rows, traineesDone);

    // A school's past roster of one course: its people must be known to training-service first (its
    // trainee replica), as the certificates' holders are to certification-service below.
    const enrolmentsRun = async (size: number) => {
      await until(async () => (await count('SELECT count(*) AS n FROM training.known_trainees')) >= rows, REPLICA_WAIT_MS, 'training-service trainee replica');
      log(`  training's trainee replica complete ${formatNumber((performance.now() - traineesDone) / 1000, 1)} s after the trainee directory`);
      const admin = bearer(await issuer.token({ role: 'platform_admin' }));
      const provider = await http(baseUrl, 'POST', '/api/v1/providers', { name: '株洲新希望焊接技术学校', creditCode: testCreditCode(9002), regionCode: '430200' }, admin);
      if (provider.status !== 201) throw new Error(`provider registration answered ${provider.status}: ${JSON.stringify(provider.body)}`);
      const providerStaff = bearer(await issuer.token({ role: 'school_staff', organisationId: provider.body.id as string }));
      const course = await http(
        baseUrl,
        'POST',
        '/api/v1/courses',
        { providerId: provider.body.id, title: '焊工（初级）', occupationCode: '6-18-02-04', kind: 'skill', capacity: size, startDate: '2021-03-01', endDate: '2021-05-31' },
        providerStaff,
      );
      if (course.status !== 201) throw new Error(`course scheduling answered ${course.status}: ${JSON.stringify(course.body)}`);
      const courseId = course.body.id as string;
      imports.push(
        await runImport({
          baseUrl,
          headers: providerStaff,
          kind: 'enrolments_and_results',
          fields: { courseId },
          file: enrolmentsFile(people.slice(0, size)),
          rows: size,
          readModelRows: () => count('SELECT count(*) AS n FROM training.course_rosters WHERE course_id = $1 AND assessment_id IS NOT NULL', [courseId]),
          log,
        }),
      );
    };

    log('');
    log(`## 3. Enrolments: one course's ${formatNumber(enrolments)} enrolments with results → training's roster (read model) complete`);
    if (enrolments === 0) log('  left out (no --enrolments)');
    else
      try {
        await enrolmentsRun(enrolments);
      } catch (error) {
        enrolmentsFailure = failureOf(error);
        log(`  enrolments: FAILED — ${enrolmentsFailure}`);
      }

    log('');
    log(`## 4. Certificates: ${formatNumber(rows)} historical certificates of those trainees → certification's certificates (read model) complete`);
    if (!certificates) {
      log('  left out (--trainees-only)');
      await traineesStatistics;
    } else try {
      // The certificates' holders must be known to certification-service first (its trainee replica); and
      // with brand-service, its statistics of the trainees complete, so the certificates start on a caught-up platform.
      const replica = until(async () => (await count('SELECT count(*) AS n FROM certification.known_trainees')) >= rows, REPLICA_WAIT_MS, 'certification-service trainee replica').then(() =>
        log(`  certification's trainee replica complete ${formatNumber((performance.now() - traineesDone) / 1000, 1)} s after the trainee directory`),
      );
      // Both settle before a failure goes on, so no wait polls a client the end has closed.
      const [replicaWait] = await Promise.allSettled([replica, traineesStatistics]);
      if (replicaWait.status === 'rejected') throw replicaWait.reason;
      const admin = bearer(await issuer.token({ role: 'platform_admin' }));
      const registered = await http(baseUrl, 'POST', '/api/v1/evaluators', { name: '株洲市焊接协会', creditCode: testCreditCode(9001), kind: 'social_organisation', regionCode: '430200' }, admin);
      if (registered.status !== 201) throw new Error(`evaluator registration answered ${registered.status}: ${JSON.stringify(registered.body)}`);
      const evaluatorId = registered.body.id as string;
      const { rows: codes } = await sql.query<{ code: string }>("SELECT data->>'evaluatorCode' AS code FROM certification.events WHERE event_type = 'EvaluatorRegistered' AND data->>'evaluatorId' = $1", [evaluatorId]);
      const staff = bearer(await issuer.token({ role: 'evaluator_staff', organisationId: evaluatorId }));
      imports.push(
        await runImport({
          baseUrl,
          headers: staff,
          kind: 'certificates',
          file: certificatesFile(people, { kind: 'social_organisation', evaluatorCode: codes[0].code, regionCode: '430200' }),
          rows,
          readModelRows: () => count('SELECT count(*) AS n FROM certification.certificates WHERE evaluator_id = $1', [evaluatorId]),
          log,
        }),
      );
      const certificatesDone = performance.now();
      // Each certificate's verifiable credential is signed after it, off the import's path (the credentials
      // projection, in a worker thread): how long holders wait for theirs.
      const signed = () => count('SELECT count(*) AS n FROM certification.certificate_credentials WHERE evaluator_id = $1', [evaluatorId]);
      // Not the import's figure: a wait that runs out is reported apart, and the import's figures stand.
      const signing = until(async () => (await signed()) >= rows, CREDENTIALS_WAIT_MS, 'signed credentials').then(
        () => log(`  certificates: every credential signed ${formatNumber((performance.now() - certificatesDone) / 1000, 1)} s after the read model was complete`),
        (error: Error) => {
          signingFailure = error.message;
          log(`  certificates: signing FAILED — ${signingFailure}`);
        },
      );
      await Promise.all([signing, statisticsCaughtUp('certificates', 2 * rows, certificatesDone)]);
    } catch (error) {
      certificatesFailure = failureOf(error);
      log(`  certificates: FAILED — ${certificatesFailure}`);
    }
  } finally {
    await sql?.end().catch(() => undefined);
    await host?.close().catch(() => undefined);
    await database?.drop().catch(() => undefined);
    await server?.stop();
  }
  const loadAfter = loadAverage();

  const copy = raw[0];
  const copyRate = copy ? copy.rows / copy.seconds : Number.NaN;
  log('');
  log('## Results');
  log(`load average (1/5/15 min): ${loadBefore} before, ${loadAfter} after`);
  log('');
  log(
    table(
      ['kind', 'rows', 'seconds', 'rows/s', '× raw COPY'],
      [
        ...raw.map((each) => [`raw: ${each.label}`, formatNumber(each.rows), formatNumber(each.seconds, 2), formatNumber(each.rows / each.seconds), formatNumber(each.rows / each.seconds / copyRate, 3)]),
        ...imports.map((run) => [
          `${run.kind}: upload → read model complete${withBrand ? ' (brand-service in the host)' : ''}`,
          formatNumber(run.rows),
          formatNumber(run.total.seconds, 1),
          formatNumber(run.rows / run.total.seconds),
          formatNumber(run.rows / run.total.seconds / copyRate, 3),
        ]),
        ...(enrolmentsFailure ? [['enrolments: failed (see above)', '', '', '', '']] : []),
        ...(certificatesFailure ? [['certificates: failed (see above)', '', '', '', '']] : []),
        ...(signingFailure ? [['certificates: credentials not all signed (see above)', '', '', '', '']] : []),
        ...(statisticsFailure ? [["brand's statistics: not every fact (see above)", '', '', '', '']] : []),
      ],
    ),
  );
  for (const run of imports) {
    log('');
    log(`${run.kind}: the job's own rowsPerSecond ${run.job.rowsPerSecond} (its run phase); dry run ${formatNumber(run.dryRun.seconds, 1)} s vs run ${formatNumber(run.run.seconds, 1)} s (polled every 250 ms)`);
    log(phaseTable(run));
    log(boundOf(run));
  }
  const trainees = imports.find((run) => run.kind === 'trainees');
  if (trainees) {
    const rate = trainees.rows / trainees.total.seconds;
    log('');
    log(
      `target: at least ${formatNumber(TARGET_ROWS_PER_SECOND)} trainee rows/s end to end — ${formatNumber(rate)} rows/s → ` +
        (rate >= TARGET_ROWS_PER_SECOND ? 'MET' : `NOT MET (${formatNumber(TARGET_ROWS_PER_SECOND / rate, 1)}× short)`),
    );
  }
  log(`total time ${formatNumber((performance.now() - started) / 1000, 0)} s`);
  if (enrolmentsFailure || certificatesFailure || signingFailure || statisticsFailure) process.exitCode = 1;
}

/** Per phase: how long, how many statements per row the batches sent and waited for, whose CPU it took. */
function phaseTable(run: ImportRun): string {
  const perRow = (value: number, digits = 2) => formatNumber(value / run.rows, digits);
  const row = (name: string, phase: PhaseProfile) => [
    name,
    formatNumber(phase.seconds, 1),
    formatNumber(run.rows / phase.seconds),
    perRow(phase.batchStatements, 1),
    perRow(phase.batchStatementMs),
    perRow(phase.nodeCpuMs),
    phase.postgresCpuMs === undefined ? 'n/a' : perRow(phase.postgresCpuMs),
    perRow(phase.otherStatements, 1),
  ];
  return table(
    ['phase', 'seconds', 'rows/s', 'batch stmts/row', 'awaited ms/row', 'host CPU ms/row', 'postgres CPU ms/row', 'other stmts/row'],
    [row('upload (read, prepare, store)', run.upload), row('dry run (judge)', run.dryRun), row('run (apply)', run.run), row('done → read model', run.readModel), row('total', run.total)],
  );
}

/** What the run phase's time per row went to: Postgres round trips awaited one after another, or CPU. */
function boundOf(run: ImportRun): string {
  const phase = run.run;
  const wallMs = (phase.seconds * 1000) / run.rows;
  const awaitedMs = phase.batchStatementMs / run.rows;
  const nodeMs = phase.nodeCpuMs / run.rows;
  const postgresMs = phase.postgresCpuMs === undefined ? undefined : phase.postgresCpuMs / run.rows;
  const batches = Math.ceil(run.rows / BATCH_ROWS);
  const top = phase.topBatchStatements
    .slice(0, 8)
    .map(([kind, count]) => `${formatNumber(count / run.rows, 2)} ${kind}`)
    .join(', ');
  return [
    `bound (run phase): a batch of ${BATCH_ROWS} every ${formatNumber(phase.seconds / batches, 2)} s = ${formatNumber(wallMs, 2)} ms/row wall (${run.kind === 'trainees' ? 'two batches at once, in trainee-service' : `the batches in ${OWNER_OF[run.kind]}, one at a time`}), each batch's rows together;`,
    `  its batches awaited ${formatNumber(awaitedMs, 2)} ms/row on ${formatNumber(phase.batchStatements / run.rows, 1)} statements/row (each batch's one at a time; summed over the batches, so above 100 % when two overlap) — ${formatNumber((100 * awaitedMs) / wallMs, 0)} % of the wall time;`,
    `  CPU over the same time: host (Node, one thread) ${formatNumber(nodeMs, 2)} ms/row (${formatNumber((100 * nodeMs) / wallMs, 0)} % of one core), ` +
      `Postgres ${postgresMs === undefined ? 'n/a' : `${formatNumber(postgresMs, 2)} ms/row (${formatNumber((100 * postgresMs) / wallMs, 0)} % of one core)`}`,
    `  batch statements per row: ${top}`,
  ].join('\n');
}

function benchArguments(): { rows: number; certificates: boolean; withBrand: boolean; enrolments: number } {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '100000' },
      'trainees-only': { type: 'boolean', default: false },
      'with-brand': { type: 'boolean', default: false },
      enrolments: { type: 'string', default: '0' },
    },
  });
  const rows = Number(values.rows);
  if (!Number.isInteger(rows) || rows < BATCH_ROWS || rows > 200_000) throw new Error(`--rows must be an integer from ${BATCH_ROWS} to 200000 (a file's limit), not ${values.rows}`);
  const enrolments = Number(values.enrolments);
  if (!Number.isInteger(enrolments) || enrolments < 0 || enrolments > Math.min(rows, COURSE_SEATS)) {
    throw new Error(`--enrolments must be an integer from 0 to ${formatNumber(Math.min(rows, COURSE_SEATS))} (at most --rows, and a course's ${formatNumber(COURSE_SEATS)} seats), not ${values.enrolments}`);
  }
  return { rows, certificates: !values['trainees-only'], withBrand: values['with-brand'], enrolments };
}

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} not complete after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** An error as the run reports it, with its cause (fetch's "fetch failed" says why only there). */
function failureOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause === undefined ? error.message : `${error.message} (${failureOf(error.cause)})`;
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

main().then(
  () => setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref(),
  (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
