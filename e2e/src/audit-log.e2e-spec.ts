// The audit log (api.md Identity and access, domain.md section 9): every user's accepted command and
// every read of a trainee's full personal data, in every service, reaches identity-service's log through
// the services' outboxes; a platform admin reads all of it, an organisation's administrator only its
// organisation's, nobody else any. The log holds ids and action names, never personal data.
import { CertificationModule } from '@skills/certification-service';
import { IdentityModule } from '@skills/identity-service';
import { adminToken, bearer, createTestDatabase, http, importClient, signInAs, startTestHost, TestDatabase, TestHost, testCreditCode, testIdentityNumber, waitFor } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { TrainingModule } from '@skills/training-service';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

interface Entry {
  id: string;
  kind: string;
  at: string;
  actor: { userId: string | null; role: string | null; organisationId: string | null; via: string };
  action: string;
  service: string;
  resource: string | null;
  organisationId: string | null;
  correlationId: string;
}

const PERSON = { name: '赵审计', idNumber: testIdentityNumber(9301), phone: '13912345678' };

describe('the audit log', () => {
  let database: TestDatabase;
  let host: TestHost;
  let admin: string;
  let provider: string;
  let clerk: { token: string; userId: string };
  let schoolAdmin: { token: string; userId: string };
  let employer: { token: string; userId: string };
  let employerOrganisation: string;
  let traineeId: string;
  let courseId: string;
  let started: string;
  let finished: string;

  const audit = async (token: string, query = '') => http(host.baseUrl, 'GET', `/api/v1/audit${query}`, undefined, bearer(token));
  const entries = async (token: string, query = ''): Promise<Entry[]> => {
    const answer = await audit(token, query);
    expect(answer.status).toBe(200);
    return answer.body.items;
  };
  const ok = async (token: string, method: string, path: string, body?: unknown) => {
    const answer = await http(host.baseUrl, method, path, body, bearer(token));
    if (answer.status >= 300) throw new Error(`${method} ${path} answered ${answer.status}: ${answer.body?.detail}`);
    return answer.body;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: [IdentityModule, TraineeModule, TrainingModule, CertificationModule], transport: 'in-process', databaseUrl: database.url });
    admin = await adminToken(host.baseUrl);
    provider = (await ok(admin, 'POST', '/api/v1/providers', { name: '株洲审计焊接培训学校', creditCode: testCreditCode(9301), regionCode: '430200' })).id;
    clerk = await signInAs(host.baseUrl, { role: 'school_staff', organisationId: provider });
    schoolAdmin = await signInAs(host.baseUrl, { role: 'school_staff', organisationId: provider, orgAdmin: true });
    employerOrganisation = randomUUID();
    employer = await signInAs(host.baseUrl, { role: 'employer_staff', organisationId: employerOrganisation });

    started = new Date().toISOString();
    traineeId = (await ok(clerk.token, 'POST', '/api/v1/trainees', PERSON)).id;
    courseId = (
      await ok(clerk.token, 'POST', '/api/v1/courses', { providerId: provider, title: '焊工（初级）', occupationCode: '6-18-02-04', kind: 'skill', capacity: 5, startDate: '2021-03-01', endDate: '2021-05-31' })
    ).id;
    expect((await ok(clerk.token, 'GET', `/api/v1/trainees/${traineeId}`)).name).toBe(PERSON.name);
    expect((await ok(employer.token, 'POST', '/api/v1/trainees/lookup', { idNumber: PERSON.idNumber, name: PERSON.name })).id).toBe(traineeId);
    // A lookup that finds nobody is audited too, naming no resource.
    expect((await http(host.baseUrl, 'POST', '/api/v1/trainees/lookup', { idNumber: testIdentityNumber(9302), name: PERSON.name }, bearer(employer.token))).status).toBe(404);
    finished = new Date().toISOString();
    await waitFor(async () => (await entries(admin, `?actor=${employer.userId}`)).length >= 2 && (await entries(admin, `?actor=${clerk.userId}`)).length >= 3, {
      description: 'the audit lines to reach identity-service',
    });
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  it('shows a platform admin who did or read what, with the actor, the action and the resource', async () => {
    const clerkActor = { userId: clerk.userId, role: 'school_staff', organisationId: provider, via: 'token' };
    const byClerk = await entries(admin, `?actor=${clerk.userId}`);
    expect(byClerk).toEqual([
      expect.objectContaining({ kind: 'PersonalDataRead', action: 'trainees:read', service: 'trainee', resource: `trainee-${traineeId}`, actor: clerkActor, organisationId: provider }),
      expect.objectContaining({ kind: 'CommandAccepted', action: 'ScheduleCourse', service: 'training', resource: `course-${courseId}`, actor: clerkActor, organisationId: provider }),
      expect.objectContaining({ kind: 'CommandAccepted', action: 'RegisterTrainee', service: 'trainee', resource: `trainee-${traineeId}`, actor: clerkActor, organisationId: provider }),
    ]);
    // Newest first, each with its instant and the correlation id of its request.
    expect(byClerk.map((entry) => entry.at)).toEqual([...byClerk.map((entry) => entry.at)].sort().reverse());
    expect(new Set(byClerk.map((entry) => entry.correlationId)).size).toBe(3);

    const employerActor = { userId: employer.userId, role: 'employer_staff', organisationId: employerOrganisation, via: 'token' };
    expect(await entries(admin, `?actor=${employer.userId}`)).toEqual([
      expect.objectContaining({ kind: 'PersonalDataRead', action: 'trainees:lookup', service: 'trainee', resource: null, actor: employerActor, organisationId: employerOrganisation }),
      expect.objectContaining({ kind: 'PersonalDataRead', action: 'trainees:lookup', service: 'trainee', resource: `trainee-${traineeId}`, actor: employerActor, organisationId: employerOrganisation }),
    ]);

    // The admin's own commands, in identity-service and training-service alike; the platform's own work is not audited.
    const all = await entries(admin, '?limit=100');
    expect(all).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'RegisterProvider', service: 'training', actor: expect.objectContaining({ role: 'platform_admin', via: 'token' }), organisationId: null })]));
    expect(all).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'CreateUser', service: 'identity' })]));
    expect(all.filter((entry) => entry.actor.via === 'system')).toEqual([]);
  });

  it('filters by organisation and by a window of days or instants', async () => {
    // The school's: what its users did, and what was done to its resources (the admin creating its two users).
    const school = await entries(admin, `?organisationId=${provider}&limit=100`);
    expect(school.map((entry) => entry.action).sort()).toEqual(['CreateUser', 'CreateUser', 'RegisterTrainee', 'ScheduleCourse', 'trainees:read']);
    expect(school.filter((entry) => entry.action === 'CreateUser').map((entry) => entry.actor.role)).toEqual(['platform_admin', 'platform_admin']);
    expect((await entries(admin, `?organisationId=${employerOrganisation}`)).map((entry) => entry.action)).toEqual(['trainees:lookup', 'trainees:lookup', 'CreateUser']);

    expect(await entries(admin, `?actor=${clerk.userId}&from=${encodeURIComponent(started)}&to=${encodeURIComponent(finished)}`)).toHaveLength(3);
    expect(await entries(admin, `?actor=${clerk.userId}&from=${encodeURIComponent(finished)}`)).toEqual([]);
    expect(await entries(admin, `?actor=${clerk.userId}&to=2000-01-01`)).toEqual([]);
    expect(await entries(admin, `?actor=${clerk.userId}&from=2000-01-01`)).toHaveLength(3);
  });

  it('pages newest first with a cursor', async () => {
    const first = await audit(admin, `?actor=${clerk.userId}&limit=2`);
    expect(first.body).toMatchObject({ items: [{ action: 'trainees:read' }, { action: 'ScheduleCourse' }], nextCursor: expect.any(String) });
    const second = await audit(admin, `?actor=${clerk.userId}&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ items: [{ action: 'RegisterTrainee' }], nextCursor: null });
  });

  it('holds no personal data: not the name, the identity number or the phone', async () => {
    // Not even through a correlation id a client sends: only an opaque one is kept (kept for good with the events).
    for (const given of [PERSON.phone, encodeURIComponent(PERSON.name), 'Zhao Xiaohan', `zhao${PERSON.phone}`, PERSON.idNumber.replace(/\d$/, 'X'), `${PERSON.phone.slice(0, 3)}-${PERSON.phone.slice(3, 7)}-${PERSON.phone.slice(7)}`]) {
      const answer = await http(host.baseUrl, 'GET', '/api/v1/me', undefined, { ...bearer(clerk.token), 'x-correlation-id': given });
      expect(answer.headers.get('x-correlation-id')).not.toBe(given);
    }
    // An opaque one is kept, and a UUID in it whatever its digits.
    for (const given of ['trace.ab12.cd34', '12345678-1234-4234-8234-123456789012', 'req-12345678-1234-4234-8234-123456789012']) {
      const opaque = await http(host.baseUrl, 'GET', '/api/v1/me', undefined, { ...bearer(clerk.token), 'x-correlation-id': given });
      expect(opaque.headers.get('x-correlation-id')).toBe(given);
    }
    const sql = new Client({ connectionString: database.url });
    await sql.connect();
    try {
      const { rows } = await sql.query('SELECT row_to_json(entry)::text AS entry FROM identity.audit_entries entry');
      const stored = rows.map((row) => row.entry).join('\n');
      expect(rows.length).toBeGreaterThanOrEqual(5);
      for (const value of [PERSON.name, PERSON.idNumber, PERSON.idNumber.slice(-6), PERSON.phone, '赵']) expect(stored).not.toContain(value);
    } finally {
      await sql.end();
    }
  });

  it("shows an organisation's administrator only its organisation's entries", async () => {
    const own = await entries(schoolAdmin.token, '?limit=100');
    expect(own.map((entry) => entry.action).sort()).toEqual(['CreateUser', 'CreateUser', 'RegisterTrainee', 'ScheduleCourse', 'trainees:read']);
    expect(own.every((entry) => entry.organisationId === provider)).toBe(true);
    expect(await entries(schoolAdmin.token, `?organisationId=${provider}&actor=${clerk.userId}`)).toHaveLength(3);
  });

  it('refuses (403 naming audit:read) staff who administer no organisation, another organisation, and trainees', async () => {
    expect(await audit(clerk.token)).toMatchObject({ status: 403, body: { permission: 'audit:read' } });
    const otherAdmin = await signInAs(host.baseUrl, { role: 'employer_staff', organisationId: employerOrganisation, orgAdmin: true });
    expect(await audit(otherAdmin.token, `?organisationId=${provider}`)).toMatchObject({ status: 403, body: { permission: 'audit:read' } });
    expect((await entries(otherAdmin.token)).every((entry) => entry.organisationId === employerOrganisation)).toBe(true);
    const trainee = await signInAs(host.baseUrl, { role: 'trainee', traineeId });
    expect(await audit(trainee.token)).toMatchObject({ status: 403, body: { permission: 'audit:read' } });
    expect((await audit(admin)).status).toBe(200);
  });

  it('answers 400 naming the field for a bound that is neither a day nor an instant', async () => {
    expect(await audit(admin, '?from=notadate')).toMatchObject({ status: 400, body: { errors: [{ field: 'from', rule: 'date_or_instant' }] } });
    expect(await audit(admin, '?to=2021-02-30')).toMatchObject({ status: 400, body: { errors: [{ field: 'to' }] } });
    expect(await audit(admin, '?cursor=bm90LWEtY3Vyc29y')).toMatchObject({ status: 400, body: { errors: [{ field: 'cursor' }] } });
  });

  it("audits a trainees import as a lookup: its rows say whose identity numbers are registered", async () => {
    const importer = await signInAs(host.baseUrl, { role: 'school_staff', organisationId: provider });
    const file = { bytes: Buffer.from(`姓名,身份证号,手机号\n${PERSON.name},${PERSON.idNumber},${PERSON.phone}\n`), name: '名单.csv' };
    const job = await importClient(host.baseUrl, bearer(importer.token)).upload(file, { kind: 'trainees' });
    expect(job.status).toBe(202);
    const lookups = async () => (await entries(admin, `?actor=${importer.userId}`)).filter((entry) => entry.action === 'trainees:lookup');
    await waitFor(async () => (await lookups()).length > 0, { timeoutMs: 10_000, description: "the import's lookup in the audit log" });
    expect(await lookups()).toEqual([expect.objectContaining({ kind: 'PersonalDataRead', service: 'trainee', resource: `import-${job.body.id}`, organisationId: provider })]);
  });

  it('audits a signing key rotated and retired, made outside the event log, with who did it', async () => {
    // An evaluator's credential-signing key, by its administrator.
    const evaluator = (await ok(admin, 'POST', '/api/v1/evaluators', { name: '株洲审计评价机构', creditCode: testCreditCode(9302), kind: 'social_organisation', regionCode: '430200' })).id as string;
    const evaluatorAdmin = await signInAs(host.baseUrl, { role: 'evaluator_staff', organisationId: evaluator, orgAdmin: true });
    // Its first key is made just after its registration, off the command's path.
    await waitFor(async () => ((await http(host.baseUrl, 'GET', `/evaluators/${evaluator}/did.json`)).status === 200 ? true : undefined), { description: "the evaluator's first signing key" });
    await ok(evaluatorAdmin.token, 'POST', `/api/v1/evaluators/${evaluator}/signing-keys`);
    await waitFor(async () => (await entries(admin, `?actor=${evaluatorAdmin.userId}`)).some((entry) => entry.action === 'RotateCredentialSigningKey'), { timeoutMs: 10_000, description: 'the rotation in the audit log' });
    expect((await entries(evaluatorAdmin.token, `?organisationId=${evaluator}`)).map((entry) => entry.action)).toContain('RotateCredentialSigningKey');

    const rotated = await ok(admin, 'POST', '/admin/identity/signing-keys/rotate');
    const keys = (await ok(admin, 'GET', '/admin/identity/signing-keys')).items as Array<{ kid: string; state: string }>;
    const superseded = keys.find((key) => key.state === 'published');
    expect(superseded).toBeDefined();
    await ok(admin, 'POST', `/admin/identity/signing-keys/${superseded!.kid}/retire`);
    // That key signed the administrator's token: signed in again, under the new one.
    admin = await adminToken(host.baseUrl);
    const keyLines = async () => (await entries(admin)).filter((entry) => entry.action === 'RotateSigningKey' || entry.action === 'RetireSigningKey');
    await waitFor(async () => (await keyLines()).length >= 2, { timeoutMs: 10_000, description: 'the key changes in the audit log' });
    expect(await keyLines()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'CommandAccepted', action: 'RotateSigningKey', service: 'identity', resource: `signing-key-${rotated.kid}`, actor: expect.objectContaining({ role: 'platform_admin' }) }),
        expect.objectContaining({ kind: 'CommandAccepted', action: 'RetireSigningKey', service: 'identity', resource: `signing-key-${superseded!.kid}`, actor: expect.objectContaining({ role: 'platform_admin' }) }),
      ]),
    );
  });
});
