// An organisation's import jobs (GET /api/v1/imports), so a job is found again after its page is left: newest
// first, each as GET /api/v1/imports/{id} answers it with the file's name and its uploader, a page at a time,
// by state; to the jobs' own organisation only, as one job is.
import { bearer, createTestDatabase, http, importClient, startTestHost, TestDatabase, TestHost, testAdultIdentityNumber, testIssuer } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { TraineeModule } from '../../trainee.module';

const csv = (rows: string[][]) => Buffer.from(rows.map((row) => row.join(',')).join('\r\n') + '\r\n');
const HEADER = ['姓名', '身份证号', '联系电话'];

describe('imports: the list of an organisation’s jobs', () => {
  let database: TestDatabase;
  let host: TestHost;
  let issuer: Awaited<ReturnType<typeof testIssuer>>;
  const list = (as: Record<string, string>, query = '') => http(host.baseUrl, 'GET', `/api/v1/imports${query}`, undefined, as);

  beforeAll(async () => {
    issuer = await testIssuer();
    database = await createTestDatabase();
    host = await startTestHost({ modules: [TraineeModule], transport: 'in-process', databaseUrl: database.url });
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  it('lists each organisation’s own jobs, newest first, by page and by state, as one job answers', async () => {
    const schoolId = randomUUID();
    const otherId = randomUUID();
    const clerkId = randomUUID();
    const school = bearer(await issuer.token({ role: 'school_staff', organisationId: schoolId, userId: clerkId }));
    const other = bearer(await issuer.token({ role: 'school_staff', organisationId: otherId }));
    const imports = importClient(host.baseUrl, school);
    // A file with a refused row stays ready (待导入); a good one run at once is done.
    const refusedFile = (n: number) => csv([HEADER, [`学员${n}`, testAdultIdentityNumber(263_000 + n), '1390000']]);
    const first = await imports.upload({ bytes: refusedFile(1), name: '秋季学员.csv' }, { kind: 'trainees' });
    await imports.settled(first.body.id);
    const second = await imports.upload({ bytes: csv([HEADER, ['学员二', testAdultIdentityNumber(263_002), '13900000002']]), name: 'done.csv' }, { kind: 'trainees' }, '?run=true');
    await imports.settled(second.body.id);
    const third = await imports.upload({ bytes: refusedFile(3), name: 'third.csv' }, { kind: 'trainees' });
    await imports.settled(third.body.id);
    const theirs = await importClient(host.baseUrl, other).upload({ bytes: refusedFile(4), name: 'theirs.csv' }, { kind: 'trainees' });
    await importClient(host.baseUrl, other).settled(theirs.body.id);

    const all = await list(school);
    expect(all.status).toBe(200);
    expect(all.body.items.map((item: { id: string }) => item.id)).toEqual([third.body.id, second.body.id, first.body.id]);
    expect(all.body.nextCursor).toBeNull();
    // Each item is the job's own answer, with the file's name as uploaded (in UTF-8) and who uploaded it.
    const single = (await http(host.baseUrl, 'GET', `/api/v1/imports/${first.body.id}`, undefined, school)).body;
    expect(all.body.items[2]).toEqual({ ...single, fileName: '秋季学员.csv', uploadedBy: { userId: clerkId, role: 'school_staff' } });
    expect(all.body.items.map((item: { state: string }) => item.state)).toEqual(['ready', 'done', 'ready']);

    // A page at a time: the cursor continues after the page's last job.
    const page = await list(school, '?limit=2');
    expect(page.body.items.map((item: { id: string }) => item.id)).toEqual([third.body.id, second.body.id]);
    const rest = await list(school, `?limit=2&cursor=${page.body.nextCursor}`);
    expect(rest.body).toMatchObject({ items: [{ id: first.body.id }], nextCursor: null });

    // The ready jobs only: the ones left to run.
    const ready = await list(school, '?state=ready');
    expect(ready.body.items.map((item: { id: string }) => item.id)).toEqual([third.body.id, first.body.id]);

    // The other school sees its own job only; naming another organisation is refused, naming its own is the default.
    expect((await list(other)).body.items.map((item: { id: string }) => item.id)).toEqual([theirs.body.id]);
    expect((await list(other, `?organisationId=${schoolId}`)).status).toBe(403);
    expect((await list(school, `?organisationId=${schoolId}`)).body.items).toHaveLength(3);
    // An organisation with no jobs: an empty list.
    const newcomer = bearer(await issuer.token({ role: 'school_staff', organisationId: randomUUID() }));
    expect((await list(newcomer)).body).toEqual({ items: [], nextCursor: null });
  });

  it('refuses a cursor that is no nextCursor, an unknown state or parameter (400), and a role that reads no imports (403)', async () => {
    const school = bearer(await issuer.token({ role: 'school_staff', organisationId: randomUUID() }));
    expect((await list(school, '?cursor=not-a-cursor')).status).toBe(400);
    expect((await list(school, `?cursor=${Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url')}`)).status).toBe(400);
    expect((await list(school, '?state=lost')).status).toBe(400);
    expect((await list(school, '?kind=trainees')).status).toBe(400);
    expect((await list(school, '?limit=101')).status).toBe(400);
    const officer = bearer(await issuer.token({ role: 'bureau_officer', organisationId: randomUUID() }));
    expect((await list(officer)).status).toBe(403);
    expect((await http(host.baseUrl, 'GET', '/api/v1/imports', undefined, {})).status).toBe(401);
  });
});
