// An organisation's import jobs (GET /api/v1/imports), so a job is found again after its page is left: newest
// first, each as GET /api/v1/imports/{id} answers it with the file's name and its uploader, a page at a time,
// by state; to the jobs' own organisation only, as one job is.
import { bearer, createTestDatabase, http, importClient, rowsOf, startTestHost, TestDatabase, TestHost, testAdultIdentityNumber, testIssuer } from '@skills/testing';
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
    const school = bearer(await issuer.token({ role: 'school_staff', organisationId: schoolId, userId: clerkId, username: 'wang.clerk' }));
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
    // Each item is the job's own answer, with the file's name as uploaded (in UTF-8); both name who uploaded
    // it: the user, by id and by their username as the token carried it at upload.
    const single = (await http(host.baseUrl, 'GET', `/api/v1/imports/${first.body.id}`, undefined, school)).body;
    expect(single.uploadedBy).toEqual({ userId: clerkId, role: 'school_staff', username: 'wang.clerk', apiKey: null });
    expect(all.body.items[2]).toEqual({ ...single, fileName: '秋季学员.csv' });
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

  it('names the API key a job was uploaded with, and nobody for a job uploaded before jobs kept it', async () => {
    const schoolId = randomUUID();
    const ownerId = randomUUID();
    const apiKeyId = `sk_${randomUUID().slice(0, 8)}`;
    // A key's token: its user (the key's maker) as its subject, via apiKey, and the key in client_id.
    const key = bearer(await issuer.token({ role: 'school_staff', organisationId: schoolId, userId: ownerId, username: 'li.admin', via: 'apiKey', apiKeyId }));
    const imports = importClient(host.baseUrl, key);
    const job = await imports.upload({ bytes: csv([HEADER, ['学员三', testAdultIdentityNumber(263_010), '1390000']]), name: 'key.csv' }, { kind: 'trainees' });
    await imports.settled(job.body.id);
    const keyUpload = { userId: ownerId, role: 'school_staff', username: null, apiKey: { clientId: apiKeyId } };
    expect((await http(host.baseUrl, 'GET', `/api/v1/imports/${job.body.id}`, undefined, key)).body.uploadedBy).toEqual(keyUpload);
    expect((await list(key)).body.items).toMatchObject([{ id: job.body.id, uploadedBy: keyUpload }]);

    // A job of before jobs kept their uploader's name: its user and role as kept, no username nor key.
    await rowsOf(database.url, 'UPDATE trainee.import_jobs SET uploaded_by = NULL WHERE job_id = $1', [job.body.id]);
    const older = { userId: ownerId, role: 'school_staff', username: null, apiKey: null };
    expect((await http(host.baseUrl, 'GET', `/api/v1/imports/${job.body.id}`, undefined, key)).body.uploadedBy).toEqual(older);
    expect((await list(key)).body.items[0].uploadedBy).toEqual(older);
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
