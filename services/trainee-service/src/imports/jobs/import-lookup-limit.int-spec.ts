// An import's rows under the lookup limit (domain.md section 9: every lookup of a person by identity
// number is audited and rate-limited): a row that tells what a lookup would (a trainees row whose number
// is registered to someone else, a results or certificates row whose number and name match nobody) is
// one of the uploader's lookups, counted with their lookups proper, across jobs and dry runs never run;
// past the limit no row that needs the registry's answer is answered (too_many_lookups), whatever that
// answer would have been. A school's roster of new trainees, and its own students, go in as ever.
import { auditLines, bearer, http, importClient, ServiceSpec, startServiceSpec, testAdultIdentityNumber, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { TraineeModule } from '../../trainee.module';
import { LOOKUPS_PER_HOUR } from '../../trainees/lookup-trainee/trainee-lookups';

/** The audit lines trainee-service sends (identity-service keeps them; here they are only collected). */
const { module: AuditLinesModule, lines: audited } = auditLines();

const csv = (rows: string[][]) => ({ bytes: Buffer.from(rows.map((row) => row.join(',')).join('\r\n') + '\r\n'), name: 'file.csv' });
const TRAINEES = ['姓名', '身份证号', '手机号'];
const ENROLMENTS = ['姓名', '身份证号', '报名日期', '是否合格', '成绩', '考核日期'];
const CERTIFICATES = ['姓名', '身份证号', '证书编号', '职业编码', '等级', '发证日期'];

type Person = { name: string; idNumber: string };
type Staff = { userId: string; headers: Record<string, string> };

describe('imports under the lookup limit: a row that tells what a lookup would is one, and none is told past the limit', () => {
  let service: ServiceSpec;
  let sql: Client;
  let admin: Record<string, string>;
  let n = 0;
  const base = () => service.host.baseUrl;
  const staff = async (role: 'school_staff' | 'evaluator_staff'): Promise<Staff> => {
    const userId = randomUUID();
    return { userId, headers: bearer(await service.issuer.token({ role, organisationId: randomUUID(), userId })) };
  };
  const unregistered = () => testAdultIdentityNumber(300_000 + n++);
  /** A person registered by `by`: the platform admin relates them to no organisation, a school to itself. */
  const registered = async (name: string, by = admin): Promise<Person> => {
    const person = { name, idNumber: unregistered() };
    expect((await http(base(), 'POST', '/api/v1/trainees', { ...person, phone: '13800000000' }, by)).status).toBe(201);
    return person;
  };
  const lookUp = (as: Staff, person: Person) => http(base(), 'POST', '/api/v1/trainees/lookup', person, as.headers);
  /** `count` lookups of numbers nobody holds, each answered 404. */
  const lookUpNobody = async (as: Staff, count: number) => {
    for (let made = 0; made < count; made++) expect((await lookUp(as, { idNumber: unregistered(), name: '查无此人' })).status).toBe(404);
  };
  const lookupsOf = async (user: Staff) => (await sql.query<{ actor: unknown; trainee_id: string | null }>('SELECT actor, trainee_id FROM trainee_lookups WHERE user_id = $1 ORDER BY id', [user.userId])).rows;
  /** The rule of each row of the job's error file, by its row number. */
  const rulesOf = async (as: Staff, jobId: string) => {
    const lines = (await importClient(base(), as.headers).errors(jobId)).text.replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1);
    return Object.fromEntries(lines.map((line) => [Number(line.split(',')[0]), /身份证号 \(idNumber\): ([a-z_]+)/.exec(line)?.[1] ?? line]));
  };

  beforeAll(async () => {
    // An enrolments file's course unknown to this service is taken after 100 ms (training-service judges it, and is not here).
    service = await startServiceSpec({ modules: [TraineeModule, AuditLinesModule], service: 'trainee', replicaWaitMs: 100 });
    sql = new Client({ connectionString: service.database.url, options: '-c search_path=trainee' });
    await sql.connect();
    admin = bearer(await service.issuer.token({ role: 'platform_admin' }));
  });

  afterAll(async () => {
    await sql?.end();
    await service?.close();
  });

  it('refuses a trainees row whose number is registered too_many_lookups, not identity_number_registered, once its uploader made their lookups of the hour; a new trainee’s row alike, its own student’s as ever', async () => {
    const school = await staff('school_staff');
    const holder = await registered('早登记');
    const student = await registered('本校生', school.headers);
    await lookUpNobody(school, LOOKUPS_PER_HOUR);

    const imports = importClient(base(), school.headers);
    const file = csv([TRAINEES, ['新学员', unregistered(), '13900000000'], [holder.name, holder.idNumber, '13900000001'], [student.name, student.idNumber, '13900000002']]);
    const job = await imports.upload(file, { kind: 'trainees' });
    expect(await imports.settled(job.body.id)).toMatchObject({ state: 'ready', total: 3, refused: 3, tooManyLookups: 2 });
    // Not looked up, new or registered alike; the school's own student is no lookup of anyone's: judged as ever.
    expect(await rulesOf(school, job.body.id)).toEqual({ 2: 'too_many_lookups', 3: 'too_many_lookups', 4: 'identity_number_registered' });
    expect(await lookupsOf(school)).toHaveLength(LOOKUPS_PER_HOUR);
  });

  it('counts each trainees row whose number is registered to someone else with the user’s lookups, across dry runs never run; past the limit the lookup proper is refused too', async () => {
    const school = await staff('school_staff');
    const others = [await registered('甲'), await registered('乙'), await registered('丙')];
    await lookUpNobody(school, LOOKUPS_PER_HOUR - 2);
    const imports = importClient(base(), school.headers);

    const first = await imports.upload(csv([TRAINEES, [others[0].name, others[0].idNumber, '13900000000'], ['新甲', unregistered(), '13900000001']]), { kind: 'trainees' });
    expect(await imports.settled(first.body.id)).toMatchObject({ state: 'ready', refused: 1, tooManyLookups: 0 });
    expect(await rulesOf(school, first.body.id)).toEqual({ 2: 'identity_number_registered' });

    // The user's last lookup goes to the second file's first registered row; no row after it is looked up.
    const second = await imports.upload(
      csv([TRAINEES, ['新乙', unregistered(), '13900000002'], [others[1].name, others[1].idNumber, '13900000003'], ['新丙', unregistered(), '13900000004'], [others[2].name, others[2].idNumber, '13900000005']]),
      { kind: 'trainees' },
    );
    expect(await imports.settled(second.body.id)).toMatchObject({ state: 'ready', total: 4, refused: 3, tooManyLookups: 2 });
    expect(await rulesOf(school, second.body.id)).toEqual({ 3: 'identity_number_registered', 4: 'too_many_lookups', 5: 'too_many_lookups' });
    expect(await lookUp(school, others[0])).toMatchObject({ status: 429, body: { rule: 'too_many_lookups' } });

    // Recorded as lookups: the two registered rows name their holders, as a registration refused so does.
    const lookups = await lookupsOf(school);
    expect(lookups).toHaveLength(LOOKUPS_PER_HOUR);
    expect(lookups.slice(-2)).toEqual([expect.objectContaining({ trainee_id: expect.any(String) }), expect.objectContaining({ trainee_id: expect.any(String) })]);
    expect(lookups.at(-1)).toMatchObject({ actor: { userId: school.userId, role: 'school_staff', via: 'token' } });
  });

  it('takes a school’s roster of 1,000 trainees, most new, as ever: only the rows registered to someone else count, its own student’s does not', async () => {
    const school = await staff('school_staff');
    const elsewhere = [await registered('别校一'), await registered('别校二')];
    const student = await registered('本校生乙', school.headers);
    const roster = Array.from({ length: 1000 }, (_, index) => [`名单${index}`, unregistered(), '13900000000']);
    roster.splice(100, 0, [elsewhere[0].name, elsewhere[0].idNumber, '13900000001']);
    roster.splice(500, 0, [student.name, student.idNumber, '13900000002']);
    roster.splice(900, 0, [elsewhere[1].name, elsewhere[1].idNumber, '13900000003']);

    const imports = importClient(base(), school.headers);
    const job = await imports.upload(csv([TRAINEES, ...roster]), { kind: 'trainees' }, '?run=true&skipRefused=true');
    expect(await imports.settled(job.body.id)).toMatchObject({ state: 'done', total: 1003, created: 1000, refused: 3, tooManyLookups: 0 });
    expect(Object.values(await rulesOf(school, job.body.id))).toEqual(['identity_number_registered', 'identity_number_registered', 'identity_number_registered']);
    expect(await lookupsOf(school)).toHaveLength(2);
  }, 120_000);

  it('counts each enrolments row whose number and name match nobody as a lookup: of 61 guesses at a person’s number, the 61st and the right one are not looked up; the school’s own student is judged all the same', async () => {
    const school = await staff('school_staff');
    const target = await registered('目标人');
    const student = await registered('本校生丙', school.headers);
    const guesses = Array.from({ length: LOOKUPS_PER_HOUR + 1 }, () => unregistered());
    const row = (name: string, idNumber: string) => [name, idNumber, '2021-03-01', '', '', ''];
    const file = csv([ENROLMENTS, ...guesses.map((guess) => row(target.name, guess)), row(target.name, target.idNumber), row(student.name, student.idNumber), row(target.name, guesses[0])]);

    const imports = importClient(base(), school.headers);
    const job = await imports.upload(file, { kind: 'enrolments_and_results', courseId: randomUUID() });
    expect(job.status).toBe(202);
    // The rows a lookup would answer are judged with the upload: the error file has them at once.
    const rules = await rulesOf(school, job.body.id);
    const guessed = Array.from({ length: LOOKUPS_PER_HOUR }, (_, index) => [index + 2, 'not_found']);
    // The 61st guess and the right number: not looked up; the student's row goes on to the dry run; the first guess again is answered as it was.
    expect(rules).toEqual({ ...Object.fromEntries(guessed), 62: 'too_many_lookups', 63: 'too_many_lookups', 65: 'not_found' });
    expect(await imports.job(job.body.id)).toMatchObject({ total: 64, refused: 63, tooManyLookups: 2 });

    // Each counted row recorded and audited as a lookup is: who asked, found nobody, nothing of what was asked.
    const lookups = await lookupsOf(school);
    expect(lookups).toHaveLength(LOOKUPS_PER_HOUR);
    expect(lookups.every((lookup) => lookup.trainee_id === null)).toBe(true);
    const linesOf = () => audited.filter((line) => line.type === 'PersonalDataRead' && (line.payload as { actor: { userId: string } }).actor.userId === school.userId);
    await waitFor(() => linesOf().length === LOOKUPS_PER_HOUR + 1, { description: 'an audit line per counted row, and one for the job' });
    expect(linesOf().map((line) => (line.payload as { action: string; resource: string | null }).resource).sort()).toEqual([...Array(LOOKUPS_PER_HOUR).fill(null), `import-${job.body.id}`].sort());
    const stored = JSON.stringify([lookups, linesOf()]);
    for (const secret of [target.name, target.idNumber, guesses[0]]) expect(stored).not.toContain(secret);
  });

  it('counts a certificates row that matches nobody once per person, however many certificates they have; rows of people matched are not counted', async () => {
    const evaluator = await staff('evaluator_staff');
    const [holder, other] = [await registered('持证人'), await registered('另一人')];
    const stranger = { name: '陌生人', idNumber: unregistered() };
    const certificate = (person: Person, number: string) => [person.name, person.idNumber, number, '6-18-02-04', '初级工', '2015-05-20'];
    const file = csv([
      CERTIFICATES,
      certificate(holder, 'HN-2015-000001'),
      certificate(stranger, 'HN-2015-000002'),
      certificate(holder, 'HN-2015-000003'),
      certificate(stranger, 'HN-2015-000004'),
      certificate(other, 'HN-2015-000005'),
      certificate(stranger, 'HN-2015-000006'),
    ]);
    const imports = importClient(base(), evaluator.headers);
    const job = await imports.upload(file, { kind: 'certificates' });
    expect(job.status).toBe(202);
    expect(await rulesOf(evaluator, job.body.id)).toEqual({ 3: 'not_found', 5: 'not_found', 7: 'not_found' });
    expect(await imports.job(job.body.id)).toMatchObject({ refused: 3, tooManyLookups: 0 });
    expect(await lookupsOf(evaluator)).toEqual([expect.objectContaining({ trainee_id: null })]);
  });

  it('answers a file cut at the limit in full when it is uploaded again an hour later: the rows answered before are not counted again', async () => {
    const evaluator = await staff('evaluator_staff');
    const holder = await registered('迟到的持证人');
    const strangers = Array.from({ length: LOOKUPS_PER_HOUR + 1 }, (_, index) => ({ name: `未登记${index}`, idNumber: unregistered() }));
    const certificate = (person: Person, index: number) => [person.name, person.idNumber, `HN-2016-${String(index).padStart(6, '0')}`, '6-18-02-04', '初级工', '2016-05-20'];
    const file = csv([CERTIFICATES, ...strangers.map(certificate), certificate(holder, 999)]);
    const imports = importClient(base(), evaluator.headers);

    const first = await imports.upload(file, { kind: 'certificates' });
    expect(await imports.job(first.body.id)).toMatchObject({ tooManyLookups: 2 });
    expect(Object.values(await rulesOf(evaluator, first.body.id)).filter((rule) => rule === 'not_found')).toHaveLength(LOOKUPS_PER_HOUR);

    // An hour on.
    await sql.query("UPDATE trainee_lookups SET looked_up_at = looked_up_at - interval '61 minutes' WHERE user_id = $1", [evaluator.userId]);
    const again = await imports.upload(file, { kind: 'certificates' });
    expect(await imports.job(again.body.id)).toMatchObject({ refused: LOOKUPS_PER_HOUR + 1, tooManyLookups: 0 });
    expect(Object.values(await rulesOf(evaluator, again.body.id))).toEqual(Array(LOOKUPS_PER_HOUR + 1).fill('not_found'));
    // One lookup more: the 61st stranger's; the 60 answered before cost nothing.
    expect(await lookupsOf(evaluator)).toHaveLength(LOOKUPS_PER_HOUR + 1);
    // What was asked is kept as a keyed hash: neither a number nor a name, nor the number's claim hash.
    const kept = JSON.stringify((await sql.query('SELECT question FROM trainee_lookups WHERE user_id = $1', [evaluator.userId])).rows);
    for (const secret of [strangers[0].idNumber, strangers[0].name]) expect(kept).not.toContain(secret);
    const claims = (await sql.query<{ identity_hash: string }>('SELECT identity_hash FROM identity_claims')).rows.map((row) => row.identity_hash);
    for (const claim of claims) expect(kept).not.toContain(claim);
  });

  it('counts the same question again for another user, and forgets what was asked of a trainee at their erasure', async () => {
    const [first, second] = [await staff('school_staff'), await staff('school_staff')];
    const elsewhere = await registered('别处登记');
    const file = csv([TRAINEES, [elsewhere.name, elsewhere.idNumber, '13900000000']]);
    for (const school of [first, second]) {
      const job = await importClient(base(), school.headers).upload(file, { kind: 'trainees' });
      expect(await rulesOf(school, job.body.id)).toEqual({ 2: 'identity_number_registered' });
      expect(await lookupsOf(school)).toHaveLength(1);
    }
    const questionsOf = async () =>
      (await sql.query('SELECT question FROM trainee_lookups WHERE user_id = ANY($1) AND question IS NOT NULL', [[first.userId, second.userId]])).rows;
    expect(await questionsOf()).toHaveLength(2);
    const [{ trainee_id: holder }] = await lookupsOf(first);
    expect((await http(base(), 'DELETE', `/api/v1/trainees/${holder}/personal-data`, undefined, admin)).status).toBe(204);
    expect(await questionsOf()).toEqual([]);
    // The lookups themselves stay, counted.
    expect(await lookupsOf(first)).toHaveLength(1);
  });
});
