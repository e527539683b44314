// The Certification contract of api.md over HTTP on a real Postgres, in one process: evaluators, the
// four routes with their refusals, certificate numbers under concurrency, revocation, public
// verification, the ladder read models (also after a rebuild) and the archive entries. A platform_admin
// registers trainees and evaluators, reads the distribution and erases; an evaluator's staff certify for
// it, revoke what it issued and read the ladders and archives of the workers it certified.
import { CertificationModule } from '@skills/certification-service';
import { randomUUID } from 'node:crypto';
import { readCertificateNumber } from '@skills/domain-kernel';
import { ServiceRegistry } from '@skills/service-runtime';
import { bearer, createTestDatabase, http, startTestHost, TestDatabase, TestHost, testCreditCode, testIdentityNumber, TestIssuer, testIssuer, waitFor } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { TrainingModule } from '@skills/training-service';
import { publishHire } from './placement-facts';

const WELDER = '6-18-02-04';

describe('Certification HTTP contract (all in one process)', () => {
  let database: TestDatabase;
  let host: TestHost;
  let nextPerson = 9000;
  let nextCode = 500;
  let issuer: TestIssuer;
  let admin: Record<string, string>;
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => http(host.baseUrl, method, path, body, headers);
  /** Authorization of the evaluator's staff. */
  const staffOf = async (evaluatorId: string) => bearer(await issuer.token({ role: 'evaluator_staff', organisationId: evaluatorId }));
  const creditCode = () => testCreditCode(nextCode++);
  const trainee = async (name = '张小明', regionCode = '430202') => {
    const answer = await call('POST', '/api/v1/trainees', { name, idNumber: testIdentityNumber(nextPerson++), phone: '13800000000', regionCode }, admin);
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };
  const evaluator = async (kind: 'employer' | 'social_organisation', code = creditCode(), regionCode = '430200') => {
    const answer = await call('POST', '/api/v1/evaluators', { name: kind === 'employer' ? '株洲中车' : '湖南省焊接协会', creditCode: code, kind, regionCode }, admin);
    expect(answer.status).toBe(201);
    return { id: answer.body.id as string, creditCode: code };
  };
  /** As the staff of the evaluator named. */
  const certify = async (traineeId: string, evaluatorId: string, level: string, route: string, change: Record<string, unknown> = {}, headers = {}) =>
    call('POST', '/api/v1/certifications', { traineeId, occupationCode: WELDER, level, route, evaluatorId, certifiedOn: '2021-06-01', ...change }, { ...(await staffOf(evaluatorId)), ...headers });
  const caughtUp = () => host.app.get(ServiceRegistry).get('certification')!.projections.caughtUp();

  beforeAll(async () => {
    issuer = await testIssuer();
    admin = bearer(await issuer.token({ role: 'platform_admin' }));
    database = await createTestDatabase();
    host = await startTestHost({ modules: [TraineeModule, TrainingModule, CertificationModule], transport: 'in-process', databaseUrl: database.url, replicaWaitMs: 5000 });
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  it('registers evaluators once per credit code', async () => {
    const code = creditCode();
    await evaluator('employer', code);
    const again = await call('POST', '/api/v1/evaluators', { name: '又一个', creditCode: code.toLowerCase(), kind: 'social_organisation', regionCode: '430200' }, admin);
    expect(again).toMatchObject({ status: 409, body: { rule: 'credit_code_registered', existingId: expect.any(String) } });
  });

  it('certifies by assessment one rung at a time, with a 22-character certificate number', async () => {
    const [worker, association] = [await trainee(), await evaluator('social_organisation')];
    const first = await certify(worker, association.id, 'junior', 'assessment');
    expect(first).toMatchObject({ status: 201, body: { level: 'junior', previousLevel: null } });
    const number = readCertificateNumber(first.body.certificateNumber);
    expect(number).toMatchObject({ ok: true, parts: { evaluatorKind: 'social_organisation', province: '43', site: '430200', year: '21', nationalGrade: 5 } });
    expect(await certify(worker, association.id, 'intermediate', 'assessment', { certifiedOn: '2022-06-01' })).toMatchObject({ status: 201, body: { level: 'intermediate', previousLevel: 'junior' } });
    const skip = await certify(worker, association.id, 'technician', 'assessment', { certifiedOn: '2022-07-01' });
    expect(skip).toMatchObject({ status: 409, body: { rule: 'assessment_one_rung_at_a_time', currentLevel: 'intermediate', requestedLevel: 'technician' } });
    expect(skip.body.detail).toContain('intermediate');
  });

  it('directly certifies and appoints only while the evaluator employs the worker, judged at certifiedOn', async () => {
    const [worker, employer] = [await trainee(), await evaluator('employer')];
    const before = await certify(worker, employer.id, 'senior_technician', 'direct', { justification: '八年一线焊接，工艺攻关' });
    expect(before).toMatchObject({ status: 409, body: { rule: 'direct_requires_current_employer' } });
    await publishHire(host, { traineeId: worker, employerCreditCode: employer.creditCode, startDate: '2021-01-04' });
    const direct = await waitFor(async () => {
      const answer = await certify(worker, employer.id, 'senior_technician', 'direct', { justification: '八年一线焊接，工艺攻关' });
      return answer.status === 201 ? answer : undefined;
    }, { description: 'direct certification after the hire' });
    expect(direct.body).toMatchObject({ level: 'senior_technician', previousLevel: null });
    // Not on a date before the employment began: judged at certifiedOn, once the hire is known here.
    const colleague = await trainee();
    await publishHire(host, { traineeId: colleague, employerCreditCode: employer.creditCode, startDate: '2021-01-04' });
    await waitFor(async () => (await host.app.get(ServiceRegistry).get('certification')!.database.query('SELECT 1 FROM employments WHERE trainee_id = $1', [colleague])).rowCount === 1 || undefined, {
      description: "the colleague's hire to reach certification",
    });
    const directly = (certifiedOn: string) => certify(colleague, employer.id, 'senior_technician', 'direct', { certifiedOn, justification: '八年一线焊接，工艺攻关' });
    expect(await directly('2021-01-03')).toMatchObject({ status: 409, body: { rule: 'direct_requires_current_employer' } });
    expect(await directly('2021-01-04')).toMatchObject({ status: 201, body: { level: 'senior_technician' } });
    // Nor an appointment dated before the certificate it would follow.
    const beforeItsRung = await certify(worker, employer.id, 'special_technician', 'appointment', { certifiedOn: '2021-01-05' });
    expect(beforeItsRung).toMatchObject({ status: 409, body: { rule: 'later_certificate_not_above', laterLevel: 'senior_technician' } });
    expect(await certify(worker, employer.id, 'chief_technician', 'appointment', { certifiedOn: '2021-07-01' })).toMatchObject({ status: 409, body: { rule: 'appointment_requires_rung_below' } });
    expect(await certify(worker, employer.id, 'special_technician', 'appointment', { certifiedOn: '2021-07-01' })).toMatchObject({ status: 201, body: { level: 'special_technician' } });
    expect(await certify(worker, employer.id, 'chief_technician', 'appointment', { certifiedOn: '2021-08-01' })).toMatchObject({ status: 201, body: { level: 'chief_technician', previousLevel: 'special_technician' } });
    const association = await evaluator('social_organisation');
    const other = await trainee();
    expect(await certify(other, association.id, 'senior', 'direct', { justification: '理由' })).toMatchObject({ status: 409, body: { rule: 'direct_requires_employer_evaluator' } });
  });

  it('promotes exceptionally up to two rungs with a reason and evidence', async () => {
    const [worker, association] = [await trainee(), await evaluator('social_organisation')];
    await certify(worker, association.id, 'junior', 'assessment', { certifiedOn: '2020-01-10' });
    expect(await certify(worker, association.id, 'technician', 'exceptional', { reason: 'competition_award', evidence: '全国焊工大赛一等奖' })).toMatchObject({ status: 409, body: { rule: 'exceptional_more_than_two_rungs' } });
    expect(await certify(worker, association.id, 'senior', 'exceptional', { reason: 'competition_award' })).toMatchObject({ status: 409, body: { rule: 'exceptional_requires_evidence' } });
    expect(await certify(worker, association.id, 'senior', 'exceptional', { reason: 'competition_award', evidence: '全国焊工大赛一等奖' })).toMatchObject({ status: 201, body: { level: 'senior', previousLevel: 'junior' } });
  });

  it('issues unique, consecutive certificate numbers under 20 concurrent certifications by one evaluator', async () => {
    const association = await evaluator('social_organisation');
    const workers = await Promise.all(Array.from({ length: 20 }, () => trainee()));
    const answers = await Promise.all(workers.map((worker) => certify(worker, association.id, 'junior', 'assessment')));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201));
    const serials = answers.map((answer) => (readCertificateNumber(answer.body.certificateNumber) as { parts: { serial: number } }).parts.serial).sort((a, b) => a - b);
    expect(serials).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('revokes a certificate: the level falls back, verification shows it revoked, the archive lists both', async () => {
    const [worker, association] = [await trainee('欧阳修远'), await evaluator('social_organisation')];
    const junior = await certify(worker, association.id, 'junior', 'assessment', { certifiedOn: '2020-03-01' });
    const intermediate = await certify(worker, association.id, 'intermediate', 'assessment', { certifiedOn: '2021-03-01' });
    const verified = await call('GET', `/api/v1/certificates/${intermediate.body.certificateNumber}`);
    expect(verified.body).toEqual({
      number: intermediate.body.certificateNumber,
      holderName: '欧***',
      occupationCode: WELDER,
      level: 'intermediate',
      route: 'assessment',
      evaluator: '湖南省焊接协会',
      certifiedOn: '2021-03-01',
      status: 'valid',
      verificationUrl: `http://localhost:3000/verify/${intermediate.body.certificateNumber}`,
    });
    const issuing = await staffOf(association.id);
    const revoked = await call('POST', `/api/v1/certificates/${intermediate.body.certificateNumber}/revocation`, { reason: '材料造假', revokedOn: '2021-09-01' }, issuing);
    expect(revoked).toMatchObject({ status: 200, body: { status: 'revoked', levelAfter: 'junior' } });
    expect((await call('POST', `/api/v1/certificates/${intermediate.body.certificateNumber}/revocation`, { reason: '再次' }, issuing)).body).toMatchObject({ status: 409, rule: 'certificate_already_revoked' });
    expect((await call('GET', `/api/v1/certificates/${intermediate.body.certificateNumber}`)).body).toMatchObject({ status: 'revoked', revokedOn: '2021-09-01' });
    await caughtUp();
    const ladder = await call('GET', `/api/v1/ladder/trainees/${worker}`, undefined, issuing);
    expect(ladder.body).toEqual([
      expect.objectContaining({ occupationCode: WELDER, level: 'junior', rank: 2, certifiedOn: '2020-03-01', certificateNumber: junior.body.certificateNumber }),
    ]);
    expect(ladder.body[0].history.map((entry: { status: string }) => entry.status)).toEqual(['valid', 'revoked']);
    const archive = await waitFor(async () => {
      const answer = await call('GET', `/api/v1/trainees/${worker}/archive`, undefined, issuing);
      return answer.body.entries.length === 3 ? answer.body.entries : undefined;
    }, { description: 'the archive to list two certificates and a revocation' });
    expect(archive.map((entry: { at: string; kind: string }) => [entry.at, entry.kind])).toEqual([
      ['2020-03-01', 'certified'],
      ['2021-03-01', 'certified'],
      ['2021-09-01', 'certificate_revoked'],
    ]);
    // After erasure the public verification shows no name, masked or not.
    await call('DELETE', `/api/v1/trainees/${worker}/personal-data`, undefined, admin);
    await waitFor(async () => (await call('GET', `/api/v1/certificates/${junior.body.certificateNumber}`)).body.holderName === null, { description: 'the erasure to reach certification' });
  });

  it('answers verification 404 for an unknown number and 400 for a malformed one', async () => {
    expect((await call('GET', '/api/v1/certificates/S0001434302002150000999')).status).toBe(400);
    expect((await call('GET', '/api/v1/certificates/S00014343020021500999')).status).toBe(400);
    expect((await call('GET', '/api/v1/certificates/S000143430200215009999')).status).toBe(404);
    // Asked by the staff of a registered evaluator, which issued no such certificate.
    const someEvaluator = await staffOf((await evaluator('social_organisation')).id);
    expect((await call('POST', '/api/v1/certificates/S000143430200215009999/revocation', { reason: 'x' }, someEvaluator)).status).toBe(404);
  });

  it('counts the distribution by occupation and the evaluator’s region, and agrees with the per-trainee ladders after a rebuild', async () => {
    // Certification figures count by the evaluator's region (domain.md section 6), not the trainee's (personal data).
    const evaluators = await Promise.all(['430202', '430203', '430102'].map((region) => evaluator('social_organisation', creditCode(), region)));
    const occupation = '6-18-02-05';
    const people = await Promise.all([trainee('甲', '430102'), trainee('乙', '430102'), trainee('丙', '430202')]);
    const levels: Array<[string, string, string[]]> = [
      [people[0], evaluators[0].id, ['junior', 'intermediate', 'senior']],
      [people[1], evaluators[1].id, ['apprentice']],
      [people[2], evaluators[2].id, ['junior', 'intermediate', 'senior', 'technician']],
    ];
    for (const [worker, by, steps] of levels) {
      for (const [i, level] of steps.entries()) {
        expect((await certify(worker, by, level, 'assessment', { occupationCode: occupation, certifiedOn: `201${5 + i}-06-01` })).status).toBe(201);
      }
    }
    await caughtUp();
    // The counts alone: with ?consistent=true they hold every certificate above, whose answers came before.
    const distribution = async (query: string) => {
      const { freshness, ...counts } = (await call('GET', `/api/v1/ladder/distribution?occupationCode=${occupation}${query}&consistent=true`, undefined, admin)).body;
      expect(freshness).toEqual({ completeUpTo: expect.any(String), pendingFacts: 0 });
      return counts;
    };
    const all = await distribution('');
    expect(all).toEqual({
      levels: { apprentice: 1, junior: 0, intermediate: 0, senior: 1, technician: 1, senior_technician: 0, special_technician: 0, chief_technician: 0 },
      highSkill: 2,
      total: 3,
    });
    expect(await distribution('&regionCode=430200')).toMatchObject({ total: 2, highSkill: 1 });
    expect(await distribution('&regionCode=430000')).toMatchObject({ total: 3 });
    expect(await distribution('&regionCode=430203')).toMatchObject({ total: 1, levels: { apprentice: 1 } });
    // A bureau officer reads its own region by default and any region inside it, never one outside (domain.md section 9).
    const zhuzhou = bearer(await issuer.token({ role: 'bureau_officer', organisationId: randomUUID(), regionCode: '430200' }));
    const asZhuzhou = (query: string) => call('GET', `/api/v1/ladder/distribution?occupationCode=${occupation}${query}`, undefined, zhuzhou);
    expect((await asZhuzhou('')).body).toMatchObject({ total: 2, highSkill: 1 });
    expect((await asZhuzhou('&regionCode=430203')).body).toMatchObject({ total: 1 });
    for (const outside of ['430000', '430100', '430102']) expect(await asZhuzhou(`&regionCode=${outside}`)).toMatchObject({ status: 403, body: { permission: 'ladders:read-distribution' } });
    const unknownBureau = bearer(await issuer.token({ role: 'bureau_officer', organisationId: randomUUID() }));
    expect((await call('GET', '/api/v1/ladder/distribution', undefined, unknownBureau)).status).toBe(403);

    await host.app.get(ServiceRegistry).get('certification')!.projections.rebuild('certificates');
    expect(await distribution('')).toEqual(all);
    const fromLadders = await Promise.all(people.map(async (worker) => (await call('GET', `/api/v1/ladder/trainees/${worker}`, undefined, admin)).body.find((entry: { occupationCode: string }) => entry.occupationCode === occupation).level));
    const counted = Object.entries(all.levels).flatMap(([level, count]) => Array(count as number).fill(level));
    expect(fromLadders.sort()).toEqual(counted.sort());
  });

  it.each([
    ['an unknown level', { level: 'grandmaster' }, 'level'],
    ['an unknown route', { route: 'bribe' }, 'route'],
    ['an occupation code of the wrong shape', { occupationCode: '618-02-04' }, 'occupationCode'],
    ['a certification date that does not exist', { certifiedOn: '2021-02-29' }, 'certifiedOn'],
    ['an unknown exceptional reason', { reason: 'friendship' }, 'reason'],
    ['an evaluator id that is not a UUID', { evaluatorId: 'ev-1' }, 'evaluatorId'],
    ['an unknown field', { grade: 3 }, 'grade'],
  ])('answers 400 naming the field for %s', async (_case, change, field) => {
    const body: Record<string, unknown> = { traineeId: '00000000-0000-4000-8000-000000000000', occupationCode: WELDER, level: 'junior', route: 'assessment', evaluatorId: '00000000-0000-4000-8000-000000000000', certifiedOn: '2021-06-01', ...change };
    // As the staff of the evaluator the request names.
    const answer = await call('POST', '/api/v1/certifications', body, await staffOf(String(body.evaluatorId)));
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  // The ladder aggregate judges "not in the future" by the pipeline's clock, after the evaluator and
  // the trainee are found: this one is asked of a known pair.
  it('answers 400 naming the field for a certification date in the future', async () => {
    const [worker, association] = [await trainee(), await evaluator('social_organisation')];
    const answer = await certify(worker, association.id, 'junior', 'assessment', { certifiedOn: '2999-01-01' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((error: { field: string }) => error.field)).toContain('certifiedOn');
  });

  it('answers 400 for a bad evaluator kind or credit code, and 404 for an unknown evaluator or trainee', async () => {
    expect((await call('POST', '/api/v1/evaluators', { name: 'x', creditCode: creditCode(), kind: 'school', regionCode: '430200' }, admin)).body.errors[0].field).toBe('kind');
    expect((await call('POST', '/api/v1/evaluators', { name: 'x', creditCode: '91430200MA4L00001Q', kind: 'employer', regionCode: '430200' }, admin)).body.errors[0].field).toBe('creditCode');
    const worker = await trainee();
    expect((await certify(worker, '00000000-0000-4000-8000-000000000000', 'junior', 'assessment')).status).toBe(404);
    expect((await certify('00000000-0000-4000-8000-000000000000', (await evaluator('social_organisation')).id, 'junior', 'assessment')).status).toBe(404);
  });

  it('repeats the first answer for a repeated Idempotency-Key and issues one certificate', async () => {
    const [worker, association] = [await trainee(), await evaluator('social_organisation')];
    const headers = { 'Idempotency-Key': `certify-${worker}` };
    const answers = await Promise.all(Array.from({ length: 5 }, () => certify(worker, association.id, 'junior', 'assessment', {}, headers)));
    expect(new Set(answers.map((answer) => `${answer.status} ${answer.body.certificateNumber}`)).size).toBe(1);
    await caughtUp();
    expect((await call('GET', `/api/v1/ladder/trainees/${worker}`, undefined, await staffOf(association.id))).body[0].history).toHaveLength(1);
  });
});
