// Finding trainees (GET /api/v1/trainees): only those the caller may see in full (domain.md section 9,
// by the relations GET /trainees/{id} judges by), newest first, by name or by the last digits of the
// identity number, through a blind index of keyed tokens written with the sealed record; erased, voided
// and renamed people are found by what their record says now, and each one shown is audited.
import { TRAINING_TOPIC } from '@skills/contracts';
import { maskIdentityNumber } from '@skills/domain-kernel';
import {
  auditLines,
  bearer,
  createTestDatabase,
  fact,
  http,
  publishFacts,
  ServiceSpec,
  startServiceSpec,
  startTestHost,
  TestDatabase,
  TestHost,
  testIdentityNumber,
  testIssuer,
  waitFor,
} from '@skills/testing';
import { createHash, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { TraineeModule } from './trainee.module';
import { SearchIndexBackfill } from './trainees/search-trainees/search-index-backfill';
import { searchKeyFingerprint } from './trainees/search-trainees/search-tokens';

/** The audit lines trainee-service sends (identity-service keeps them; here they are only collected). */
const { module: AuditLinesModule, lines: audited } = auditLines();

interface Item {
  id: string;
  name: string;
  idNumberMasked: string;
  birthDate: string;
  gender: string;
  regionCode: string;
  registeredOn: string;
}

describe('finding trainees: those the caller may see in full, by keyed tokens of name and number', () => {
  let service: ServiceSpec;
  let database: Client;
  let admin: Record<string, string>;
  let n = 9100;
  const token = async (user: Parameters<ServiceSpec['issuer']['token']>[0]) => bearer(await service.issuer.token(user));
  const schoolStaff = (organisationId = randomUUID()) => token({ role: 'school_staff', organisationId });
  const register = async (name: string, by: Record<string, string>) => {
    const idNumber = testIdentityNumber(n++);
    const answer = await http(service.host.baseUrl, 'POST', '/api/v1/trainees', { name, idNumber, phone: '13800000000' }, by);
    expect(answer.status).toBe(201);
    return { id: answer.body.id as string, name, idNumber };
  };
  const search = async (as: Record<string, string>, query = '') => {
    const answer = await http(service.host.baseUrl, 'GET', `/api/v1/trainees${query}`, undefined, as);
    expect(answer).toMatchObject({ status: 200 });
    return answer.body as { items: Item[]; nextCursor: string | null };
  };
  const found = async (as: Record<string, string>, q: string) => (await search(as, `?q=${encodeURIComponent(q)}`)).items.map((item) => item.id);
  const indexRows = async (traineeId: string) => (await database.query('SELECT * FROM trainee.trainee_search_index WHERE trainee_id = $1', [traineeId])).rows;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [TraineeModule, AuditLinesModule], service: 'trainee' });
    database = new Client({ connectionString: service.database.url });
    await database.connect();
    admin = await token({ role: 'platform_admin' });
  });

  afterAll(async () => {
    await database?.end();
    await service?.close();
  });

  it('lists a school’s own registrations, newest first, a page at a time, and none of another school’s', async () => {
    const school = await schoolStaff();
    const otherSchool = await schoolStaff();
    const first = await register('王建国', school);
    const second = await register('李秀英', school);
    const third = await register('张伟', school);
    const elsewhere = await register('王建国', otherSchool);

    const firstPage = await search(school, '?limit=2');
    expect(firstPage.items.map((item) => item.id)).toEqual([third.id, second.id]);
    expect(firstPage.nextCursor).toEqual(expect.any(String));
    const lastPage = await search(school, `?limit=2&cursor=${firstPage.nextCursor}`);
    expect(lastPage).toEqual({ items: [expect.objectContaining({ id: first.id })], nextCursor: null });
    expect(lastPage.items[0]).toEqual({
      id: first.id,
      name: '王建国',
      idNumberMasked: maskIdentityNumber(first.idNumber),
      birthDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      gender: expect.stringMatching(/^(male|female)$/),
      regionCode: '430202',
      registeredOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect((await search(otherSchool)).items.map((item) => item.id)).toEqual([elsewhere.id]);
    expect(await found(school, '王建国')).toEqual([first.id]);
  });

  it('finds by the whole name, its beginning and the last 4 or more characters of the number, among the caller’s trainees only', async () => {
    const school = await schoolStaff();
    const jianguo = await register('王建国', school);
    const jianhua = await register('王建华', school);
    const namesake = await register('王建国', await schoolStaff());

    expect(await found(school, '王建国')).toEqual([jianguo.id]);
    expect(await found(school, '王 建 国')).toEqual([jianguo.id]);
    expect(await found(school, '王建')).toEqual([jianhua.id, jianguo.id]);
    expect(await found(school, '建国')).toEqual([]);
    expect(await found(school, jianhua.idNumber.slice(-4))).toEqual([jianhua.id]);
    expect(await found(school, jianhua.idNumber.slice(-6))).toEqual([jianhua.id]);
    expect(await found(school, jianhua.idNumber.slice(-11))).toEqual([jianhua.id]);
    expect(await found(school, jianhua.idNumber)).toEqual([jianhua.id]);
    // The same last 6 characters but not the same last 7: confirmed against the record, not found.
    const lastSeven = jianhua.idNumber.slice(-7);
    expect(await found(school, `${(Number(lastSeven[0]) + 1) % 10}${lastSeven.slice(1)}`)).toEqual([]);
    expect(await found(admin, '王建国')).toEqual(expect.arrayContaining([jianguo.id, namesake.id]));
  });

  it('shows a trainee only themself, and an organisation the trainees its enrolments relate it to', async () => {
    const school = await schoolStaff();
    const own = await register('周晓梅', school);
    const another = await register('周晓兰', school);
    const self = await token({ role: 'trainee', traineeId: own.id });
    expect((await search(self)).items.map((item) => item.id)).toEqual([own.id]);
    expect(await found(self, '周晓')).toEqual([own.id]);
    expect(await found(self, another.idNumber.slice(-4))).toEqual([]);

    const provider = randomUUID();
    const providerStaff = await schoolStaff(provider);
    expect(await found(providerStaff, '周晓')).toEqual([]);
    const course = { title: '焊工', providerId: provider, providerCreditCode: '91430200MA4L000000', occupationCode: '6-18-02-04', occupationEdition: '2022', kind: 'skill' };
    await publishFacts(service.host, [fact(TRAINING_TOPIC, 'TraineeEnrolled', { enrollmentId: randomUUID(), courseId: randomUUID(), traineeId: another.id, enrolledOn: '2021-03-01', course })]);
    expect(await found(providerStaff, '周晓')).toEqual([another.id]);
    expect(await http(service.host.baseUrl, 'GET', '/api/v1/trainees', undefined, await token({ role: 'bureau_officer', organisationId: randomUUID() }))).toMatchObject({
      status: 403,
      body: { permission: 'trainees:read' },
    });
  });

  it('audits each trainee shown as a read of their personal data', async () => {
    const school = await schoolStaff();
    const shown = [await register('孙丽', school), await register('孙强', school)];
    expect(await found(school, '孙丽')).toEqual([shown[0].id]);
    expect((await search(school)).items).toHaveLength(2);
    const readsOf = (traineeId: string) =>
      audited.filter((line) => line.type === 'PersonalDataRead' && (line.payload as { resource: string; action: string }).resource === `trainee-${traineeId}` && (line.payload as { action: string }).action === 'trainees:read');
    await waitFor(() => readsOf(shown[0].id).length === 2 && readsOf(shown[1].id).length === 1, { description: 'an audit line per trainee shown' });
  });

  it('no longer finds nor lists a person whose personal data was erased', async () => {
    const school = await schoolStaff();
    const erased = await register('钱多多', school);
    expect(await found(school, '钱多多')).toEqual([erased.id]);
    const self = await token({ role: 'trainee', traineeId: erased.id });
    expect((await http(service.host.baseUrl, 'DELETE', `/api/v1/trainees/${erased.id}/personal-data`, undefined, self)).status).toBe(204);
    expect(await found(school, '钱多多')).toEqual([]);
    expect(await found(school, erased.idNumber.slice(-4))).toEqual([]);
    expect(await found(admin, erased.idNumber)).toEqual([]);
    expect((await search(school)).items).toEqual([]);
    expect(await indexRows(erased.id)).toEqual([]);
  });

  it('finds a renamed trainee by the new name, no longer by the old one', async () => {
    const school = await schoolStaff();
    const renamed = await register('赵四', school);
    expect((await http(service.host.baseUrl, 'PATCH', `/api/v1/trainees/${renamed.id}`, { name: '钱五' }, school)).status).toBe(200);
    expect(await found(school, '赵四')).toEqual([]);
    expect(await found(school, '钱五')).toEqual([renamed.id]);
    expect(await found(school, renamed.idNumber.slice(-4))).toEqual([renamed.id]);
    expect((await search(school)).items[0]).toMatchObject({ id: renamed.id, name: '钱五' });
  });

  it('forgets a voided registration', async () => {
    const school = await schoolStaff();
    const voided = await register('吴错号', school);
    expect((await http(service.host.baseUrl, 'POST', `/api/v1/trainees/${voided.id}/void`, { reason: 'mistyped identity number' }, school)).status).toBe(200);
    expect(await found(school, '吴错号')).toEqual([]);
    expect(await indexRows(voided.id)).toEqual([]);
  });

  it('keeps no name, no identity digits and no unkeyed hash of them in the index', async () => {
    const person = await register('郑秀文', await schoolStaff());
    const rows = await indexRows(person.id);
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]).sort()).toEqual(['key_fingerprint', 'registered_position', 'tokens', 'trainee_id']);
    // Names the key the tokens were made with, not the key itself.
    expect(rows[0].key_fingerprint).toBe(searchKeyFingerprint());
    expect(rows[0].key_fingerprint).toMatch(/^[0-9a-f]{16}$/);
    const tokens = rows[0].tokens as string[];
    expect(tokens.every((token) => /^[0-9a-f]{64}$/.test(token))).toBe(true);
    const text = JSON.stringify(rows);
    for (const plain of ['郑秀文', '郑秀', person.idNumber, person.idNumber.slice(-6)]) expect(text).not.toContain(plain);
    const plainHashes = ['郑秀文', '郑秀', person.idNumber, person.idNumber.slice(-4), person.idNumber.slice(-6)].flatMap((value) =>
      [value, `name:${value}`, `name-start:${value}`, `id-last4:${value}`, `id-last6:${value}`].map((input) => createHash('sha256').update(input).digest('hex')),
    );
    expect(tokens.filter((token) => plainHashes.includes(token))).toEqual([]);
  });

  it('indexes at start the trainees registered before the index existed, from their sealed records', async () => {
    const school = await schoolStaff();
    const earlier = await register('冯老生', school);
    const erasedEarlier = await register('冯已删', school);
    await database.query('DELETE FROM trainee.trainee_search_index WHERE trainee_id = ANY($1::uuid[])', [[earlier.id, erasedEarlier.id]]);
    expect((await http(service.host.baseUrl, 'DELETE', `/api/v1/trainees/${erasedEarlier.id}/personal-data`, undefined, admin)).status).toBe(204);
    expect(await found(school, '冯老生')).toEqual([]);

    expect(await service.host.app.get(SearchIndexBackfill, { strict: false }).run()).toBe(1);
    expect(await found(school, '冯老生')).toEqual([earlier.id]);
    expect(await found(school, earlier.idNumber.slice(-6))).toEqual([earlier.id]);
    expect(await indexRows(erasedEarlier.id)).toEqual([]);
    expect(await service.host.app.get(SearchIndexBackfill, { strict: false }).run()).toBe(0);
  });

  it('refuses a bad q, limit or cursor with a 400 naming the field', async () => {
    const school = await schoolStaff();
    const refusal = async (query: string) => {
      const answer = await http(service.host.baseUrl, 'GET', `/api/v1/trainees${query}`, undefined, school);
      return { status: answer.status, fields: (answer.body.errors ?? []).map((error: { field: string; rule: string }) => `${error.field}:${error.rule}`) };
    };
    expect(await refusal(`?q=${encodeURIComponent('王')}`)).toEqual({ status: 400, fields: ['q:too_short'] });
    expect(await refusal('?q=123')).toEqual({ status: 400, fields: ['q:too_few_digits'] });
    expect(await refusal('?q=4302021990010112331')).toEqual({ status: 400, fields: ['q:too_many_digits'] });
    expect(await refusal('?q=%20%20')).toMatchObject({ status: 400, fields: [expect.stringMatching(/^q:/)] });
    expect(await refusal('?limit=0')).toMatchObject({ status: 400, fields: [expect.stringMatching(/^limit:/)] });
    expect(await refusal('?limit=101')).toMatchObject({ status: 400, fields: [expect.stringMatching(/^limit:/)] });
    expect(await refusal('?cursor=not-a-cursor')).toMatchObject({ status: 400, fields: [expect.stringMatching(/^cursor:/)] });
    expect(await refusal('?cursor=99999999999999999999')).toMatchObject({ status: 400, fields: [expect.stringMatching(/^cursor:/)] });
  });

  it('answers the same question asked in a body (POST /trainees/search), which keeps the name out of the URL', async () => {
    const school = await schoolStaff();
    const first = await register('周建军', school);
    const second = await register('周建平', school);
    const asked = async (question: Record<string, unknown>) => http(service.host.baseUrl, 'POST', '/api/v1/trainees/search', question, school);

    expect(await asked({ q: '周建军' })).toMatchObject({ status: 200, body: await search(school, `?q=${encodeURIComponent('周建军')}`) });
    expect((await asked({ q: second.idNumber.slice(-6) })).body.items.map((item: Item) => item.id)).toEqual([second.id]);
    const firstPage = await asked({ q: '周建', limit: 1 });
    expect(firstPage.body).toEqual({ items: [expect.objectContaining({ id: second.id, name: '周建平' })], nextCursor: expect.any(String) });
    expect((await asked({ q: '周建', limit: 1, cursor: firstPage.body.nextCursor })).body).toEqual({ items: [expect.objectContaining({ id: first.id })], nextCursor: null });

    const fields = async (question: Record<string, unknown>) => {
      const answer = await asked(question);
      return { status: answer.status, fields: (answer.body.errors ?? []).map((error: { field: string; rule: string }) => `${error.field}:${error.rule}`) };
    };
    expect(await fields({ q: '周' })).toEqual({ status: 400, fields: ['q:too_short'] });
    expect(await fields({ q: '123' })).toEqual({ status: 400, fields: ['q:too_few_digits'] });
    expect(await fields({ limit: 101 })).toMatchObject({ status: 400, fields: [expect.stringMatching(/^limit:/)] });
    expect(await fields({ cursor: 'not-a-cursor' })).toMatchObject({ status: 400, fields: [expect.stringMatching(/^cursor:/)] });
    // `"q": null` is no term, as a null limit or cursor is: every trainee the caller may see, never a 500.
    expect(await asked({ q: null, cursor: null })).toMatchObject({ status: 200, body: await search(school, '') });
    // A question is no command: no Idempotency-Key is asked for, and the same question may be asked again.
    expect((await asked({ q: '周建军' })).status).toBe(200);
  });
});

describe('the search index after IDENTITY_HASH_KEY changed: re-indexed at the next start', () => {
  const keyBefore = process.env.IDENTITY_HASH_KEY;
  let database: TestDatabase;
  let sql: Client;
  let host: TestHost | undefined;
  let school: Record<string, string>;
  /** A start of trainee-service with this key (the host is closed after the test if still running). */
  const start = async (key: string): Promise<TestHost> => {
    process.env.IDENTITY_HASH_KEY = key;
    const started = await startTestHost({ modules: [TraineeModule], transport: 'in-process', databaseUrl: database.url });
    host = started;
    return started;
  };
  const found = async (at: TestHost, q: string) => {
    const answer = await http(at.baseUrl, 'GET', `/api/v1/trainees?q=${encodeURIComponent(q)}`, undefined, school);
    expect(answer.status).toBe(200);
    return (answer.body.items as Item[]).map((item) => item.id);
  };
  const fingerprints = async () =>
    (await sql.query<{ trainee_id: string; key_fingerprint: string }>('SELECT trainee_id, key_fingerprint FROM trainee.trainee_search_index ORDER BY trainee_id')).rows;

  beforeAll(async () => {
    school = bearer(await (await testIssuer()).token({ role: 'school_staff', organisationId: randomUUID() }));
    database = await createTestDatabase();
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  });

  afterAll(async () => {
    if (keyBefore === undefined) delete process.env.IDENTITY_HASH_KEY;
    else process.env.IDENTITY_HASH_KEY = keyBefore;
    await sql?.end();
    await host?.close();
    await database?.drop();
  });

  it('finds the trainees indexed under the old key again, by name and by number, once restarted with the new one', async () => {
    const before = await start('the key the index was written with');
    const oldFingerprint = searchKeyFingerprint();
    const people: { id: string; idNumber: string }[] = [];
    for (const [n, name] of [[9301, '韩梅梅'], [9302, '韩雪']] as const) {
      const idNumber = testIdentityNumber(n);
      const answer = await http(before.baseUrl, 'POST', '/api/v1/trainees', { name, idNumber, phone: '13800000000' }, school);
      expect(answer.status).toBe(201);
      people.push({ id: answer.body.id as string, idNumber });
    }
    expect(await found(before, '韩梅梅')).toEqual([people[0].id]);
    expect((await fingerprints()).map((row) => row.key_fingerprint)).toEqual([oldFingerprint, oldFingerprint]);

    // The key is changed under the running service: its searches hash with the new key, no row answers.
    process.env.IDENTITY_HASH_KEY = 'the key of the next start';
    const newFingerprint = searchKeyFingerprint();
    expect(newFingerprint).not.toBe(oldFingerprint);
    expect(await found(before, '韩梅梅')).toEqual([]);
    expect(await found(before, people[1].idNumber.slice(-4))).toEqual([]);

    await before.close();
    host = undefined;
    const after = await start('the key of the next start');
    await waitFor(async () => (await fingerprints()).every((row) => row.key_fingerprint === newFingerprint), { description: 'every row re-indexed under the new key' });
    expect(await found(after, '韩梅梅')).toEqual([people[0].id]);
    expect(await found(after, '韩梅')).toEqual([people[0].id]);
    expect(await found(after, '韩雪')).toEqual([people[1].id]);
    expect(await found(after, people[1].idNumber.slice(-6))).toEqual([people[1].id]);
    // Nothing left for the next start to do.
    expect(await after.app.get(SearchIndexBackfill, { strict: false }).run()).toBe(0);
  });
});
