// POST /api/v1/imports/{id}/run and the consent to leave refused rows out (api.md, Imports): a job keeps
// skipRefused=true once given (import_jobs.skip_refused), with the upload or an earlier run, so a later
// run need not give it again; without it ever given, refused rows stop the run (409 refused_rows).
import { bearer, createTestDatabase, importClient, startTestHost, TestDatabase, TestHost, testAdultIdentityNumber, testIssuer } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { TraineeModule } from '../../trainee.module';

const csv = (rows: string[][]) => Buffer.from(rows.map((row) => row.join(',')).join('\r\n') + '\r\n');
/** Two good rows from the n-th test identity number on, and one refused (a phone of 7 digits). */
const fileWithARefusedRow = (from: number) => ({
  bytes: csv([
    ['姓名', '身份证号', '手机号'],
    ['同意一', testAdultIdentityNumber(from), '13900000000'],
    ['同意二', testAdultIdentityNumber(from + 1), '13900000001'],
    ['坏行', testAdultIdentityNumber(from + 2), '1390000'],
  ]),
  name: 'trainees.csv',
});

describe('imports: the consent to skip refused rows is the job’s, given now or before', () => {
  let database: TestDatabase;
  let host: TestHost;
  let imports: ReturnType<typeof importClient>;

  beforeAll(async () => {
    const issuer = await testIssuer();
    database = await createTestDatabase();
    host = await startTestHost({ modules: [TraineeModule], transport: 'in-process', databaseUrl: database.url });
    imports = importClient(host.baseUrl, bearer(await issuer.token({ role: 'school_staff', organisationId: randomUUID() })));
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  it('refuses the run of a job with refused rows while skipRefused=true was never given (409 refused_rows), and runs it once given', async () => {
    const job = await imports.upload(fileWithARefusedRow(260_000), { kind: 'trainees' });
    expect(await imports.settled(job.body.id)).toMatchObject({ state: 'ready', total: 3, refused: 1, created: 0 });
    expect(await imports.run(job.body.id)).toMatchObject({ status: 409, body: { rule: 'refused_rows', refused: 1 } });
    expect(await imports.job(job.body.id)).toMatchObject({ state: 'ready', created: 0 });

    expect((await imports.run(job.body.id, '?skipRefused=true')).status).toBe(202);
    expect(await imports.settled(job.body.id)).toMatchObject({ state: 'done', total: 3, done: 3, created: 2, refused: 1 });
  });

  it('keeps the upload’s skipRefused=true without run=true for a later run: the job waits ready, and a run without it leaves the refused rows out', async () => {
    const job = await imports.upload(fileWithARefusedRow(260_010), { kind: 'trainees' }, '?skipRefused=true');
    expect(job.status).toBe(202);
    // Stored, not a run: nothing is written until the run is asked for.
    expect(await imports.settled(job.body.id)).toMatchObject({ state: 'ready', total: 3, refused: 1, created: 0 });

    const run = await imports.run(job.body.id);
    expect({ status: run.status, rule: run.body.rule }).toEqual({ status: 202, rule: undefined });
    expect(await imports.settled(job.body.id)).toMatchObject({ state: 'done', total: 3, done: 3, created: 2, refused: 1 });
  });
});
