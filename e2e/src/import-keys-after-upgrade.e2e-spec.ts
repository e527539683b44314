// Import row keys an earlier version kept without their trainee (before ImportRowKeysTrainee): a person's
// erasure reaches them all the same, in the services that applied them, by the natural keys of the
// person's rows in trainee-service's jobs (PersonalDataErasedV1.importNaturalKeys). Kept, they are keyed
// hashes of the person's number and cells, and the same results file, once the person is registered again,
// answers their row already present instead of enrolling the new registration.
import { businessDateOf, systemClock } from '@skills/domain-kernel';
import { erasureLedgerIn, ErasureLedger } from '@skills/service-runtime';
import { bearer, createTestDatabase, http, importClient, startTestHost, TestDatabase, TestHost, testAdultIdentityNumber, testCreditCode, testIssuer, waitFor } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { TrainingModule } from '@skills/training-service';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

const csv = (rows: string[][]) => ({ bytes: Buffer.from(rows.map((row) => row.join(',')).join('\r\n') + '\r\n'), name: 'file.csv' });

describe('import row keys kept before keys named their trainee, at the erasure of their person', () => {
  let database: TestDatabase;
  let host: TestHost;
  let sql: Client;
  let admin: Record<string, string>;
  let school: Record<string, string>;
  let schoolId: string;
  // The all-in-one's erasure ledger (BACKUP_DIR): the second case makes an erasure again from it at start.
  const backupDir = mkdtempSync(join(tmpdir(), 'skills-keys-upgrade-'));
  const start = () => startTestHost({ modules: [TraineeModule, TrainingModule], transport: 'in-process', databaseUrl: database.url, settings: { BACKUP_DIR: backupDir } });
  const call = (method: string, path: string, body?: unknown, headers = admin) => http(host.baseUrl, method, path, body, headers);
  const count = async (query: string, values: unknown[]) => Number((await sql.query<{ n: string }>(query, values)).rows[0].n);

  beforeAll(async () => {
    const issuer = await testIssuer();
    admin = bearer(await issuer.token({ role: 'platform_admin' }));
    database = await createTestDatabase();
    host = await start();
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    const provider = await call('POST', '/api/v1/providers', { name: '株洲升级前学校', creditCode: testCreditCode(1801), regionCode: '430200' });
    expect(provider.status).toBe(201);
    schoolId = provider.body.id;
    school = bearer(await issuer.token({ role: 'school_staff', organisationId: schoolId }));
  });

  afterAll(async () => {
    await sql?.end();
    await host?.close();
    await database?.drop();
    rmSync(backupDir, { recursive: true, force: true });
  });

  it('are forgotten with the person, and the same results file enrols them anew once registered again', async () => {
    const people = [183_001, 183_002, 183_003].map((n, index) => ({ name: `升级${index}`, idNumber: testAdultIdentityNumber(n) }));
    const trainees = csv([['姓名', '身份证号', '手机号'], ...people.map((person) => [person.name, person.idNumber, '13800000000'])]);
    const course = await call('POST', '/api/v1/courses', { providerId: schoolId, title: '焊工（升级）', occupationCode: '6-18-02-04', kind: 'skill', capacity: 50, startDate: '2021-03-01', endDate: '2021-05-31' }, school);
    expect(course.status).toBe(201);
    const results = csv([['姓名', '身份证号', '报名日期', '是否合格', '成绩', '考核日期'], ...people.map((person) => [person.name, person.idNumber, '2021-03-01', '合格', '80', '2021-05-30'])]);
    const imports = importClient(host.baseUrl, school);
    const run = async (file: { bytes: Buffer; name: string }, fields: Record<string, string>) => imports.settled((await imports.upload(file, fields, '?run=true')).body.id);
    const rosterIds = async () =>
      ((await call('GET', `/api/v1/courses/${course.body.id}/enrollments?limit=50&consistent=true`, undefined, school)).body.items as Array<{ traineeId: string }>).map((item) => item.traineeId).sort();
    const legacyKeys = () => count("SELECT count(*) AS n FROM training.import_row_keys WHERE organisation_id = $1 AND kind = 'enrolments_and_results' AND trainee_id IS NULL", [schoolId]);

    expect(await run(trainees, { kind: 'trainees' })).toMatchObject({ state: 'done', created: 3 });
    expect(await run(results, { kind: 'enrolments_and_results', courseId: course.body.id })).toMatchObject({ state: 'done', created: 3 });
    const enrolled = await rosterIds();
    expect(enrolled).toHaveLength(3);
    // As an earlier version left them: the keys name no trainee.
    await sql.query("UPDATE training.import_row_keys SET trainee_id = NULL WHERE organisation_id = $1 AND kind = 'enrolments_and_results'", [schoolId]);
    expect(await legacyKeys()).toBe(3);

    const erased = (await call('GET', `/api/v1/trainees?q=${encodeURIComponent(people[0].name)}`, undefined, school)).body.items[0].id as string;
    expect((await call('DELETE', `/api/v1/trainees/${erased}/personal-data`)).status).toBe(204);
    // The erased person's key goes; the other two people's stay.
    expect(await legacyKeys()).toBe(2);

    // Registered again (a new id) by the same trainees file, and enrolled anew by the same results file.
    expect(await run(trainees, { kind: 'trainees' })).toMatchObject({ state: 'done', created: 1, alreadyPresent: 2 });
    const again = (await call('GET', `/api/v1/trainees?q=${encodeURIComponent(people[0].name)}`, undefined, school)).body.items.map((item: { id: string }) => item.id).filter((id: string) => id !== erased);
    expect(again).toHaveLength(1);
    expect(await run(results, { kind: 'enrolments_and_results', courseId: course.body.id })).toMatchObject({ state: 'done', created: 1, alreadyPresent: 2 });
    expect(await rosterIds()).toEqual([...enrolled, again[0]].sort());
  }, 120_000);

  it('are forgotten by the erasure the ledger makes again at start (a backup taken before it restored), the rows it names read before they are forgotten', async () => {
    const person = { name: '台账升级', idNumber: testAdultIdentityNumber(183_101) };
    const course = await call('POST', '/api/v1/courses', { providerId: schoolId, title: '焊工（台账）', occupationCode: '6-18-02-04', kind: 'skill', capacity: 50, startDate: '2021-03-01', endDate: '2021-05-31' }, school);
    expect(course.status).toBe(201);
    const traineeId = (await call('POST', '/api/v1/trainees', { ...person, phone: '13800000000' }, school)).body.id as string;
    const imports = importClient(host.baseUrl, school);
    const results = csv([['姓名', '身份证号', '报名日期', '是否合格', '成绩', '考核日期'], [person.name, person.idNumber, '2021-03-01', '合格', '80', '2021-05-30']]);
    const job = (await imports.upload(results, { kind: 'enrolments_and_results', courseId: course.body.id }, '?run=true')).body.id as string;
    expect(await imports.settled(job)).toMatchObject({ state: 'done', created: 1 });
    await sql.query('UPDATE training.import_row_keys SET trainee_id = NULL WHERE trainee_id = $1', [traineeId]);
    const naturalKey = (await sql.query<{ natural_key: string }>('SELECT natural_key FROM trainee.import_job_rows WHERE job_id = $1', [job])).rows[0].natural_key;
    const keys = () => count('SELECT count(*) AS n FROM training.import_row_keys WHERE organisation_id = $1 AND natural_key = $2', [schoolId, naturalKey]);
    expect(await keys()).toBe(1);

    // Erased after the backup this data was restored from: the ledger names the erasure and the person's
    // rows; this data holds neither the erasure nor its forgetting.
    await host.close();
    const places = (await sql.query<{ jobId: string; row: number }>('SELECT job_id AS "jobId", row FROM trainee.import_job_rows WHERE trainee_id = $1', [traineeId])).rows;
    new ErasureLedger(erasureLedgerIn(backupDir), systemClock).record([{ traineeId, kind: 'erased', on: businessDateOf(new Date()), importRows: places }]);
    host = await start();
    await waitFor(async () => ((await keys()) === 0 ? true : undefined), { timeoutMs: 10_000, description: "training-service to forget the erased person's key kept without their id" });
  }, 120_000);
});
