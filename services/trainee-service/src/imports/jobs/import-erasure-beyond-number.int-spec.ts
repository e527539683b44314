// What names a person in import jobs beside their identity number: a trainees row refused for a mistyped
// number gives their name and phone, a file is named after them. Their erasure forgets both (a row by a
// phone they had, a file's name by a name they had, in any organisation's jobs), and nothing of anyone else.
import { bearer, createTestDatabase, http, importClient, startTestHost, TestDatabase, TestHost, testAdultIdentityNumber, testIssuer } from '@skills/testing';
import { Database } from '@skills/postgres';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { TraineeModule } from '../../trainee.module';
import { ImportJobUpkeep } from './import-job-upkeep';
import { KEEP_ROWS_DAYS } from './import-runner';

const csv = (rows: string[][]) => Buffer.from(rows.map((row) => row.join(',')).join('\r\n') + '\r\n');
const HEADER = ['姓名', '身份证号', '手机号'];
/** The number with its check character changed: refused at upload (identity number invalid), so no natural key names its person. */
const mistyped = (idNumber: string) => idNumber.slice(0, 17) + (idNumber[17] === '1' ? '2' : '1');

describe('import jobs: an erasure reaches what names the person beside their number', () => {
  let database: TestDatabase;
  let host: TestHost;
  let sql: Client;
  let admin: Record<string, string>;
  let school: Record<string, string>;
  let otherSchool: Record<string, string>;
  const fileNames = async (jobIds: string[]) =>
    (await sql.query<{ file_name: string | null }>('SELECT file_name FROM import_jobs WHERE job_id = ANY($1::uuid[]) ORDER BY array_position($1::uuid[], job_id)', [jobIds])).rows.map((row) => row.file_name);
  const rowsOf = async (jobId: string) =>
    (await sql.query<{ row: number; sealed: boolean; phone_key: boolean; trainee_id: string | null }>('SELECT row, sealed IS NOT NULL AS sealed, phone_key IS NOT NULL AS phone_key, trainee_id FROM import_job_rows WHERE job_id = $1 ORDER BY row', [jobId])).rows;
  /** A job of `as`'s from these rows, left ready (its refused rows stop it). */
  const uploaded = async (as: Record<string, string>, name: string, rows: string[][]) => {
    const imports = importClient(host.baseUrl, as);
    const job = await imports.upload({ bytes: csv([HEADER, ...rows]), name }, { kind: 'trainees' });
    expect(job.status).toBe(202);
    await imports.settled(job.body.id);
    return job.body.id as string;
  };

  beforeAll(async () => {
    const issuer = await testIssuer();
    database = await createTestDatabase();
    host = await startTestHost({ modules: [TraineeModule], transport: 'in-process', databaseUrl: database.url });
    sql = new Client({ connectionString: database.url, options: '-c search_path=trainee' });
    await sql.connect();
    admin = bearer(await issuer.token({ role: 'platform_admin' }));
    school = bearer(await issuer.token({ role: 'school_staff', organisationId: randomUUID() }));
    otherSchool = bearer(await issuer.token({ role: 'school_staff', organisationId: randomUUID() }));
  });

  afterAll(async () => {
    await sql?.end();
    await host?.close();
    await database?.drop();
  });

  it("forgets the rows refused for a mistyped number that give a phone the person had, and unnames the files named after them", async () => {
    const person = { name: '错号甲', idNumber: testAdultIdentityNumber(271_000), phone: '13712340001' };
    const registered = await http(host.baseUrl, 'POST', '/api/v1/trainees', person, admin);
    expect(registered.status).toBe(201);
    // Corrected since: the registration's phone and the correction's both name them.
    expect((await http(host.baseUrl, 'PATCH', `/api/v1/trainees/${registered.body.id}`, { phone: '13712340002' }, admin)).status).toBe(200);

    const misnumbered = await uploaded(school, '错号甲_报名.csv', [
      [person.name, mistyped(person.idNumber), person.phone], // row 2: their name, phone and number with its last digit wrong
      ['错号', mistyped(testAdultIdentityNumber(271_001)), '+86 137 1234 0002'], // row 3: the corrected phone, written otherwise
      ['别人', mistyped(testAdultIdentityNumber(271_002)), '13712349999'], // row 4: someone else's mistyped row
      ['同号', testAdultIdentityNumber(271_003), person.phone], // row 5: a valid number's person, who gave the same phone (a family's)
    ]);
    const imports = importClient(host.baseUrl, school);
    expect(await imports.job(misnumbered)).toMatchObject({ state: 'ready', total: 4, refused: 3 });
    expect((await imports.errors(misnumbered)).text).toContain(person.name);
    // Another organisation's jobs: one named after the person (spaced) holding a row of theirs, one named so
    // holding none (another person of that name, or a place: kept), and one not named after them.
    const named = await uploaded(otherSchool, '春季 错号 甲 名单.csv', [['错号甲', mistyped(testAdultIdentityNumber(271_004)), person.phone]]);
    const namesake = await uploaded(otherSchool, '秋季错号甲名单.csv', [['别人', mistyped(testAdultIdentityNumber(271_006)), '13712349996']]);
    const unnamed = await uploaded(otherSchool, '春季名单.csv', [['别人', mistyped(testAdultIdentityNumber(271_005)), '13712349997']]);

    expect((await http(host.baseUrl, 'DELETE', `/api/v1/trainees/${registered.body.id}/personal-data`, undefined, admin)).status).toBe(204);

    const errors = (await imports.errors(misnumbered)).text;
    for (const secret of [person.name, mistyped(person.idNumber), person.phone, '错号', '13712340002', '1234 0002']) expect(errors).not.toContain(secret);
    // The rows stay, without their cells; the other person's keeps its own.
    expect(errors).toMatch(/^2,.*idNumber/m);
    expect(errors).toMatch(/^3,.*idNumber/m);
    expect(errors).toMatch(/^4,别人,.*13712349999/m);
    expect(await rowsOf(misnumbered)).toEqual([
      { row: 2, sealed: false, phone_key: false, trainee_id: registered.body.id },
      { row: 3, sealed: false, phone_key: false, trainee_id: registered.body.id },
      { row: 4, sealed: true, phone_key: true, trainee_id: null },
      { row: 5, sealed: true, phone_key: false, trainee_id: null },
    ]);
    // Row 5 is still to be run, not refused for the erasure.
    expect(await imports.job(misnumbered)).toMatchObject({ state: 'ready', total: 4, refused: 3 });
    expect(await fileNames([misnumbered, named, namesake, unnamed])).toEqual([null, null, '秋季错号甲名单.csv', '春季名单.csv']);
  }, 60_000);

  it("a void's call forgets the voided registration's rows by its phones and the files named after it", async () => {
    const voided = randomUUID();
    const job = await uploaded(school, 'Wang Wu 报名.csv', [
      ['Wang Wu', mistyped(testAdultIdentityNumber(272_000)), '13712350001'],
      ['别人', mistyped(testAdultIdentityNumber(272_001)), '13712350002'],
    ]);
    const other = await uploaded(school, 'Wang Liu.csv', [['别人', mistyped(testAdultIdentityNumber(272_002)), '13712350003']]);
    const namesake = await uploaded(school, 'Wang Wu 2.csv', [['别人', mistyped(testAdultIdentityNumber(272_003)), '13712350004']]);

    await host.app.get(Database).transaction((tx) => host.app.get(ImportJobUpkeep).forgetRowsAndFileNamesNaming(tx, voided, { names: ['wang wu'], phones: ['13712350001'] }));

    expect(await rowsOf(job)).toEqual([
      { row: 2, sealed: false, phone_key: false, trainee_id: voided },
      { row: 3, sealed: true, phone_key: true, trainee_id: null },
    ]);
    expect(await fileNames([job, other, namesake])).toEqual([null, 'Wang Liu.csv', 'Wang Wu 2.csv']);
  }, 60_000);

  it(`keeps a row's phone hash no longer than its cells: ${KEEP_ROWS_DAYS} days after its job`, async () => {
    const job = await uploaded(school, 'old.csv', [['别人', mistyped(testAdultIdentityNumber(273_000)), '13712360001']]);
    expect(await rowsOf(job)).toEqual([{ row: 2, sealed: true, phone_key: true, trainee_id: null }]);
    await sql.query("UPDATE import_jobs SET progressed_at = now() - interval '31 days' WHERE job_id = $1", [job]);
    await host.app.get(ImportJobUpkeep).forgetOldRows(KEEP_ROWS_DAYS);
    expect(await rowsOf(job)).toEqual([{ row: 2, sealed: false, phone_key: false, trainee_id: null }]);
  }, 60_000);
});
