// Verifiable credentials (api.md, Credentials), in one run on one Postgres server:
//   1. the credentials worker alone: credentials signed per second and verified per second (one worker
//      thread, one after another, as the projection and POST /credentials/verify use it);
//   2. certifications at a steady rate (50/s by default) through the HTTP API of a host with trainee- and
//      certification-service, signing switched on: each certification's latency (send → 201), and the
//      delay from its 201 to its credential being served (committed in certificate_credentials, which
//      GET …/credential answers from);
//   3. the same certifications with signing switched off (CREDENTIAL_SIGNING=off), on a fresh database:
//      the certification's own latency without the projection beside it.
//
//   npm run bench:credentials [-- --rate 50 --seconds 20]
import { CertificationModule, credentialSigner, JsonDocument } from '@skills/certification-service';
import { bearer, http, startTestHost, TestHost, testAdultIdentityNumber, testCreditCode, testIssuer } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { machineInfo } from './support/machine';
import { benchPostgres, BenchPostgres, createBenchDatabase, serverInfo } from './support/postgres';
import { formatNumber, median, percentile } from './support/stats';
import { table } from './support/table';

const WELDER = '6-18-02-04';
const log = (line: string) => console.log(line);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const loadAverage = () => os.loadavg().map((value) => value.toFixed(2)).join(' ');

interface RunFigures {
  signing: boolean;
  certifications: number;
  latencies: number[];
  credentialDelays: number[];
  achievedRate: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rate: { type: 'string', default: '50' }, seconds: { type: 'string', default: '20' } } });
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const machine = machineInfo();
  log('# Verifiable credentials benchmark');
  log(`command:  npm run bench:credentials -- --rate ${rate} --seconds ${seconds}`);
  log(`machine:  ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB memory, ${machine.platform}, Node ${machine.node}`);
  const loadBefore = loadAverage();
  log(`load:     ${loadBefore} (1/5/15 min) at start`);

  const server = await benchPostgres();
  let worker: { signed: number; verified: number } | undefined;
  const runs: RunFigures[] = [];
  try {
    log(`postgres: ${(await serverInfo(server.url)).version}, ${server.source}`);
    log('');
    log('## 1. The credentials worker alone');
    worker = await workerRates();
    log(`  signed ${formatNumber(worker.signed, 1)} credentials/s, verified ${formatNumber(worker.verified, 1)} credentials/s (one worker thread)`);
    for (const signing of [true, false]) {
      log('');
      log(`## ${signing ? 2 : 3}. ${rate} certifications/s for ${seconds} s, signing ${signing ? 'on' : 'off (CREDENTIAL_SIGNING=off)'}`);
      runs.push(await certificationRun(server, signing, rate, seconds));
      const run = runs[runs.length - 1];
      log(`  ${run.certifications} certifications at ${formatNumber(run.achievedRate, 1)}/s`);
    }
  } finally {
    await credentialSigner.close();
    await server.stop();
  }
  const loadAfter = loadAverage();
  const [on, off] = runs;
  log('');
  log('## Results');
  log(`load average (1/5/15 min): ${loadBefore} before, ${loadAfter} after`);
  log(`worker: ${formatNumber(worker?.signed ?? Number.NaN, 1)} signed/s, ${formatNumber(worker?.verified ?? Number.NaN, 1)} verified/s`);
  log('');
  const ms = (values: number[], p: number) => formatNumber(p === 50 ? median(values) : percentile(values, p), 1);
  log(
    table(
      ['certification (send → 201)', 'count', 'p50 ms', 'p99 ms', 'max ms'],
      runs.map((run) => [`signing ${run.signing ? 'on' : 'off'}`, String(run.certifications), ms(run.latencies, 50), ms(run.latencies, 99), ms(run.latencies, 100)]),
    ),
  );
  log('');
  log(table(['201 → credential served', 'count', 'p50 ms', 'p99 ms', 'max ms'], [['signing on', String(on.credentialDelays.length), ms(on.credentialDelays, 50), ms(on.credentialDelays, 99), ms(on.credentialDelays, 100)]]));
  log('');
  log(`certification p50 with signing on / off: ${formatNumber(median(on.latencies) / median(off.latencies), 2)}×; p99: ${formatNumber(percentile(on.latencies, 99) / percentile(off.latencies, 99), 2)}×`);
}

/** The worker's own rates: 200 credentials signed one after another, then verified. */
async function workerRates(): Promise<{ signed: number; verified: number }> {
  const did = 'did:web:bench.example:evaluators:00000000-0000-4000-8000-000000000001';
  const pair = await credentialSigner.generateKey();
  const key = { id: `${did}#key-1`, controller: did, ...pair };
  const didDocument = { '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'], id: did, verificationMethod: [{ id: key.id, type: 'Multikey', controller: did, publicKeyMultibase: pair.publicKeyMultibase }], assertionMethod: [key.id] };
  const listUrl = 'https://bench.example/api/v1/evaluators/00000000-0000-4000-8000-000000000001/status-lists/0';
  const list = await credentialSigner.statusList({ id: listUrl, issuer: did, length: 131_072, revoked: [], validFrom: '2020-01-01T00:00:00Z', key });
  const unsigned = (n: number): JsonDocument => ({
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: `https://bench.example/verify/S0001430200215${String(n).padStart(6, '0')}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: did, type: ['Profile'], name: '湖南省焊接协会' },
    validFrom: '2021-06-01T00:00:00+08:00',
    name: '职业技能等级证书：焊工（初级工）',
    credentialSubject: { id: `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, type: ['AchievementSubject'], achievement: { id: 'https://bench.example/achievements/6-18-02-04/junior', type: ['Achievement'], name: '焊工（初级工）', description: '职业技能等级证书', criteria: { narrative: '认定合格' } } },
    credentialStatus: { id: `${listUrl}#${n}`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: String(n), statusListCredential: listUrl },
  });
  await credentialSigner.sign(unsigned(0), key); // warm up the worker and its contexts
  const count = 200;
  let started = performance.now();
  const signed: JsonDocument[] = [];
  for (let n = 1; n <= count; n++) signed.push(await credentialSigner.sign(unsigned(n), key));
  const signedRate = count / ((performance.now() - started) / 1000);
  started = performance.now();
  for (const credential of signed) {
    const result = await credentialSigner.verify(credential, { didDocuments: [didDocument], statusLists: [list] });
    if (!result.verified) throw new Error(`a benchmark credential did not verify: ${JSON.stringify(result.checks)}`);
  }
  return { signed: signedRate, verified: count / ((performance.now() - started) / 1000) };
}

/** Certifications at `rate`/s for `seconds` on a fresh database and host; with signing, when each credential is served. */
async function certificationRun(server: BenchPostgres, signing: boolean, rate: number, seconds: number): Promise<RunFigures> {
  const database = await createBenchDatabase(server.url, signing ? 'credentials-on' : 'credentials-off');
  let host: TestHost | undefined;
  const sql = new Client({ connectionString: database.url });
  try {
    host = await startTestHost({ modules: [TraineeModule, CertificationModule], transport: 'in-process', databaseUrl: database.url, settings: { CREDENTIAL_SIGNING: signing ? 'on' : 'off' } });
    await sql.connect();
    const issuer = await testIssuer();
    const admin = bearer(await issuer.token({ role: 'platform_admin' }));
    const baseUrl = host.baseUrl;
    const evaluator = await http(baseUrl, 'POST', '/api/v1/evaluators', { name: '湖南省焊接协会', creditCode: testCreditCode(9101), kind: 'social_organisation', regionCode: '430200' }, admin);
    const staff = bearer(await issuer.token({ role: 'evaluator_staff', organisationId: evaluator.body.id }));
    const total = rate * seconds;
    const trainees: string[] = [];
    for (let n = 0; n < total; n++) {
      const made = await http(baseUrl, 'POST', '/api/v1/trainees', { name: `凭证${n}`, idNumber: testAdultIdentityNumber(200_000 + n), phone: '13900000000' }, admin);
      trainees.push(made.body.id);
    }
    // Certification-service must know every holder before the clock starts (its trainee replica).
    while (Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM certification.known_trainees')).rows[0].n) < total) await sleep(200);
    await sleep(1000);

    const latencies: number[] = [];
    const answeredAt = new Map<string, number>();
    const servedAt = new Map<string, number>();
    let polling = signing;
    const poller = (async () => {
      // One query every 20 ms for the credentials not yet served: what GET …/credential would answer.
      while (polling || servedAt.size < answeredAt.size) {
        const pending = [...answeredAt.keys()].filter((number) => !servedAt.has(number));
        if (pending.length > 0) {
          const { rows } = await sql.query<{ certificate_number: string }>('SELECT certificate_number FROM certification.certificate_credentials WHERE certificate_number = ANY($1)', [pending]);
          const now = performance.now();
          for (const row of rows) servedAt.set(row.certificate_number, now);
        }
        if (!polling && pending.length === 0) break;
        await sleep(20);
      }
    })();
    const started = performance.now();
    const sends: Promise<void>[] = [];
    for (let n = 0; n < total; n++) {
      const due = started + (n * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      sends.push(
        (async () => {
          const sent = performance.now();
          const answer = await http(baseUrl, 'POST', '/api/v1/certifications', { traineeId: trainees[n], occupationCode: WELDER, level: 'junior', route: 'assessment', evaluatorId: evaluator.body.id, certifiedOn: '2021-06-01' }, staff);
          const now = performance.now();
          if (answer.status !== 201) throw new Error(`certification answered ${answer.status}: ${JSON.stringify(answer.body)}`);
          latencies.push(now - sent);
          if (signing) answeredAt.set(answer.body.certificateNumber as string, now);
        })(),
      );
    }
    await Promise.all(sends);
    const achievedRate = total / ((performance.now() - started) / 1000);
    const deadline = performance.now() + 120_000;
    while (signing && servedAt.size < answeredAt.size && performance.now() < deadline) await sleep(100);
    polling = false;
    await poller;
    const credentialDelays = [...answeredAt].filter(([number]) => servedAt.has(number)).map(([number, at]) => Math.max(0, (servedAt.get(number) as number) - at));
    return { signing, certifications: total, latencies, credentialDelays, achievedRate };
  } finally {
    await sql.end().catch(() => undefined);
    await host?.close().catch(() => undefined);
    await database.drop().catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
