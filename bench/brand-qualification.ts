// Brand qualification at scale: a brand with 100 000 trained trainees and a million facts behind it.
// Prints the time of GET /api/v1/brands/{id}/qualification?asOf=… (through HTTP, the answer a bureau
// gets) next to its peer in the same run: the same figures computed straight from the fact tables,
// which is what the answer would cost if it were computed from history on every request.
//
//   npm run bench:brand          BENCH_BRAND_TRAINEES (100000), BENCH_BRAND_FACTS_PER_TRAINEE (10)
import { BrandModule } from '@skills/brand-service';
import { bearer, http, startTestHost, testIssuer } from '@skills/testing';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { machineInfo } from './support/machine';
import { benchPostgres, createBenchDatabase } from './support/postgres';
import { median, percentile } from './support/stats';

const TRAINEES = Number(process.env.BENCH_BRAND_TRAINEES ?? 100_000);
/** Per trainee: 8 assessment records (3 enrolments, corrections, some outside the window) and 2 employments. */
const ASSESSMENTS_PER_TRAINEE = 8;
const PROVIDER = '91430200MA4L00001P';
const POLICY = { windowStart: '2020-11-01', windowEnd: '2021-09-30', minTrained: 400, minPassRate: 0.85, minEmploymentRate: 0.7, requiresEthicsTraining: true };
const AS_OF = ['2021-09-30', '2021-03-01', '2022-06-30', '2020-12-15', '2026-11-01'];

async function main() {
  const started = performance.now();
  const log = (line: string) => console.log(line);
  log('# Brand qualification benchmark');
  const machine = machineInfo();
  log(`machine:  ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, ${machine.platform}, Node ${machine.node}`);
  const server = await benchPostgres();
  const database = await createBenchDatabase(server.url, 'brand');
  log(`postgres: ${server.source}`);
  // Tokens signed like identity-service's, for a host without the identity module (before the host starts).
  const issuer = await testIssuer();
  const host = await startTestHost({ modules: [BrandModule], transport: 'in-process', databaseUrl: database.url });
  const sql = new Client({ connectionString: database.url, options: '-c search_path=brand' });
  await sql.connect();
  try {
    const bureau = await http(host.baseUrl, 'POST', '/api/v1/bureaus', { name: '株洲市人社局', regionCode: '430200' }, bearer(await issuer.token({ role: 'platform_admin' })));
    if (bureau.status !== 201) throw new Error(`bureau registration answered ${bureau.status}: ${JSON.stringify(bureau.body)}`);
    const bureauId = bureau.body.id as string;
    // The bureau registers its brand and reads its qualification (brands:register, brands:read-qualification).
    const officer = bearer(await issuer.token({ role: 'bureau_officer', organisationId: bureauId }));

    // The facts, as the consumers record them, written in bulk (a million messages through the bus would
    // measure the bus, not the answer).
    let at = performance.now();
    await sql.query(
      `INSERT INTO assessment_facts (assessment_id, enrollment_id, trainee_id, provider_credit_code, occupation_code, course_kind, assessed_on, passed, version)
       SELECT gen_random_uuid(), md5('e' || t || '-' || (k % 3))::uuid, md5('t' || t)::uuid, $1, '6-18-02-04', 'skill',
              date '2020-10-01' + ((t * 7 + k * 31) % 400), ((t + k) % 6) <> 0, k
       FROM generate_series(1, $2::int) t, generate_series(1, $3::int) k`,
      [PROVIDER, TRAINEES, ASSESSMENTS_PER_TRAINEE],
    );
    await sql.query(
      `INSERT INTO employment_facts (employment_id, trainee_id, employer_industry_code, start_date, end_date)
       SELECT gen_random_uuid(), md5('t' || t)::uuid, CASE WHEN j = 1 THEN 'C37' ELSE 'O80' END, date '2021-01-01' + (t % 400),
              CASE WHEN t % 3 = 0 THEN date '2022-01-01' + (t % 200) END
       FROM generate_series(1, $1::int) t, generate_series(1, 2) j`,
      [TRAINEES],
    );
    await sql.query(`INSERT INTO assessment_facts (assessment_id, enrollment_id, trainee_id, provider_credit_code, occupation_code, course_kind, assessed_on, passed, version)
                     VALUES (gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), $1, '9-99-99-99', 'ethics_and_law', '2021-03-15', true, 1)`, [PROVIDER]);
    await sql.query('ANALYZE');
    const facts = Number((await sql.query('SELECT (SELECT count(*) FROM assessment_facts) + (SELECT count(*) FROM employment_facts) AS n')).rows[0].n);
    log(`facts:    ${facts.toLocaleString('en')} (${TRAINEES.toLocaleString('en')} trainees), written in ${((performance.now() - at) / 1000).toFixed(1)} s`);

    // Registered after the facts: the registration fills the brand's figures from them (backfill).
    at = performance.now();
    const brand = await http(host.baseUrl, 'POST', '/api/v1/brands', { bureauId, name: '株洲新希望铆焊工', tier: 'city', industryCode: 'C37', occupationCodes: ['6-18-02-04'], buildingUnits: [PROVIDER], policy: POLICY }, officer);
    if (brand.status !== 201) throw new Error(`brand registration answered ${brand.status}: ${JSON.stringify(brand.body)}`);
    const dates = Number((await sql.query('SELECT count(*) AS n FROM brand_step_totals WHERE brand_id = $1', [brand.body.id])).rows[0].n);
    log(`backfill: registration with backfill took ${((performance.now() - at) / 1000).toFixed(1)} s; the brand's totals hold ${dates} (measure, day) rows`);

    const ours = async (asOf: string) => {
      const began = performance.now();
      const answer = await http(host.baseUrl, 'GET', `/api/v1/brands/${brand.body.id}/qualification?asOf=${asOf}`, undefined, officer);
      if (answer.status !== 200) throw new Error(`qualification answered ${answer.status}`);
      return { ms: performance.now() - began, figures: answer.body };
    };
    const peer = async (asOf: string) => {
      const began = performance.now();
      const { rows } = await sql.query(FROM_HISTORY, [PROVIDER, '6-18-02-04', 'C37', POLICY.windowStart, POLICY.windowEnd, asOf]);
      return { ms: performance.now() - began, figures: rows[0] };
    };
    // Same figures both ways, or the comparison means nothing.
    for (const asOf of AS_OF) {
      const [a, b] = [await ours(asOf), await peer(asOf)];
      const same = a.figures.trained === Number(b.figures.trained) && a.figures.passed === Number(b.figures.passed) && a.figures.employedInIndustry === Number(b.figures.employed);
      log(`check ${asOf}: trained ${a.figures.trained}, passed ${a.figures.passed}, employed ${a.figures.employedInIndustry}, qualifies ${a.figures.qualifies} — ${same ? 'same as from history' : `DIFFERENT from history ${JSON.stringify(b.figures)}`}`);
      if (!same) process.exitCode = 1;
    }
    const oursMs: number[] = [];
    const peerMs: number[] = [];
    for (let round = 0; round < 10; round++) {
      for (const asOf of AS_OF) {
        oursMs.push((await ours(asOf)).ms);
        if (round < 3) peerMs.push((await peer(asOf)).ms);
      }
    }
    log('');
    log(`| answer as of a date, ${TRAINEES.toLocaleString('en')} trainees | requests | median ms | p99 ms |`);
    log('|---|---:|---:|---:|');
    log(`| GET …/qualification (step totals, over HTTP) | ${oursMs.length} | ${median(oursMs).toFixed(1)} | ${percentile(oursMs, 99).toFixed(1)} |`);
    log(`| peer: the same figures from the fact tables (SQL only, no HTTP) | ${peerMs.length} | ${median(peerMs).toFixed(1)} | ${percentile(peerMs, 99).toFixed(1)} |`);
    log('');
    log(`peer / ours (medians): ${(median(peerMs) / median(oursMs)).toFixed(1)}×`);
    log(`target: under 50 ms — ${percentile(oursMs, 99) < 50 ? 'met (p99)' : median(oursMs) < 50 ? 'met at the median, not at p99' : 'NOT MET'}`);
    log(`total time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await sql.end();
    await host.close();
    await database.drop().catch(() => undefined);
    await server.stop();
  }
}

/** domain.md section 5 computed from history on every request: the cost grows with the facts. */
const FROM_HISTORY = `
  WITH records AS (
    SELECT trainee_id, enrollment_id, passed, version, assessed_on FROM assessment_facts
    WHERE course_kind = 'skill' AND provider_credit_code = $1 AND occupation_code = $2
      AND assessed_on BETWEEN $4::date AND least($5::date, $6::date)
  ), standing AS (
    SELECT DISTINCT ON (enrollment_id) trainee_id, passed FROM records ORDER BY enrollment_id, version DESC
  ), trained AS (
    SELECT trainee_id, bool_or(passed) AS passed FROM standing GROUP BY trainee_id
  )
  SELECT count(*) AS trained, count(*) FILTER (WHERE passed) AS passed,
         count(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM employment_facts e WHERE e.trainee_id = trained.trainee_id AND e.employer_industry_code = $3
             AND e.start_date <= $6::date AND (e.end_date IS NULL OR e.end_date > $6::date))) AS employed
  FROM trained`;

main().then(
  () => setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref(),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
