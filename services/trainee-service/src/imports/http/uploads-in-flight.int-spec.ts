// One upload at a time per user (imports.controller.ts, InFlightPerUser): reading and checking a file takes a
// core for seconds, so a second upload sent while the first is read is refused at once (429), another user's
// is not, and once the first is answered the same user uploads again.
import { bearer, createTestDatabase, importClient, startTestHost, TestDatabase, TestHost, testAdultIdentityNumber, testIssuer } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { TraineeModule } from '../../trainee.module';

/** Enough rows that reading and checking them takes a while: the second upload arrives while the first is read. */
const ROWS = 5_000;
const roster = (from: number) =>
  Buffer.from(['姓名,身份证号,联系电话', ...Array.from({ length: ROWS }, (_, n) => `学员${n},${testAdultIdentityNumber(from + n)},13900000000`)].join('\r\n') + '\r\n');

describe('imports: one upload at a time per user', () => {
  let database: TestDatabase;
  let host: TestHost;
  let issuer: Awaited<ReturnType<typeof testIssuer>>;

  beforeAll(async () => {
    issuer = await testIssuer();
    database = await createTestDatabase();
    host = await startTestHost({ modules: [TraineeModule], transport: 'in-process', databaseUrl: database.url });
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  it('refuses a second upload of the same user while the first is read, not another user’s, and takes the next once the first is answered', async () => {
    const schoolId = randomUUID();
    const clerk = importClient(host.baseUrl, bearer(await issuer.token({ role: 'school_staff', organisationId: schoolId, userId: randomUUID() })));
    const colleague = importClient(host.baseUrl, bearer(await issuer.token({ role: 'school_staff', organisationId: schoolId, userId: randomUUID() })));
    const file = { bytes: roster(270_000), name: 'roster.csv' };

    const [first, second, theirs] = await Promise.all([
      clerk.upload(file, { kind: 'trainees' }),
      clerk.upload(file, { kind: 'trainees' }),
      colleague.upload(file, { kind: 'trainees' }),
    ]);
    expect([first.status, second.status].sort()).toEqual([202, 429]);
    expect([first, second].find((answer) => answer.status === 429)?.body).toMatchObject({ rule: 'too_many_in_flight', retryAfter: 1 });
    expect(theirs.status).toBe(202);

    // The first answered: its place is free again.
    expect((await clerk.upload(file, { kind: 'trainees' })).status).toBe(202);
  }, 120_000);
});
