// Idempotency-Key on commands, through HTTP against the all-in-one host on a real Postgres: a repeat
// answers the first answer and changes nothing, also when ten repeats arrive at once.
import { businessDateOf, creditCheckCharacter } from '@skills/domain-kernel';
import { keyDigest } from '@skills/service-runtime';
import { bearer, createTestDatabase, http, importClient, startTestHost, TestDatabase, TestHost, testIdentityNumber as identityNumber, testIssuer } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { TrainingModule } from '@skills/training-service';
import { createHash, randomUUID } from 'node:crypto';
import { Client } from 'pg';

describe('Idempotency-Key on commands (all-in-one host, in-process transport)', () => {
  let database: TestDatabase;
  let host: TestHost;
  let sql: Client;
  let providerId: string;
  /** The platform admin registers the provider; its staff register trainees and run its courses. */
  let admin: Record<string, string>;
  let staff: Record<string, string>;
  let issuer: Awaited<ReturnType<typeof testIssuer>>;
  /** As the provider's staff, unless the headers name another caller. */
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => http(host.baseUrl, method, path, body, { ...staff, ...headers });

  beforeAll(async () => {
    issuer = await testIssuer();
    admin = bearer(await issuer.token({ role: 'platform_admin' }));
    database = await createTestDatabase();
    host = await startTestHost({ modules: [TraineeModule, TrainingModule], transport: 'in-process', databaseUrl: database.url, replicaWaitMs: 5000 });
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    const provider = await call('POST', '/api/v1/providers', { name: '株洲新希望焊接培训学校', creditCode: '91430200MA4L00001P', regionCode: '430200' }, admin);
    expect(provider.status).toBe(201);
    providerId = provider.body.id;
    staff = bearer(await issuer.token({ role: 'school_staff', organisationId: providerId }));
  });

  afterAll(async () => {
    await sql?.end();
    await host?.close();
    await database?.drop();
  });

  const withKey = (key: string) => ({ 'Idempotency-Key': key });
  const replayed = (answer: { headers: Headers }) => answer.headers.get('idempotent-replayed');
  const count = async (query: string, values: unknown[] = []) => Number((await sql.query<{ n: string }>(query, values)).rows[0].n);

  const register = (n: number, key?: string) =>
    call('POST', '/api/v1/trainees', { name: `学员${n}`, idNumber: identityNumber(n), phone: '13800000000' }, key ? withKey(key) : {});
  const enrol = (courseId: string, traineeId: string, key?: string) =>
    call('POST', `/api/v1/courses/${courseId}/enrollments`, { traineeId, enrolledOn: '2021-03-02' }, key ? withKey(key) : {});
  const scheduleCourse = async (capacity: number) => {
    const course = await call('POST', '/api/v1/courses', {
      providerId,
      title: '焊工（中级）',
      occupationCode: '6-18-02-04',
      kind: 'skill',
      capacity,
      startDate: '2021-03-01',
      endDate: '2099-05-31',
    });
    expect(course.status).toBe(201);
    return course.body.id as string;
  };
  const enrolled = async (courseId: string) => (await call('GET', `/api/v1/courses/${courseId}`)).body.enrolled as number;

  it('registers once under a key: the repeat answers the same 201 and id, and no second claim or event appears', async () => {
    const key = randomUUID();
    const first = await register(1, key);
    expect(first.status).toBe(201);
    expect(replayed(first)).toBeNull();
    const claims = await count('SELECT count(*) AS n FROM trainee.identity_claims');
    const events = await count('SELECT count(*) AS n FROM trainee.events');

    const again = await register(1, key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('content-type')).toContain('application/json');
    expect(replayed(again)).toBe('true');
    expect(await count('SELECT count(*) AS n FROM trainee.identity_claims')).toBe(claims);
    expect(await count('SELECT count(*) AS n FROM trainee.events')).toBe(events);
    expect(await count('SELECT count(*) AS n FROM trainee.identity_claims WHERE trainee_id = $1', [first.body.id])).toBe(1);

    // Without the key the same registration is a new command, refused as before.
    const unkeyed = await register(1);
    expect(unkeyed).toMatchObject({ status: 409, body: { rule: 'identity_number_registered', existingId: first.body.id } });
    expect(replayed(unkeyed)).toBeNull();
  });

  it('answers 10 concurrent enrolments under one key identically, and enrols once', async () => {
    const courseId = await scheduleCourse(5);
    const trainee = await register(2);
    expect(trainee.status).toBe(201);
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 10 }, () => enrol(courseId, trainee.body.id, key)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((answer) => JSON.stringify(answer.body))).size).toBe(1);
    expect(answers[0].body.enrollmentId).toEqual(expect.any(String));
    // Exactly one ran the command; the other nine replayed its answer.
    expect(answers.filter((answer) => replayed(answer) === 'true')).toHaveLength(9);
    expect(await enrolled(courseId)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM training.events WHERE stream_id LIKE $1 AND event_type = 'TraineeEnrolled'`, [`%${courseId}`])).toBe(1);
  });

  it('accepts exactly 10 of 25 concurrent keyed enrolments into 10 seats, and replays each answer', async () => {
    const courseId = await scheduleCourse(10);
    const trainees = await Promise.all(Array.from({ length: 25 }, (_, n) => register(400 + n)));
    const keys = trainees.map(() => randomUUID());
    const answers = await Promise.all(trainees.map((trainee, n) => enrol(courseId, trainee.body.id, keys[n])));
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(10);
    for (const answer of answers.filter((a) => a.status !== 201)) expect(answer.body).toMatchObject({ status: 409, rule: 'course_full' });
    expect(await enrolled(courseId)).toBe(10);

    const repeats = await Promise.all(trainees.map((trainee, n) => enrol(courseId, trainee.body.id, keys[n])));
    expect(repeats.map((answer) => [answer.status, answer.body])).toEqual(answers.map((answer) => [answer.status, answer.body]));
    expect(repeats.every((answer) => replayed(answer) === 'true')).toBe(true);
    expect(await enrolled(courseId)).toBe(10);
  });

  it('answers 10 concurrent registrations under one key identically, with one claim', async () => {
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 10 }, () => register(3, key)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect(await count('SELECT count(*) AS n FROM trainee.identity_claims WHERE trainee_id = $1', [answers[0].body.id])).toBe(1);
  });

  // More keyed requests than the service's pool has connections (20), each refused on a taken claim: the
  // refusal reads the claim's holder and counts a lookup on the pool, while the request holds its own
  // transaction's connection. Every connection held so, each waited for ever for one more.
  it('answers 50 keyed registrations of a registered number at once, each its own key (409, or 429 past the lookups), and the service answers on', async () => {
    expect((await register(990)).status).toBe(201);
    const clerk = bearer(await issuer.token({ role: 'school_staff', organisationId: providerId, userId: randomUUID() }));
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => call('POST', '/api/v1/trainees', { name: '学员990', idNumber: identityNumber(990), phone: '13800000000' }, { ...clerk, ...withKey(randomUUID()) })),
    );
    expect(answers.map((answer) => answer.body.rule).sort()).toEqual(Array.from({ length: 50 }, () => 'identity_number_registered'));
    expect((await register(991)).status).toBe(201);
  });

  it('answers 422 to a key reused with another body or path, and runs nothing', async () => {
    const key = randomUUID();
    expect((await register(10, key)).status).toBe(201);
    const otherBody = await register(11, key);
    expect(otherBody.status).toBe(422);
    expect(otherBody.headers.get('content-type')).toContain('application/problem+json');
    expect(otherBody.body).toMatchObject({ status: 422, rule: 'idempotency_key_reused', detail: expect.stringContaining('POST /api/v1/trainees') });
    // Same fields in another order are the same request.
    const reordered = await call('POST', '/api/v1/trainees', { phone: '13800000000', idNumber: identityNumber(10), name: '学员10' }, withKey(key));
    expect(reordered.status).toBe(201);
    expect(replayed(reordered)).toBe('true');
    // The refused request did not run: its person is still unregistered.
    expect((await register(11)).status).toBe(201);
  });

  it('fingerprints an upload by its file and fields: another file or kind under the key is 422, the same file replays its job', async () => {
    const imports = importClient(host.baseUrl, { ...staff, ...withKey(randomUUID()) });
    const roster = (n: number) => ({ bytes: Buffer.from(`姓名,身份证号,手机号\n学员${n},${identityNumber(n)},13800000000\n`), name: '名单.csv' });
    const jobs = () => count('SELECT count(*) AS n FROM trainee.import_jobs WHERE organisation_id = $1', [providerId]);
    const before = await jobs();
    const first = await imports.upload(roster(40), { kind: 'trainees' });
    expect(first.status).toBe(202);
    expect(await imports.upload(roster(40), { kind: 'trainees' })).toMatchObject({ status: 202, body: { id: first.body.id } });
    expect(await imports.upload(roster(41), { kind: 'trainees' })).toMatchObject({ status: 422, body: { rule: 'idempotency_key_reused' } });
    expect(await imports.upload(roster(40), { kind: 'certificates' })).toMatchObject({ status: 422, body: { rule: 'idempotency_key_reused' } });
    expect(await jobs()).toBe(before + 1);
  });

  it('refuses a malformed key with 400 naming the header, before running anything', async () => {
    for (const key of ['x'.repeat(201), 'clé', 'tab\there']) {
      const answer = await register(20, key);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    }
    expect((await register(20, 'k'.repeat(200))).status).toBe(201);
  });

  it('keeps a 409 refusal: its repeat answers the same 409 even once the command would pass', async () => {
    const courseId = await scheduleCourse(1);
    const [first, second] = await Promise.all([register(30), register(31)]);
    expect((await enrol(courseId, first.body.id)).status).toBe(201);
    const key = randomUUID();
    const refused = await enrol(courseId, second.body.id, key);
    expect(refused).toMatchObject({ status: 409, body: { rule: 'course_full' } });

    expect((await call('DELETE', `/api/v1/courses/${courseId}/enrollments/${first.body.id}`)).status).toBe(204);
    const again = await enrol(courseId, second.body.id, key);
    expect(again.status).toBe(409);
    expect(again.body).toEqual(refused.body);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(replayed(again)).toBe('true');
    expect(await enrolled(courseId)).toBe(0);
    // A new key is a new command: on the day of the withdrawal (today) the seat is free again.
    const today = businessDateOf(new Date());
    expect((await call('POST', `/api/v1/courses/${courseId}/enrollments`, { traineeId: second.body.id, enrolledOn: today }, withKey(randomUUID()))).status).toBe(201);
  });

  it('keeps no 400 or 404: the same key works once the request is right', async () => {
    const courseId = await scheduleCourse(5);
    const trainee = await register(40);
    const key = randomUUID();
    const invalid = await call('POST', `/api/v1/courses/${courseId}/enrollments`, { traineeId: 'not-a-uuid' }, withKey(key));
    expect(invalid.status).toBe(400);
    const invalidAgain = await call('POST', `/api/v1/courses/${courseId}/enrollments`, { traineeId: 'not-a-uuid' }, withKey(key));
    expect(invalidAgain.status).toBe(400);
    expect(replayed(invalidAgain)).toBeNull();
    const valid = await enrol(courseId, trainee.body.id, key);
    expect(valid.status).toBe(201);
    expect(replayed(valid)).toBeNull();

    const unknownCourse = randomUUID();
    const notFoundKey = randomUUID();
    expect((await enrol(unknownCourse, trainee.body.id, notFoundKey)).status).toBe(404);
    const notFoundAgain = await enrol(unknownCourse, trainee.body.id, notFoundKey);
    expect(notFoundAgain.status).toBe(404);
    expect(replayed(notFoundAgain)).toBeNull();
    expect(await count('SELECT count(*) AS n FROM training.idempotency_keys WHERE key = $1', [keyDigest(notFoundKey)])).toBe(0);
  });

  it('withdraws once under a key (DELETE): the repeat answers 204 again', async () => {
    const courseId = await scheduleCourse(5);
    const trainee = await register(50);
    expect((await enrol(courseId, trainee.body.id)).status).toBe(201);
    const key = randomUUID();
    const path = `/api/v1/courses/${courseId}/enrollments/${trainee.body.id}`;
    const first = await call('DELETE', path, undefined, withKey(key));
    expect(first.status).toBe(204);
    const again = await call('DELETE', path, undefined, withKey(key));
    expect(again.status).toBe(204);
    expect(again.body).toBeUndefined();
    expect(replayed(again)).toBe('true');
    // Without the key the withdrawal runs again and is refused.
    expect(await call('DELETE', path)).toMatchObject({ status: 409, body: { rule: 'not_enrolled' } });
  });

  it('keeps keys per service: one key on two services names two commands', async () => {
    const key = randomUUID();
    expect((await register(60, key)).status).toBe(201);
    const provider = await call('POST', '/api/v1/providers', { name: '湘潭技师学院', creditCode: `91430300MA4L00002${creditCheckCharacter('91430300MA4L00002')}`, regionCode: '430300' }, { ...admin, ...withKey(key) });
    expect(provider.status).toBe(201);
    expect(replayed(provider)).toBeNull();
    expect(await count('SELECT count(*) AS n FROM trainee.idempotency_keys WHERE key = $1', [keyDigest(key)])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM training.idempotency_keys WHERE key = $1', [keyDigest(key)])).toBe(1);
  });

  it('keeps neither the key nor the answer in clear: an answer may carry a secret shown once', async () => {
    const key = randomUUID();
    const first = await register(70, key);
    expect(first.status).toBe(201);
    expect(await count('SELECT count(*) AS n FROM trainee.idempotency_keys WHERE key = $1 OR strpos(body, $2) > 0', [key, first.body.id])).toBe(0);
    expect(await count('SELECT count(*) AS n FROM trainee.idempotency_keys WHERE key = $1 AND sealed', [keyDigest(key)])).toBe(1);
    // Nor a digest of the request to test guesses of a body against: the fingerprint is keyed by the client's key.
    const body = { name: '学员70', idNumber: identityNumber(70), phone: '13800000000' };
    const plain = createHash('sha256').update(`POST /api/v1/trainees\n${JSON.stringify(Object.fromEntries(Object.entries(body).sort()))}`).digest('hex');
    expect(await count('SELECT count(*) AS n FROM trainee.idempotency_keys WHERE key = $1 AND fingerprint <> $2', [keyDigest(key), plain])).toBe(1);
    // The client's key opens it: the repeat answers the first answer.
    const again = await register(70, key);
    expect(again).toMatchObject({ status: 201, body: first.body });
    expect(replayed(again)).toBe('true');
    // A key stored before fingerprints were keyed (the plain digest) still replays its request.
    await sql.query('UPDATE trainee.idempotency_keys SET fingerprint = $2 WHERE key = $1', [keyDigest(key), plain]);
    expect(await register(70, key)).toMatchObject({ status: 201, body: first.body });
  });

  it('documents the header on every command in the OpenAPI document', async () => {
    const document = (await http(host.baseUrl, 'GET', '/api/docs-json')).body;
    expect(document.components.parameters.IdempotencyKey).toMatchObject({ name: 'Idempotency-Key', in: 'header', required: false });
    const reference = { $ref: '#/components/parameters/IdempotencyKey' };
    expect(document.paths['/api/v1/trainees'].post.parameters).toContainEqual(reference);
    expect(document.paths['/api/v1/courses/{id}/enrollments/{traineeId}'].delete.parameters).toContainEqual(reference);
    expect(document.paths['/api/v1/courses/{id}'].get.parameters).not.toContainEqual(reference);
    // A question sent as POST (its body holds a name and an identity number) is no command.
    expect(document.paths['/api/v1/trainees/lookup'].post.parameters ?? []).not.toContainEqual(reference);
  });

  it('keeps nothing of a question sent as POST: a lookup with a key stores no fingerprint of its name and identity number', async () => {
    const registered = await register(71);
    expect(registered.status).toBe(201);
    const before = await count('SELECT count(*) AS n FROM trainee.idempotency_keys');
    const key = randomUUID();
    const lookup = () => call('POST', '/api/v1/trainees/lookup', { idNumber: identityNumber(71), name: `学员${71}` }, withKey(key));
    const first = await lookup();
    const again = await lookup();
    expect(again.status).toBe(first.status);
    expect(replayed(again)).toBeNull();
    expect(await count('SELECT count(*) AS n FROM trainee.idempotency_keys')).toBe(before);
  });

  it('keeps keys per caller: the same key and request from another user runs that user’s own command', async () => {
    const key = `per-caller-${randomUUID()}`;
    const colleague = bearer(await (await testIssuer()).token({ role: 'school_staff', organisationId: providerId, userId: randomUUID() }));
    const course = { providerId, title: '电工（初级）', occupationCode: '6-31-01-03', kind: 'skill', capacity: 5, startDate: '2021-03-01', endDate: '2099-05-31' };
    const first = await call('POST', '/api/v1/courses', course, withKey(key));
    const repeat = await call('POST', '/api/v1/courses', course, withKey(key));
    const other = await call('POST', '/api/v1/courses', course, { ...colleague, ...withKey(key) });
    expect([first.status, repeat.status, other.status]).toEqual([201, 201, 201]);
    expect(repeat.body.id).toBe(first.body.id);
    expect(replayed(repeat)).toBe('true');
    expect(other.body.id).not.toBe(first.body.id);
    expect(replayed(other)).toBeNull();
  });
});
