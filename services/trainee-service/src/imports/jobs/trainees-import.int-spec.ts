// A school's `trainees` import as trainee-service applies a batch (applyImportBatch with
// TraineesImportApplier), on trainee-service alone and a real Postgres: two jobs of the same file at once
// register each person once, and the second finds them already present (not their numbers taken).
import { ImportRowsAnsweredV1, ImportRowsSubmittedV1, ImportRowSubmitted } from '@skills/contracts';
import { Transactions } from '@skills/postgres';
import { applyImportBatch, runWithCorrelation } from '@skills/service-runtime';
import { ServiceSpec, startServiceSpec, testAdultIdentityNumber } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { TraineeModule } from '../../trainee.module';
import { traineesRowKey } from './prepare-rows';
import { TraineesImportApplier } from './trainees-import.applier';

describe('trainees import: a batch as trainee-service applies it', () => {
  let service: ServiceSpec;
  let sql: Client;
  const school = randomUUID();

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [TraineeModule], service: 'trainee' });
    sql = new Client({ connectionString: service.database.url, options: '-c search_path=trainee' });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await service?.close();
  });

  /** A row of the school's file as its job submits it: natural key the person's, key the person's and cells. */
  const row = (at: number, idNumber: string, name: string): ImportRowSubmitted => {
    const fields = { name, idNumber, phone: '13800000000', regionCode: '430202' };
    const naturalKey = traineesRowKey(school, idNumber);
    return { row: at, naturalKey, key: `${naturalKey}|${JSON.stringify(fields)}`, traineeId: null, fields };
  };
  let nextBatch = 1;
  const batchOf = (rows: ImportRowSubmitted[]): ImportRowsSubmittedV1 => ({
    jobId: randomUUID(),
    batch: nextBatch++,
    mode: 'apply',
    kind: 'trainees',
    organisationId: school,
    courseId: null,
    startedBy: { userId: randomUUID(), role: 'school_staff' },
    rows,
  });
  const applied = (batch: ImportRowsSubmittedV1): Promise<ImportRowsAnsweredV1> =>
    runWithCorrelation(randomUUID(), () => applyImportBatch(service.host.app.get(Transactions), batch, service.host.app.get(TraineesImportApplier), async () => undefined));
  const count = async (query: string) => Number((await sql.query<{ n: string }>(query)).rows[0].n);

  it('takes two jobs of the same file at once: one registers each person, the other finds every row already present', async () => {
    const rows = [row(2, testAdultIdentityNumber(7001), '张三'), row(3, testAdultIdentityNumber(7002), '李四'), row(4, testAdultIdentityNumber(7003), '王五')];
    const answers = await Promise.all([applied(batchOf(rows)), applied(batchOf(rows))]);

    expect(answers.map((answer) => answer.outcomes.map((outcome) => outcome.outcome).join()).sort()).toEqual(['already_present,already_present,already_present', 'created,created,created']);
    expect(await count("SELECT count(*) AS n FROM events WHERE event_type = 'TraineeRegistered'")).toBe(3);
    expect(await count('SELECT count(*) AS n FROM identity_claims')).toBe(3);
    expect(await count('SELECT count(*) AS n FROM import_row_keys')).toBe(3);
  });
});
