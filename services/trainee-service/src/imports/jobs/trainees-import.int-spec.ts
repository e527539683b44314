// A school's `trainees` import as trainee-service applies a batch (applyImportBatch with
// TraineesImportApplier), on trainee-service alone and a real Postgres: two jobs at once end as one after
// the other would: the same file's second finds every person already present (not their numbers taken),
// and a corrected file's changed row corrects the person.
import { ImportRowsAnsweredV1, ImportRowsSubmittedV1, ImportRowSubmitted } from '@skills/contracts';
import { Transactions } from '@skills/postgres';
import { applyImportBatch, runWithCorrelation } from '@skills/service-runtime';
import { overlapping, ServiceSpec, startServiceSpec, testAdultIdentityNumber } from '@skills/testing';
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
  /** Applies a batch as the runner does; its answer is recorded (`finish`, before the commit) after `beforeCommit`. */
  const applied = (batch: ImportRowsSubmittedV1, beforeCommit: () => Promise<void> = async () => undefined): Promise<ImportRowsAnsweredV1> =>
    runWithCorrelation(randomUUID(), () => applyImportBatch(service.host.app.get(Transactions), batch, service.host.app.get(TraineesImportApplier), beforeCommit));
  /** Two batches certainly at once: the first commits only once the second waits on its claims. */
  const atOnce = (first: ImportRowsSubmittedV1, second: ImportRowsSubmittedV1) =>
    overlapping(
      sql,
      (beforeCommit) => applied(first, beforeCommit),
      () => applied(second),
    );
  const count = async (query: string) => Number((await sql.query<{ n: string }>(query)).rows[0].n);

  it('takes two jobs of the same file at once: one registers each person, the other finds every row already present', async () => {
    const rows = [row(2, testAdultIdentityNumber(7001), '张三'), row(3, testAdultIdentityNumber(7002), '李四'), row(4, testAdultIdentityNumber(7003), '王五')];
    const answers = await atOnce(batchOf(rows), batchOf(rows));

    expect(answers.map((answer) => answer.outcomes.map((outcome) => outcome.outcome).join())).toEqual(['created,created,created', 'already_present,already_present,already_present']);
    expect(await count("SELECT count(*) AS n FROM events WHERE event_type = 'TraineeRegistered'")).toBe(3);
    expect(await count('SELECT count(*) AS n FROM identity_claims')).toBe(3);
    expect(await count('SELECT count(*) AS n FROM import_row_keys')).toBe(3);
  });

  it("takes a corrected file while the first still runs as one after the other: the later job's changed row corrects the person", async () => {
    const idNumber = testAdultIdentityNumber(7004);
    const before = { claims: await count('SELECT count(*) AS n FROM identity_claims'), corrections: await count("SELECT count(*) AS n FROM events WHERE event_type = 'TraineeCorrected'") };
    const answers = await atOnce(batchOf([row(2, idNumber, '赵六')]), batchOf([row(2, idNumber, '赵六一')]));

    // The second to commit waited on the first's claim: its row is a correction of the first's, as one after the other.
    expect(answers.map((answer) => answer.outcomes.map(({ outcome }) => outcome).join())).toEqual(['created', 'corrected']);
    expect(await count('SELECT count(*) AS n FROM identity_claims')).toBe(before.claims + 1);
    expect(await count("SELECT count(*) AS n FROM events WHERE event_type = 'TraineeCorrected'")).toBe(before.corrections + 1);
    // The later version is what the school's record holds: that file again is already present; the
    // first file again corrects the person back to its row (A, B, A ends at A).
    expect((await applied(batchOf([row(2, idNumber, '赵六一')]))).outcomes).toEqual([{ row: 2, outcome: 'already_present' }]);
    expect((await applied(batchOf([row(2, idNumber, '赵六')]))).outcomes).toEqual([{ row: 2, outcome: 'corrected' }]);
    expect((await applied(batchOf([row(2, idNumber, '赵六')]))).outcomes).toEqual([{ row: 2, outcome: 'already_present' }]);
    expect(await count("SELECT count(*) AS n FROM events WHERE event_type = 'TraineeCorrected'")).toBe(before.corrections + 2);
  });
});
