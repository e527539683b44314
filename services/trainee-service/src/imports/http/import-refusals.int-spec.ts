// Why rows were refused, for a screen to say in its reader's language (GET /api/v1/imports/{id}/errors with
// Accept: application/json): each refused row's number, field, rule and detail, without its cells, the
// first 200 and the total; to the job's organisation only, as the CSV. And the template's own example row,
// uploaded unchanged, is refused (example_row) in every kind rather than registering or matching a made-up person.
import { bearer, createTestDatabase, http, importClient, startTestHost, TestDatabase, TestHost, testAdultIdentityNumber, testIssuer } from '@skills/testing';
import { IMPORT_KINDS } from '@skills/contracts';
import { randomUUID } from 'node:crypto';
import { TraineeModule } from '../../trainee.module';

const csv = (rows: string[][]) => Buffer.from(rows.map((row) => row.join(',')).join('\r\n') + '\r\n');

describe('imports: the refused rows’ reasons as JSON, and the template’s example row refused', () => {
  let database: TestDatabase;
  let host: TestHost;
  let issuer: Awaited<ReturnType<typeof testIssuer>>;
  let school: Record<string, string>;
  const reasons = (id: string, as: Record<string, string>) => http(host.baseUrl, 'GET', `/api/v1/imports/${id}/errors`, undefined, { ...as, accept: 'application/json' });

  beforeAll(async () => {
    issuer = await testIssuer();
    database = await createTestDatabase();
    host = await startTestHost({ modules: [TraineeModule], transport: 'in-process', databaseUrl: database.url });
    school = bearer(await issuer.token({ role: 'school_staff', organisationId: randomUUID() }));
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  it('answers the first 200 refused rows’ row, field, rule and detail without their cells, and the total; CSV stays the default; only to the job’s organisation', async () => {
    const imports = importClient(host.baseUrl, school);
    // One good row, then 205 with a phone of 7 digits.
    const refused = Array.from({ length: 205 }, (_, n) => [`坏号${n}`, testAdultIdentityNumber(262_100 + n), '1390000']);
    const job = await imports.upload({ bytes: csv([['姓名', '身份证号', '联系电话'], ['好行', testAdultIdentityNumber(262_000), '13900000000'], ...refused]), name: 'trainees.csv' }, { kind: 'trainees' });
    expect(await imports.settled(job.body.id)).toMatchObject({ state: 'ready', total: 206, refused: 205 });

    const answer = await reasons(job.body.id, school);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('application/json');
    expect(answer.body.total).toBe(205);
    expect(answer.body.items).toHaveLength(200);
    expect(answer.body.items[0]).toEqual({ row: 3, field: 'phone', rule: expect.any(String), detail: expect.any(String) });
    expect(answer.body.items.map((item: { row: number }) => item.row)).toEqual(Array.from({ length: 200 }, (_, n) => n + 3));
    // No cells: neither a name nor an identity number of the file.
    expect(JSON.stringify(answer.body)).not.toMatch(/坏号|\d{17}[\dX]/);

    // The CSV as before, for a download (a browser names text/html first), its reason under the file's own header.
    const download = await http(host.baseUrl, 'GET', `/api/v1/imports/${job.body.id}/errors`, undefined, { ...school, accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect(download.headers.get('content-type')).toContain('text/csv');
    const csvRows = (await imports.errors(job.body.id)).text.split(/\r?\n/);
    expect(csvRows[0]).toContain('联系电话');
    expect(csvRows[1]).toMatch(new RegExp(`^3,.*,联系电话 \\(phone\\): ${answer.body.items[0].rule} \\(`));
    expect(csvRows.filter((line) => line !== '')).toHaveLength(206);

    // Another school: no such job; a role that reads no imports: refused.
    const otherSchool = bearer(await issuer.token({ role: 'school_staff', organisationId: randomUUID() }));
    expect((await reasons(job.body.id, otherSchool)).status).toBe(404);
    expect((await reasons(randomUUID(), school)).status).toBe(404);
    const officer = bearer(await issuer.token({ role: 'bureau_officer', organisationId: randomUUID() }));
    expect((await reasons(job.body.id, officer)).status).toBe(403);
  });

  it('refuses a template in a format it does not write, or of no kind, naming the field and the rule', async () => {
    const pdf = await fetch(`${host.baseUrl}/api/v1/imports/templates/trainees?format=pdf`);
    expect(pdf.status).toBe(400);
    expect(JSON.stringify(await pdf.json())).toMatch(/"field":"format".*"rule":"isIn"/);
    const unknown = await fetch(`${host.baseUrl}/api/v1/imports/templates/diplomas?format=xlsx`);
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(await unknown.json())).toMatch(/"field":"kind".*"rule":"isIn"/);
  });

  it.each(IMPORT_KINDS.flatMap((kind) => [[kind, 'csv'] as const, [kind, 'xlsx'] as const]))('refuses the %s template’s example row uploaded unchanged (example_row at the name), in the dry run: as %s', async (kind, format) => {
    const template = await fetch(`${host.baseUrl}/api/v1/imports/templates/${kind}${format === 'xlsx' ? '?format=xlsx' : ''}`);
    expect(template.status).toBe(200);
    expect(template.headers.get('content-disposition')).toBe(`attachment; filename="import-${kind}.${format}"`);
    expect(template.headers.get('content-type')).toMatch(format === 'xlsx' ? /^application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet/ : /^text\/csv/);
    const bytes = Buffer.from(await template.arrayBuffer());
    const role = kind === 'certificates' ? 'evaluator_staff' : 'school_staff';
    const as = bearer(await issuer.token({ role, organisationId: randomUUID() }));
    const imports = importClient(host.baseUrl, as);
    const job = await imports.upload({ bytes, name: `import-${kind}.${format}` }, { kind, ...(kind === 'enrolments_and_results' ? { courseId: randomUUID() } : {}) });
    expect(job.status).toBe(202);
    expect(await imports.settled(job.body.id)).toMatchObject({ state: 'ready', total: 1, refused: 1, tooManyLookups: 0 });
    expect((await reasons(job.body.id, as)).body).toEqual({ items: [{ row: 2, field: 'name', rule: 'example_row', detail: expect.any(String) }], total: 1 });
  });
});
