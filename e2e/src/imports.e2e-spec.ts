// Bulk imports (api.md, Imports) end to end on one host: real files made here (a GBK CSV, an .xlsx),
// the dry run, refused rows, skipRefused, the same file again, the error file; results for a course
// (applied by training-service over the bus) and historical certificates (by certification-service).
import { CertificationModule } from '@skills/certification-service';
import { identityCheckCharacter } from '@skills/domain-kernel';
import { bearer, createTestDatabase, http, importClient, startTestHost, TestDatabase, TestHost, testAdultIdentityNumber, testCreditCode, testIssuer } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { TrainingModule } from '@skills/training-service';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { Client } from 'pg';

const withCheck = (first17: string) => first17 + identityCheckCharacter(first17);
const csv = (rows: string[][]) => rows.map((row) => row.join(',')).join('\r\n') + '\r\n';
const gbk = (text: string) => ({ bytes: iconv.encode(text, 'gb18030'), name: '学员名单.csv' });

describe('imports: files people have, judged before anything is written, safe to repeat', () => {
  let database: TestDatabase;
  let host: TestHost;
  let admin: Record<string, string>;
  let school: Record<string, string>;
  let schoolId: string;
  let issuer: Awaited<ReturnType<typeof testIssuer>>;
  const call = (method: string, path: string, body?: unknown, headers = admin) => http(host.baseUrl, method, path, body, headers);

  beforeAll(async () => {
    issuer = await testIssuer();
    admin = bearer(await issuer.token({ role: 'platform_admin' }));
    database = await createTestDatabase();
    host = await startTestHost({ modules: [TraineeModule, TrainingModule, CertificationModule], transport: 'in-process', databaseUrl: database.url });
    const provider = await call('POST', '/api/v1/providers', { name: '株洲新希望焊接技术学校', creditCode: testCreditCode(1701), regionCode: '430200' });
    expect(provider.status).toBe(201);
    schoolId = provider.body.id;
    school = bearer(await issuer.token({ role: 'school_staff', organisationId: schoolId }));
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  it('a GBK CSV of 1,000 trainees with 7 bad rows: refused without skipRefused; with it 993 created and 7 refused with their reasons; the same file again creates nothing', async () => {
    const registeredElsewhere = testAdultIdentityNumber(172_000);
    expect((await call('POST', '/api/v1/trainees', { name: '早已登记', idNumber: registeredElsewhere, phone: '13900000000' })).status).toBe(201);
    const rows = Array.from({ length: 1000 }, (_, n) => [`学员${n}`, testAdultIdentityNumber(170_000 + n), `139${String(n).padStart(8, '0')}`, '430200']);
    rows[10][1] = rows[10][1].slice(0, 17) + (rows[10][1][17] === '0' ? '1' : '0'); // wrong check digit
    rows[20][1] = withCheck('43020220990101123'); // born in the future
    rows[30][1] = rows[29][1]; // the same person twice in the file
    rows[40][1] = registeredElsewhere; // registered before, not by this file
    rows[50][2] = '1390000000'; // a 10-digit phone
    rows[60][3] = '990000'; // no such province
    rows[70][0] = ' '; // no name
    rows[80][0] = '王㛃'; // a rare character GBK lacks and GB18030 has
    const file = gbk(csv([['姓名', '身份证号', '手机号', '地区代码'], ...rows]));
    const imports = importClient(host.baseUrl, school);

    const first = await imports.upload(file, { kind: 'trainees' });
    expect(first).toMatchObject({ status: 202, body: { state: 'validating' } });
    const judged = await imports.settled(first.body.id);
    expect(judged).toMatchObject({ state: 'ready', total: 1000, refused: 7, created: 0 });
    expect(await imports.run(first.body.id)).toMatchObject({ status: 409, body: { rule: 'refused_rows' } });
    const registered = (await call('GET', '/api/v1/trainees?limit=5', undefined, school)).body.items;
    expect(registered).toHaveLength(0);

    expect((await imports.run(first.body.id, '?skipRefused=true')).status).toBe(202);
    expect(await imports.settled(first.body.id)).toMatchObject({ state: 'done', total: 1000, done: 1000, created: 993, alreadyPresent: 0, refused: 7 });
    const errors = await imports.errors(first.body.id);
    expect(errors.type).toContain('text/csv');
    const lines = errors.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toContain('姓名');
    const reasons = Object.fromEntries(lines.slice(1).map((line) => [Number(line.split(',')[0]), line]));
    expect(Object.keys(reasons).map(Number)).toEqual([12, 22, 32, 42, 52, 62, 72]);
    // Each reason names the file's own column (its header) and the rule, as the API's 400 and 409 name them.
    expect(reasons[12]).toContain('身份证号 (idNumber): isIdentityNumber (');
    expect(reasons[22]).toContain('身份证号 (idNumber): identity_number_invalid (identity number is invalid: birth_date_in_future)');
    expect(reasons[32]).toContain('身份证号 (idNumber): duplicate_in_file (row 31 of this file');
    expect(reasons[42]).toContain('身份证号 (idNumber): identity_number_registered (');
    expect(reasons[52]).toContain('手机号 (phone): matches (');
    expect(reasons[62]).toContain('地区代码 (regionCode): isRegionCode (');
    expect(reasons[72]).toContain('姓名 (name): blank (');
    const rare = await call('GET', `/api/v1/trainees?q=${encodeURIComponent('王㛃')}`, undefined, school);
    expect(rare.body.items.map((item: { name: string }) => item.name)).toEqual(['王㛃']);

    const again = await imports.upload(file, { kind: 'trainees' }, '?run=true&skipRefused=true');
    expect(await imports.settled(again.body.id)).toMatchObject({ state: 'done', total: 1000, done: 1000, created: 0, alreadyPresent: 993, refused: 7 });
  }, 300_000);

  it('an .xlsx with Chinese headers: an identity number Excel stored as a number is refused with that reason, a date serial is a date, the rest go in', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('学员');
    sheet.addRow(['姓名', '身份证号', '手机号']);
    sheet.addRow(['赵一', testAdultIdentityNumber(171_001), '13700000001']);
    sheet.addRow(['钱二', Number(testAdultIdentityNumber(171_002).slice(0, 17) + '0'), 13700000002]);
    sheet.addRow(['孙三', testAdultIdentityNumber(171_003), 13700000003]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const imports = importClient(host.baseUrl, school);
    const job = await imports.upload({ bytes, name: '名单.xlsx' }, { kind: 'trainees' }, '?run=true&skipRefused=true');
    expect(await imports.settled(job.body.id)).toMatchObject({ state: 'done', total: 3, created: 2, refused: 1 });
    const errors = await imports.errors(job.body.id);
    expect(errors.text).toContain('excel_number_lost_digits');
    expect(errors.text.split(/\r?\n/)[1]).toMatch(/^3,/);
  });

  it('a results file for a course, with a correction row: enrolled once, the later row corrects the result; a corrected file applies only what changed', async () => {
    const course = await call('POST', '/api/v1/courses', { providerId: schoolId, title: '焊工（初级）', occupationCode: '6-18-02-04', kind: 'skill', capacity: 50, startDate: '2021-03-01', endDate: '2021-05-31' }, school);
    expect(course.status).toBe(201);
    const people = [173_001, 173_002, 173_003].map((n, index) => ({ name: `成绩${index}`, idNumber: testAdultIdentityNumber(n) }));
    for (const person of people) expect((await call('POST', '/api/v1/trainees', { ...person, phone: '13800000000' }, school)).status).toBe(201);
    const header = ['姓名', '身份证号', '报名日期', '是否合格', '成绩', '考核日期'];
    const rows = [
      [people[0].name, people[0].idNumber, '2021/3/1', '合格', '88', '2021年5月30日'],
      [people[1].name, people[1].idNumber, '2021-03-01', '不合格', '52', '2021-05-30'],
      [people[1].name, people[1].idNumber, '2021-03-01', '合格', '75', '2021-05-31'], // the correction: a retake
      [people[2].name, people[2].idNumber, '2021-03-02', '', '', ''], // enrolled, no result yet
      ['别人', people[2].idNumber, '2021-03-02', '', '', ''], // a name that is not the number's holder
    ];
    const imports = importClient(host.baseUrl, school);
    const job = await imports.upload(gbk(csv([header, ...rows])), { kind: 'enrolments_and_results', courseId: course.body.id }, '?run=true&skipRefused=true');
    expect(job.status).toBe(202);
    expect(await imports.settled(job.body.id)).toMatchObject({ state: 'done', total: 5, created: 3, corrected: 1, refused: 1 });
    expect((await imports.errors(job.body.id)).text).toMatch(/^6,.*身份证号 \(idNumber\): not_found/m);
    const roster = async () => {
      const answer = await call('GET', `/api/v1/courses/${course.body.id}/enrollments?limit=50&consistent=true`, undefined, school);
      expect(answer.status).toBe(200);
      return answer.body.items as Array<{ traineeId: string; assessment?: { passed: boolean; score: number } | null }>;
    };
    const before = await roster();
    expect(before).toHaveLength(3);
    expect(before.map((item) => item.assessment?.score ?? null).sort()).toEqual([75, 88, null].sort());

    rows[0][4] = '91'; // a corrected score; every other row as before
    const corrected = await imports.upload(gbk(csv([header, ...rows])), { kind: 'enrolments_and_results', courseId: course.body.id }, '?run=true&skipRefused=true');
    expect(await imports.settled(corrected.body.id)).toMatchObject({ state: 'done', created: 0, corrected: 1, alreadyPresent: 3, refused: 1 });
    expect((await roster()).map((item) => item.assessment?.score ?? null).sort()).toEqual([75, 91, null].sort());
  }, 120_000);

  it('a person erased and registered again is enrolled anew by the same results file, not answered already present', async () => {
    const course = await call('POST', '/api/v1/courses', { providerId: schoolId, title: '焊工（中级）', occupationCode: '6-18-02-04', kind: 'skill', capacity: 50, startDate: '2021-03-01', endDate: '2021-05-31' }, school);
    expect(course.status).toBe(201);
    const person = { name: '重登记', idNumber: testAdultIdentityNumber(173_101) };
    const file = gbk(csv([['姓名', '身份证号', '报名日期', '是否合格', '成绩', '考核日期'], [person.name, person.idNumber, '2021-03-01', '合格', '80', '2021-05-30']]));
    const imports = importClient(host.baseUrl, school);
    const rosterIds = async () =>
      ((await call('GET', `/api/v1/courses/${course.body.id}/enrollments?limit=50&consistent=true`, undefined, school)).body.items as Array<{ traineeId: string }>).map((item) => item.traineeId).sort();

    const first = (await call('POST', '/api/v1/trainees', { ...person, phone: '13800000000' }, school)).body.id as string;
    const job = await imports.upload(file, { kind: 'enrolments_and_results', courseId: course.body.id }, '?run=true');
    expect(await imports.settled(job.body.id)).toMatchObject({ state: 'done', created: 1 });
    // training-service's keys of the person's row (keyed hashes of their number and cells) go with the erasure.
    const keysOf = async (traineeId: string) => {
      const sql = new Client({ connectionString: database.url });
      await sql.connect();
      try {
        return Number((await sql.query('SELECT count(*) AS n FROM training.import_row_keys WHERE trainee_id = $1', [traineeId])).rows[0].n);
      } finally {
        await sql.end();
      }
    };
    expect(await keysOf(first)).toBe(1);
    expect((await call('DELETE', `/api/v1/trainees/${first}/personal-data`)).status).toBe(204);
    expect(await keysOf(first)).toBe(0);

    const second = await call('POST', '/api/v1/trainees', { ...person, phone: '13800000000' }, school);
    expect(second.status).toBe(201);
    const again = await imports.upload(file, { kind: 'enrolments_and_results', courseId: course.body.id }, '?run=true');
    expect(await imports.settled(again.body.id)).toMatchObject({ state: 'done', created: 1, alreadyPresent: 0 });
    expect(await rosterIds()).toEqual([first, second.body.id].sort());
    // And the same file once more: the new registration's row is now the one present.
    const third = await imports.upload(file, { kind: 'enrolments_and_results', courseId: course.body.id }, '?run=true');
    expect(await imports.settled(third.body.id)).toMatchObject({ state: 'done', created: 0, alreadyPresent: 1 });
  }, 120_000);

  it('a registration voided is made anew by the row that made it, and a changed row for a number someone else holds since is refused without their id', async () => {
    const imports = importClient(host.baseUrl, school);
    const [mistaken, heldSince] = [testAdultIdentityNumber(173_201), testAdultIdentityNumber(173_202)];
    const rosterOf = (rows: string[][]) => gbk(csv([['姓名', '身份证号', '手机号'], ...rows]));
    const file = rosterOf([['错登记', mistaken, '13800000001'], ['后登记', heldSince, '13800000002']]);
    const imported = await imports.upload(file, { kind: 'trainees' }, '?run=true');
    expect(await imports.settled(imported.body.id)).toMatchObject({ state: 'done', created: 2 });
    const idOf = async (idNumber: string, name: string) => (await call('POST', '/api/v1/trainees/lookup', { idNumber, name })).body.id as string;
    for (const [name, idNumber] of [['错登记', mistaken], ['后登记', heldSince]]) {
      expect((await call('POST', `/api/v1/trainees/${await idOf(idNumber, name)}/void`, { reason: '身份证号录入错误' }, school)).status).toBe(200);
    }
    // The number the school voided is now someone's registered by another school.
    const other = await call('POST', '/api/v1/providers', { name: '株洲职业技术学院', creditCode: testCreditCode(1703), regionCode: '430200' });
    const holder = await call('POST', '/api/v1/trainees', { name: '真持有人', idNumber: heldSince, phone: '13900000002' }, bearer(await issuer.token({ role: 'school_staff', organisationId: other.body.id })));
    expect(holder.status).toBe(201);

    // The same row again registers the person anew; the other, changed, is no correction of the holder's registration.
    const again = await imports.upload(rosterOf([['错登记', mistaken, '13800000001'], ['后登记', heldSince, '13800000009']]), { kind: 'trainees' }, '?run=true&skipRefused=true');
    expect(await imports.settled(again.body.id)).toMatchObject({ state: 'done', created: 1, alreadyPresent: 0, corrected: 0, refused: 1 });
    const errors = await imports.errors(again.body.id);
    expect(errors.text).toContain('identity_number_registered');
    expect(errors.text).not.toContain(holder.body.id);
    expect(await idOf(mistaken, '错登记')).toEqual(expect.any(String));
  }, 120_000);

  it('a changed row that changes what a file does not correct (the category) is refused naming the field, not answered corrected; a changed phone is corrected', async () => {
    const imports = importClient(host.baseUrl, school);
    const person = ['类别变', testAdultIdentityNumber(173_301)];
    const rosterOf = (phone: string, category: string) => gbk(csv([['姓名', '身份证号', '手机号', '人员类别'], [...person, phone, category]]));
    const first = await imports.upload(rosterOf('13800000011', '农民工'), { kind: 'trainees' }, '?run=true');
    expect(await imports.settled(first.body.id)).toMatchObject({ state: 'done', created: 1 });
    const changedCategory = await imports.upload(rosterOf('13800000011', '退役军人'), { kind: 'trainees' }, '?run=true');
    expect(await imports.settled(changedCategory.body.id)).toMatchObject({ state: 'ready', refused: 1, corrected: 0 });
    expect((await imports.errors(changedCategory.body.id)).text).toContain('not_correctable');
    // Refused, its key is not kept: the same row again is refused again, not answered already present.
    const again = await imports.upload(rosterOf('13800000011', '退役军人'), { kind: 'trainees' }, '?run=true&skipRefused=true');
    expect(await imports.settled(again.body.id)).toMatchObject({ state: 'done', refused: 1, alreadyPresent: 0 });
    const changedPhone = await imports.upload(rosterOf('13800000022', '农民工'), { kind: 'trainees' }, '?run=true');
    expect(await imports.settled(changedPhone.body.id)).toMatchObject({ state: 'done', corrected: 1 });
  }, 120_000);

  it("historical certificates: the evaluator's own recorded as issued (an older-format number kept and marked), another evaluator's refused row by row", async () => {
    const evaluatorOf = async (name: string, n: number) => {
      const made = await call('POST', '/api/v1/evaluators', { name, creditCode: testCreditCode(n), kind: 'social_organisation', regionCode: '430200' });
      expect(made.status).toBe(201);
      return { id: made.body.id as string, staff: bearer(await issuer.token({ role: 'evaluator_staff', organisationId: made.body.id })) };
    };
    const [ours, theirs] = [await evaluatorOf('湖南省焊接协会', 1703), await evaluatorOf('湖南省陶瓷协会', 1704)];
    const people = [174_001, 174_002, 174_003, 174_004].map((n, index) => ({ name: `证书${index}`, idNumber: testAdultIdentityNumber(n) }));
    const ids: string[] = [];
    for (const person of people) ids.push((await call('POST', '/api/v1/trainees', { ...person, phone: '13800000000' })).body.id);
    // A number each evaluator issued today gives its prefix (kind, code, province, site, year, grade).
    const issued = async (by: { id: string; staff: Record<string, string> }, traineeId: string) => {
      const certified = await call('POST', '/api/v1/certifications', { traineeId, occupationCode: '6-18-02-04', level: 'junior', route: 'assessment', evaluatorId: by.id, certifiedOn: '2021-06-01' }, by.staff);
      expect(certified.status).toBe(201);
      return (certified.body.certificateNumber as string).slice(0, 16);
    };
    const [ourPrefix, theirPrefix] = [await issued(ours, ids[0]), await issued(theirs, ids[1])];
    const header = ['姓名', '身份证号', '证书编号', '职业编码', '等级', '发证日期'];
    const rows = [
      [people[2].name, people[2].idNumber, `${ourPrefix}900001`, '6-18-02-04', '初级工', '2021-07-01'],
      [people[3].name, people[3].idNumber, `${theirPrefix}900002`, '6-18-02-04', '五级', '2021-07-01'],
      [people[3].name, people[3].idNumber, 'HN-2009-000123', '6-18-02-04', '中级工', '2009-05-20'],
      [people[2].name, people[2].idNumber, 'HN-1975-000009', '6-18-02-04', '初级工', '1975-05-20'], // before the holder was born
    ];
    const imports = importClient(host.baseUrl, ours.staff);
    const job = await imports.upload(gbk(csv([header, ...rows])), { kind: 'certificates' }, '?run=true&skipRefused=true');
    expect(job.status).toBe(202);
    expect(await imports.settled(job.body.id)).toMatchObject({ state: 'done', total: 4, created: 2, refused: 2 });
    const errors = (await imports.errors(job.body.id)).text;
    expect(errors).toMatch(/^3,.*证书编号 \(certificateNumber\): certificate_of_another_evaluator/m);
    expect(errors).toMatch(/^5,.*发证日期 \(certifiedOn\): certified_before_birth/m);
    expect(await call('GET', `/api/v1/certificates/${ourPrefix}900001`, undefined, {})).toMatchObject({ status: 200, body: { status: 'valid', route: 'imported' } });
    expect(await call('GET', '/api/v1/certificates/HN-2009-000123', undefined, {})).toMatchObject({ status: 200, body: { legacyNumber: true, route: 'imported' } });
    expect((await call('GET', `/api/v1/certificates/${theirPrefix}900002`, undefined, {})).status).toBe(404);
    // The other evaluator's job and error file are not ours to read.
    expect((await importClient(host.baseUrl, theirs.staff).errors(job.body.id)).status).toBe(404);
  }, 120_000);

  it("a school cannot import into another school's course (403), nor a kind it may not (certificates)", async () => {
    const other = await call('POST', '/api/v1/providers', { name: '醴陵陶瓷学校', creditCode: testCreditCode(1702), regionCode: '430200' });
    const course = await call('POST', '/api/v1/courses', { providerId: other.body.id, title: '陶瓷', occupationCode: '6-18-02-04', kind: 'skill', capacity: 10, startDate: '2021-03-01', endDate: '2021-05-31' }, bearer(await issuer.token({ role: 'school_staff', organisationId: other.body.id })));
    expect(course.status).toBe(201);
    const imports = importClient(host.baseUrl, school);
    const file = gbk(csv([['姓名', '身份证号', '成绩'], ['赵一', testAdultIdentityNumber(171_001), '90']]));
    expect(await imports.upload(file, { kind: 'enrolments_and_results', courseId: course.body.id })).toMatchObject({ status: 403, body: { permission: 'courses:enrol' } });
    expect((await imports.upload(file, { kind: 'certificates' })).status).toBe(403);
    expect(await imports.upload(file, { kind: 'enrolments_and_results' })).toMatchObject({ status: 400 });
  });

  it('answers what multer refuses as input, naming the file: another field name, two files, a file too large', async () => {
    const send = async (form: FormData) => {
      const response = await fetch(`${host.baseUrl}/api/v1/imports`, { method: 'POST', body: form, headers: school });
      return { status: response.status, body: await response.json() };
    };
    const roster = () => new Blob([Buffer.from('姓名,身份证号,手机号\n')]);
    const misnamed = new FormData();
    misnamed.append('kind', 'trainees');
    misnamed.append('attachment', roster(), '名单.csv');
    expect(await send(misnamed)).toMatchObject({ status: 400, body: { errors: [{ field: 'file', rule: 'invalid_multipart' }] } });
    const twice = new FormData();
    twice.append('kind', 'trainees');
    twice.append('file', roster(), '名单.csv');
    twice.append('file', roster(), '名单2.csv');
    expect(await send(twice)).toMatchObject({ status: 400, body: { errors: [{ field: 'file', rule: 'invalid_multipart' }] } });
    const large = new FormData();
    large.append('kind', 'trainees');
    large.append('file', new Blob([Buffer.alloc(64 * 1024 * 1024 + 1, 0x41)]), '名单.csv');
    expect(await send(large)).toMatchObject({ status: 413, body: { errors: [{ field: 'file', rule: 'max_size' }] } });
  });
});
