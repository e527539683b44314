// Import jobs run by more than one replica of trainee-service on one database (each job worked by one
// runner at a time, never failed by the other's work); a job whose owner never answers fails in time
// rather than waiting for ever; a job's personal data is forgotten after it ends, and an erasure reaches
// a person's rows in every job; a job that ended keeps its end.
import { bearer, createTestDatabase, http, importClient, startTestHost, TestDatabase, TestHost, testAdultIdentityNumber, testIssuer, waitFor } from '@skills/testing';
import { ImportRowOutcome } from '@skills/contracts';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { TraineeModule } from '../../trainee.module';
import { identityHash } from '../../trainees/identity-hash';
import { ImportJobUpkeep } from './import-job-upkeep';
import { ImportJobs } from './import-jobs';
import { ImportRunner, KEEP_ROWS_DAYS } from './import-runner';
import { traineesRowKey } from './prepare-rows';

const csv = (rows: string[][]) => Buffer.from(rows.map((row) => row.join(',')).join('\r\n') + '\r\n');
const traineesFile = (from: number, count: number) => ({
  bytes: csv([['姓名', '身份证号', '手机号'], ...Array.from({ length: count }, (_, n) => [`并行${n}`, testAdultIdentityNumber(from + n), '13900000000'])]),
  name: 'trainees.csv',
});

describe('import jobs: one runner per job across replicas, and none waits or keeps personal data for ever', () => {
  let database: TestDatabase;
  let replicas: TestHost[];
  let sql: Client;
  let issuer: Awaited<ReturnType<typeof testIssuer>>;
  let school: Record<string, string>;
  let evaluator: Record<string, string>;
  let admin: Record<string, string>;
  const upkeep = () => replicas[0].app.get(ImportJobUpkeep);
  const count = async (query: string) => Number((await sql.query<{ n: string }>(query)).rows[0].n);
  /** How far a sequence has counted (0 if never): sequences count outside the transactions that fail. */
  const counted = (sequence: string) => count(`SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM ${sequence}`);
  /**
   * Runs `during` with `sequences` made and a trigger on identity_claims (BEFORE INSERT, FOR EACH ROW, or
   * STATEMENT) whose PL/pgSQL `body` ends in RETURN; all dropped after.
   */
  const withClaimsTrigger = async (name: string, level: 'ROW' | 'STATEMENT', sequences: string[], body: string, during: () => Promise<void>) => {
    await sql.query(`${sequences.map((sequence) => `CREATE SEQUENCE ${sequence};`).join(' ')}
      CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body} END $$;
      CREATE TRIGGER ${name} BEFORE INSERT ON identity_claims FOR EACH ${level} EXECUTE FUNCTION ${name}()`);
    try {
      await during();
    } finally {
      await sql.query(`DROP TRIGGER ${name} ON identity_claims; DROP FUNCTION ${name}(); ${sequences.map((sequence) => `DROP SEQUENCE ${sequence};`).join(' ')}`);
    }
  };
  /** A school's file of `rows` trainees from `from`, run at once, and every row of it created. */
  const importedWhole = async (from: number, rows: number) => {
    const job = await importClient(replicas[0].baseUrl, school).upload(traineesFile(from, rows), { kind: 'trainees' }, '?run=true');
    expect(job.status).toBe(202);
    expect(await importClient(replicas[0].baseUrl, school).settled(job.body.id)).toMatchObject({ state: 'done', total: rows, done: rows, created: rows, alreadyPresent: 0, refused: 0, failure: null });
    return job.body.id as string;
  };

  beforeAll(async () => {
    issuer = await testIssuer();
    database = await createTestDatabase();
    // Two replicas of trainee-service on one database, each with its runner.
    replicas = [];
    for (let n = 0; n < 2; n++) replicas.push(await startTestHost({ modules: [TraineeModule], transport: 'in-process', databaseUrl: database.url }));
    sql = new Client({ connectionString: database.url, options: '-c search_path=trainee' });
    await sql.connect();
    school = bearer(await issuer.token({ role: 'school_staff', organisationId: randomUUID() }));
    evaluator = bearer(await issuer.token({ role: 'evaluator_staff', organisationId: randomUUID() }));
    admin = bearer(await issuer.token({ role: 'platform_admin' }));
  });

  afterAll(async () => {
    await sql?.end();
    for (const replica of replicas ?? []) await replica.close();
    await database?.drop();
  });

  it('two replicas: each batch is applied once, by whichever runner holds the job, and the job ends done', async () => {
    const imports = importClient(replicas[1].baseUrl, school);
    const job = await imports.upload(traineesFile(180_000, 3000), { kind: 'trainees' }, '?run=true');
    expect(job.status).toBe(202);
    expect(await imports.settled(job.body.id)).toMatchObject({ state: 'done', total: 3000, done: 3000, created: 3000, refused: 0, failure: null });
    expect(await count("SELECT count(*) AS n FROM events WHERE event_type = 'TraineeRegistered'")).toBe(3000);
    expect(await count("SELECT count(*) AS n FROM import_row_keys WHERE kind = 'trainees'")).toBe(3000);
    expect(await count(`SELECT count(*) AS n FROM import_job_answers WHERE job_id = '${job.body.id}'`)).toBe(12); // 6 batches judged, 6 applied
  }, 180_000);

  /** A school's file of `count` people from the n-th (of 230,000 on), named `name` and their place, with `more` rows after. */
  const peopleFile = (name: string, from: number, count: number, more: string[][] = []) => ({
    bytes: csv([['姓名', '身份证号', '手机号'], ...Array.from({ length: count }, (_, n) => [`${name}${n}`, testAdultIdentityNumber(230_000 + from + n), '13900000000']), ...more]),
    name: `${name}.csv`,
  });
  const corrections = () => count("SELECT count(*) AS n FROM events WHERE event_type = 'TraineeCorrected'");

  it("runs a school's corrected file after the first when both are asked to run at once: every person ends with the later file's cells", async () => {
    const before = await corrections();
    // The corrected file holds the last 300 of the first file's 3,000 people: taken at once, it would
    // create them before the first file's last batch came to them (and that batch "corrected" them back).
    const [first, corrected] = [importClient(replicas[0].baseUrl, school), importClient(replicas[1].baseUrl, school)];
    const firstJob = await first.upload(peopleFile('初稿', 0, 3000), { kind: 'trainees' }, '?run=true');
    const correctedJob = await corrected.upload(peopleFile('更正', 2700, 300), { kind: 'trainees' }, '?run=true');

    expect(await first.settled(firstJob.body.id)).toMatchObject({ state: 'done', created: 3000, corrected: 0, refused: 0 });
    // Dry-run while the first ran, and run after it: every row a correction of the first file's.
    expect(await corrected.settled(correctedJob.body.id)).toMatchObject({ state: 'done', created: 0, corrected: 300, refused: 0 });
    expect(await corrections()).toBe(before + 300);
    // Asked to run before the first was done: the two were at once.
    expect(await count(`SELECT count(*) AS n FROM import_jobs c, import_jobs f WHERE c.job_id = '${correctedJob.body.id}' AND f.job_id = '${firstJob.body.id}' AND c.run_requested_at < f.finished_at`)).toBe(1);
  }, 180_000);

  it('never pauses a run once begun: a file its dry run stopped, run while another applies, goes after it', async () => {
    const before = await corrections();
    const imports = importClient(replicas[0].baseUrl, school);
    // Asked to run with the upload, stopped by its refused row (a phone of 7 digits) until asked again.
    const stopped = await imports.upload(peopleFile('后改', 6700, 300, [['坏行', testAdultIdentityNumber(239_999), '1390000']]), { kind: 'trainees' }, '?run=true');
    expect(await imports.settled(stopped.body.id)).toMatchObject({ state: 'ready', refused: 1 });
    const applying = await imports.upload(peopleFile('先行', 4000, 3000), { kind: 'trainees' }, '?run=true');
    await waitFor(async () => {
      const job = await imports.job(applying.body.id);
      return job.state === 'running' && job.done > 0 && job.done < job.total;
    }, { description: 'the second file applying', intervalMs: 20, timeoutMs: 60_000 });
    expect((await imports.run(stopped.body.id, '?skipRefused=true')).status).toBe(202);
    // It says what it waits for, and no rate while it does.
    expect(await imports.job(stopped.body.id)).toMatchObject({ state: 'running', waitingFor: applying.body.id, rowsPerSecond: null });

    // The stopped file was asked to run first, but the other had begun: it went on, whole, and the stopped one after it.
    expect(await imports.settled(applying.body.id)).toMatchObject({ state: 'done', created: 3000, corrected: 0 });
    const ended = await imports.settled(stopped.body.id);
    expect(ended).toMatchObject({ state: 'done', created: 0, corrected: 300, refused: 1, waitingFor: null });
    // A rate from its one batch (its start and end once fell in one transaction, and it had none).
    expect(ended.rowsPerSecond).toBeGreaterThan(0);
    expect(await corrections()).toBe(before + 300);
  }, 180_000);

  it('two batches at once: when the first fails, the second, applied meanwhile, is undone, and after the retry every row is applied once', async () => {
    const first = identityHash(testAdultIdentityNumber(200_000));
    // Every batch's claims statement is counted, undone or not; the first batch's claims fail once, and
    // only once the second batch has written its claims too (up to 10 s): proof that both ran at once.
    await withClaimsTrigger('probe_count_statement', 'STATEMENT', ['probe_claim_statements'], "PERFORM nextval('probe_claim_statements'); RETURN NULL;", () =>
      withClaimsTrigger(
        'probe_fail_once',
        'ROW',
        ['probe_claim_failures', 'probe_overlaps'],
        `IF NEW.identity_hash = '${first}' THEN
           IF nextval('probe_claim_failures') = 1 THEN
             FOR n IN 1..100 LOOP
               EXIT WHEN (SELECT last_value FROM probe_claim_statements) >= 2;
               PERFORM pg_sleep(0.1);
             END LOOP;
             IF (SELECT last_value FROM probe_claim_statements) >= 2 THEN PERFORM nextval('probe_overlaps'); END IF;
             RAISE EXCEPTION 'probe: the first batch fails once';
           END IF;
         END IF;
         RETURN NEW;`,
        async () => {
          const registrations = () => count("SELECT count(*) AS n FROM events WHERE event_type = 'TraineeRegistered'");
          const before = { registrations: await registrations(), claims: await count('SELECT count(*) AS n FROM identity_claims') };
          const job = await importedWhole(200_000, 2000);
          expect(await registrations()).toBe(before.registrations + 2000);
          expect(await count('SELECT count(*) AS n FROM identity_claims')).toBe(before.claims + 2000);
          expect(await counted('probe_claim_failures')).toBe(2); // failed, then applied
          // The second batch wrote its claims while the first was failing, and was undone: four batches,
          // and the first and the second once more.
          expect(await counted('probe_overlaps')).toBe(1);
          expect(await counted('probe_claim_statements')).toBe(6);
          expect(await count(`SELECT count(*) AS n FROM import_job_answers WHERE job_id = '${job}' AND mode = 'apply'`)).toBe(4);
          expect(await count(`SELECT count(*) AS n FROM import_job_rows WHERE job_id = '${job}' AND outcome = 'created'`)).toBe(2000);
        },
      ),
    );
  }, 180_000);

  it("fails a job whose owner answers none of its batches in time, and a late answer changes nothing", async () => {
    const person = { name: '久等', idNumber: testAdultIdentityNumber(191_000), phone: '13900000000' };
    const registered = await http(replicas[0].baseUrl, 'POST', '/api/v1/trainees', person, admin);
    expect(registered.status).toBe(201);
    // A certificates job: its batch goes to certification-service, which this database's replicas lack.
    const imports = importClient(replicas[0].baseUrl, evaluator);
    const file = csv([['姓名', '身份证号', '证书编号', '职业编码', '等级', '发证日期'], [person.name, person.idNumber, 'HN-2010-000001', '6-18-02-04', '初级工', '2010-05-20']]);
    const job = await imports.upload({ bytes: file, name: 'certificates.csv' }, { kind: 'certificates' });
    expect(job.status).toBe(202);
    const submitted = async () => (await sql.query('SELECT 1 FROM import_jobs WHERE job_id = $1 AND submitted = batches', [job.body.id])).rows.length === 1;
    await waitFor(submitted, { description: 'every batch of the job to be submitted' });

    // The person's erasure reaches their row, still waiting for its answer: refused, its cells gone.
    const sealed = async () => (await sql.query('SELECT sealed IS NOT NULL AS kept FROM import_job_rows WHERE job_id = $1', [job.body.id])).rows.map((row) => row.kept);
    expect(await sealed()).toEqual([true]);
    expect((await http(replicas[0].baseUrl, 'DELETE', `/api/v1/trainees/${registered.body.id}/personal-data`, undefined, admin)).status).toBe(204);
    expect(await sealed()).toEqual([false]);
    expect(await imports.job(job.body.id)).toMatchObject({ state: 'validating', refused: 1 });
    expect((await imports.errors(job.body.id)).text).toMatch(/^2,.*身份证号 \(idNumber\): personal_data_erased/m);

    expect(await upkeep().failSilentJobs(3600)).toEqual([]); // answered in time, so far
    await sql.query("UPDATE import_jobs SET progressed_at = now() - interval '2 hours' WHERE job_id = $1", [job.body.id]);
    expect(await upkeep().failSilentJobs(3600)).toEqual([job.body.id]);
    const failed = await imports.job(job.body.id);
    expect(failed).toMatchObject({ state: 'failed', failureRule: 'owner_silent', failure: expect.stringContaining('did not answer in time') });

    const jobs = replicas[0].app.get(ImportJobs);
    const client = new Client({ connectionString: database.url, options: '-c search_path=trainee' });
    await client.connect();
    try {
      await jobs.recordAnswer(client, { jobId: job.body.id, batch: 0, mode: 'judge', outcomes: [{ row: 2, outcome: 'accepted' }] });
    } finally {
      await client.end();
    }
    expect(await imports.job(job.body.id)).toMatchObject({ state: 'failed', done: failed.done, refused: failed.refused });

  }, 60_000);

  it("an erasure while a batch is out: judged, its refusal stands; applied, the owner's outcome replaces it, and done never passes total", async () => {
    const people = [0, 1].map((n) => ({ name: `在途${n}`, idNumber: testAdultIdentityNumber(193_000 + n), phone: '13900000000' }));
    const ids: string[] = [];
    for (const person of people) ids.push((await http(replicas[0].baseUrl, 'POST', '/api/v1/trainees', person, admin)).body.id as string);
    // A certificates job: its batches go to certification-service, which this database's replicas lack, so
    // each stays out until the test answers it as certification-service would.
    const imports = importClient(replicas[0].baseUrl, evaluator);
    const header = ['姓名', '身份证号', '证书编号', '职业编码', '等级', '发证日期'];
    const file = csv([header, ...people.map((person, n) => [person.name, person.idNumber, `HN-2011-00000${n}`, '6-18-02-04', '初级工', '2011-05-20'])]);
    const job = await imports.upload({ bytes: file, name: 'certificates.csv' }, { kind: 'certificates' });
    expect(job.status).toBe(202);
    const out = async (phase: string) => (await sql.query('SELECT 1 FROM import_jobs WHERE job_id = $1 AND phase = $2 AND submitted = batches', [job.body.id, phase])).rows.length === 1;
    const answer = async (mode: 'judge' | 'apply', outcomes: ImportRowOutcome[]) => {
      const client = new Client({ connectionString: database.url, options: '-c search_path=trainee' });
      await client.connect();
      try {
        await client.query('BEGIN');
        await replicas[0].app.get(ImportJobs).recordAnswer(client, { jobId: job.body.id, batch: 0, mode, outcomes });
        await client.query('COMMIT');
      } finally {
        await client.end();
      }
    };
    const erase = async (n: number) => expect((await http(replicas[0].baseUrl, 'DELETE', `/api/v1/trainees/${ids[n]}/personal-data`, undefined, admin)).status).toBe(204);

    // Judged: the first person is erased while the batch is out; the judgement's `accepted` does not undo the refusal.
    for (let tries = 0; !(await out('judge')) && tries < 100; tries++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await out('judge')).toBe(true);
    await erase(0);
    await answer('judge', [{ row: 2, outcome: 'accepted' }, { row: 3, outcome: 'accepted' }]);
    expect(await imports.job(job.body.id)).toMatchObject({ state: 'ready', total: 2, refused: 1, done: 0 });
    expect((await imports.errors(job.body.id)).text).toMatch(/^2,.*身份证号 \(idNumber\): personal_data_erased/m);

    // Applied: the second person is erased while the run's batch is out; the owner had the cells and recorded the certificate.
    expect((await imports.run(job.body.id, '?skipRefused=true')).status).toBe(202);
    for (let tries = 0; !(await out('apply')) && tries < 100; tries++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await out('apply')).toBe(true);
    await erase(1);
    expect(await imports.job(job.body.id)).toMatchObject({ state: 'running', refused: 2, done: 2 });
    await answer('apply', [{ row: 3, outcome: 'created' }]);
    expect(await imports.job(job.body.id)).toMatchObject({ state: 'done', total: 2, done: 2, created: 1, refused: 1 });
    expect((await imports.errors(job.body.id)).text).not.toMatch(/^3,/m);
  }, 60_000);

  it("an erasure reaches the person's rows that no trainee was matched to: a mistyped name, a certificate twice", async () => {
    const person = { name: '未配', idNumber: testAdultIdentityNumber(194_000), phone: '13900000000' };
    const registered = await http(replicas[0].baseUrl, 'POST', '/api/v1/trainees', person, admin);
    expect(registered.status).toBe(201);
    const imports = importClient(replicas[0].baseUrl, evaluator);
    const header = ['姓名', '身份证号', '证书编号', '职业编码', '等级', '发证日期'];
    const certificate = ['HN-2012-000001', '6-18-02-04', '初级工', '2012-05-20'];
    // Row 2 names them with a mistyped name (not_found); row 3 rightly, but with row 2's certificate number.
    const job = await imports.upload({ bytes: csv([header, ['未陪', person.idNumber, ...certificate], [person.name, person.idNumber, ...certificate]]), name: 'certificates.csv' }, { kind: 'certificates' });
    expect(await imports.settled(job.body.id)).toMatchObject({ state: 'ready', refused: 2 });
    const errors = async () => (await imports.errors(job.body.id)).text;
    expect(await errors()).toMatch(/^2,.*身份证号 \(idNumber\): not_found/m);
    // An evaluator cannot register the person: it is told whom to ask, not to import trainees.
    expect(await errors()).toMatch(/^2,.*ask the school or employer that registers the person/m);
    expect(await errors()).not.toContain('import the trainees first');
    expect(await errors()).toMatch(/^3,.*证书编号 \(certificateNumber\): duplicate_in_file/m);
    expect(await errors()).toContain(person.idNumber);

    expect((await http(replicas[0].baseUrl, 'DELETE', `/api/v1/trainees/${registered.body.id}/personal-data`, undefined, admin)).status).toBe(204);
    const after = await errors();
    for (const secret of [person.idNumber, person.name, '未陪']) expect(after).not.toContain(secret);
    expect(after).toMatch(/^2,.*身份证号 \(idNumber\): not_found/m); // the reasons stay
    expect(await count(`SELECT count(*) AS n FROM import_job_rows WHERE job_id = '${job.body.id}' AND (sealed IS NOT NULL OR person_key IS NOT NULL OR natural_key IS NOT NULL)`)).toBe(0);
    expect(await imports.job(job.body.id)).toMatchObject({ state: 'ready', refused: 2 });
  }, 60_000);

  it('imports an erased person again as someone new: no keyed hash of theirs is left in the row keys or in the jobs', async () => {
    const imports = importClient(replicas[0].baseUrl, school);
    const file = peopleFile('再导', 9000, 2);
    const first = await imports.upload(file, { kind: 'trainees' }, '?run=true');
    expect(await imports.settled(first.body.id)).toMatchObject({ state: 'done', created: 2 });
    const idNumber = testAdultIdentityNumber(239_000);
    const traineeOf = async () => (await sql.query<{ trainee_id: string }>('SELECT trainee_id FROM identity_claims WHERE identity_hash = $1', [identityHash(idNumber)])).rows[0]?.trainee_id;
    const erased = await traineeOf();
    const { organisation_id: organisationId } = (await sql.query('SELECT organisation_id FROM import_jobs WHERE job_id = $1', [first.body.id])).rows[0];
    const naturalKey = traineesRowKey(organisationId, idNumber);
    const hashes = async () => [
      await count(`SELECT count(*) AS n FROM import_row_keys WHERE natural_key = '${naturalKey}'`),
      await count(`SELECT count(*) AS n FROM import_job_rows WHERE natural_key = '${naturalKey}' OR (trainee_id = '${erased}' AND key IS NOT NULL)`),
    ];
    expect(await hashes()).toEqual([1, 1]);

    expect((await http(replicas[0].baseUrl, 'DELETE', `/api/v1/trainees/${erased}/personal-data`, undefined, admin)).status).toBe(204);
    expect(await hashes()).toEqual([0, 0]);
    // The other person's are kept.
    expect(await count(`SELECT count(*) AS n FROM import_job_rows WHERE job_id = '${first.body.id}' AND natural_key IS NOT NULL`)).toBe(1);

    // The same file again: the erased person registered anew, the other already present.
    const again = await imports.upload(file, { kind: 'trainees' }, '?run=true');
    expect(await imports.settled(again.body.id)).toMatchObject({ state: 'done', created: 1, alreadyPresent: 1, refused: 0 });
    expect(await traineeOf()).toEqual(expect.any(String));
    expect(await traineeOf()).not.toBe(erased);
  }, 60_000);

  it(`forgets the cells of jobs that ended more than ${KEEP_ROWS_DAYS} days ago (the counts and reasons stay), and closes a dry run nobody ran`, async () => {
    const imports = importClient(replicas[0].baseUrl, school);
    const rows = [['姓名', '身份证号', '手机号'], ['旧甲', testAdultIdentityNumber(192_000), '13900000000'], ['旧乙', testAdultIdentityNumber(192_001), '1390000']];
    const ended = await imports.upload({ bytes: csv(rows), name: 'old.csv' }, { kind: 'trainees' }, '?run=true&skipRefused=true');
    expect(await imports.settled(ended.body.id)).toMatchObject({ state: 'done', created: 1, refused: 1 });
    const unrun = await imports.upload({ bytes: csv([rows[0], ['旧丙', testAdultIdentityNumber(192_002), '13900000000']]), name: 'unrun.csv' }, { kind: 'trainees' });
    expect(await imports.settled(unrun.body.id)).toMatchObject({ state: 'ready' });
    expect((await imports.errors(ended.body.id)).text).toContain('旧乙');

    // A registered person refused in a trainees file: their erasure takes their cells out of its error file.
    const known = { name: '旧丁', idNumber: testAdultIdentityNumber(192_003), phone: '13900000000' };
    const person = await http(replicas[0].baseUrl, 'POST', '/api/v1/trainees', known, admin);
    const again = await imports.upload({ bytes: csv([rows[0], [known.name, known.idNumber, known.phone]]), name: 'again.csv' }, { kind: 'trainees' });
    expect(await imports.settled(again.body.id)).toMatchObject({ state: 'ready', refused: 1 });
    expect((await imports.errors(again.body.id)).text).toContain('旧丁');
    expect((await http(replicas[0].baseUrl, 'DELETE', `/api/v1/trainees/${person.body.id}/personal-data`, undefined, admin)).status).toBe(204);
    const erased = (await imports.errors(again.body.id)).text;
    expect(erased).not.toContain('旧丁');
    expect(erased).toMatch(/^2,.*identity_number_registered/m);

    // A job that ended is not failed afterwards.
    await replicas[0].app.get(ImportJobs).fail(ended.body.id, 'batch_failed', 'too late');
    expect(await imports.job(ended.body.id)).toMatchObject({ state: 'done', failure: null, failureRule: null });

    expect(await upkeep().forgetOldRows(KEEP_ROWS_DAYS)).toBe(0);
    await sql.query(`UPDATE import_jobs SET finished_at = now() - interval '${KEEP_ROWS_DAYS + 1} days' WHERE job_id = $1`, [ended.body.id]);
    await sql.query(`UPDATE import_jobs SET progressed_at = now() - interval '${KEEP_ROWS_DAYS + 1} days' WHERE job_id = $1`, [unrun.body.id]);
    expect(await upkeep().forgetOldRows(KEEP_ROWS_DAYS)).toBe(2); // the ended job's refused row, the unrun job's row
    // Their files' names go too (a clerk may name a file after a person); the recent one's stays.
    const names = await sql.query<{ job_id: string; file_name: string | null }>('SELECT job_id, file_name FROM import_jobs WHERE job_id = ANY($1)', [[ended.body.id, unrun.body.id, again.body.id]]);
    expect(Object.fromEntries(names.rows.map((row) => [row.job_id, row.file_name]))).toEqual({ [ended.body.id]: null, [unrun.body.id]: null, [again.body.id]: 'again.csv' });
    const errors = (await imports.errors(ended.body.id)).text;
    expect(errors).not.toContain('旧乙');
    expect(errors).toMatch(/^3,.*手机号 \(phone\): matches /m);
    expect(await imports.job(ended.body.id)).toMatchObject({ state: 'done', created: 1, refused: 1 });
    expect(await imports.job(unrun.body.id)).toMatchObject({ state: 'failed', failureRule: 'dry_run_not_run', failure: expect.stringContaining(`not run within ${KEEP_ROWS_DAYS} days`) });
    expect(await imports.run(unrun.body.id)).toMatchObject({ status: 409, body: { rule: 'import_failed' } });
    expect(await imports.job(unrun.body.id)).toMatchObject({ state: 'failed', created: 0 });
  }, 60_000);

  it('counts failures per batch: three batches that each fail once, one after the other, do not fail the job', async () => {
    // Rows 500, 1000 and 1500 (of batches 1, 2 and 3) fail once each: three failed steps in a row, each
    // at the next batch, after the one before went in. One runner, so that one runner counts them all
    // (the other replica's is stopped for good: this test and the next come last).
    await replicas[1].app.get(ImportRunner).onApplicationShutdown();
    const failing = [500, 1000, 1500].map((n) => identityHash(testAdultIdentityNumber(210_000 + n)));
    const failOnce = (n: number) => `IF NEW.identity_hash = '${failing[n]}' THEN IF nextval('probe_fail_${n}') = 1 THEN RAISE EXCEPTION 'probe: fails once'; END IF; END IF;`;
    await withClaimsTrigger('probe_fail_each_once', 'ROW', ['probe_fail_0', 'probe_fail_1', 'probe_fail_2'], `${[0, 1, 2].map(failOnce).join('\n')} RETURN NEW;`, async () => {
      await importedWhole(210_000, 2000);
      expect([await counted('probe_fail_0'), await counted('probe_fail_1'), await counted('probe_fail_2')]).toEqual([2, 2, 2]); // each failed once, then went in
    });
  }, 180_000);

  it('tries a batch again after a deadlock without counting it: three in a row at one batch leave the job done', async () => {
    // One runner counts them all, when this test runs alone too (a second stop does nothing).
    await replicas[1].app.get(ImportRunner).onApplicationShutdown();
    const victim = identityHash(testAdultIdentityNumber(220_000 + 700));
    await withClaimsTrigger(
      'probe_deadlock_thrice',
      'ROW',
      ['probe_deadlocks'],
      `IF NEW.identity_hash = '${victim}' THEN IF nextval('probe_deadlocks') <= 3 THEN RAISE EXCEPTION 'probe: deadlock' USING ERRCODE = '40P01'; END IF; END IF; RETURN NEW;`,
      async () => {
        await importedWhole(220_000, 1000);
        expect(await counted('probe_deadlocks')).toBe(4); // three deadlocks, then in
      },
    );
  }, 180_000);

  it('fails a job whose batch fails three times, with the rule a screen says in its words (batch_failed); nothing of the batch is written', async () => {
    await replicas[1].app.get(ImportRunner).onApplicationShutdown();
    const failing = identityHash(testAdultIdentityNumber(240_000 + 100));
    await withClaimsTrigger('probe_fail_always', 'ROW', [], `IF NEW.identity_hash = '${failing}' THEN RAISE EXCEPTION 'probe: fails always'; END IF; RETURN NEW;`, async () => {
      const imports = importClient(replicas[0].baseUrl, school);
      const job = await imports.upload(traineesFile(240_000, 300), { kind: 'trainees' }, '?run=true');
      expect(await imports.settled(job.body.id)).toMatchObject({ state: 'failed', failureRule: 'batch_failed', failure: expect.stringContaining('could not be applied'), created: 0 });
    });
  }, 180_000);
});
