// The distributed deployment end to end, as processes (tools/launcher): six services (identity-service
// among them) and the gateway on one Kafka broker and one Postgres with a database per service. Every
// flow goes through the gateway, each step by a user of the role that may take it, signed in at
// identity-service; the other services verify the tokens with its keys (IDENTITY_SERVICE_URL): register,
// enrol, assess, certify (asking trainee-service the holder's age), hire, qualify a brand. brand-service is killed with SIGKILL while the results
// and hires stream in, then restarted; at the end every figure is exact (nothing lost, nothing counted
// twice), and so is each trainee's archive.
import { adminToken, bearer, describeWithKafka, http, kafkaBrokers, signInAs, TEST_ADMIN_PASSWORD, testCreditCode, testIdentityNumber, waitFor } from '@skills/testing';
import { launchTopology, LaunchedTopology } from './launch';

const WELDER = '6-18-02-04';
const PEOPLE = 12;

describeWithKafka('distributed deployment through the gateway, with a service killed mid-flow', () => {
  let topology: LaunchedTopology;
  let gateway: string;
  /** A request through the gateway, with the access token of whoever makes it (none: anonymous). */
  const call = (method: string, path: string, body?: unknown, token?: string) => http(gateway, method, path, body, token ? bearer(token) : {});
  const created = async (token: string, method: string, path: string, body?: unknown) => {
    const answer = await call(method, path, body, token);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };

  beforeAll(async () => {
    // The broker and Postgres server of the test setup; the launcher makes a database per service on it,
    // and gives identity-service the first admin's password (adminToken and signInAs sign in with it).
    topology = await launchTopology({ kafkaBrokers: kafkaBrokers(), postgresUrl: process.env.DATABASE_URL, adminPassword: TEST_ADMIN_PASSWORD });
    gateway = topology.gatewayUrl;
  }, 300_000);

  afterAll(async () => {
    await topology?.stop();
  }, 60_000);

  it('signs the admin in through the gateway (the launcher’s ADMIN_PASSWORD), and the token opens /api/v1/me', async () => {
    const signedIn = await call('POST', '/oauth/token', { grant_type: 'password', username: 'admin', password: topology.adminPassword });
    expect(signedIn).toMatchObject({ status: 200, body: { token_type: 'Bearer', access_token: expect.any(String) } });
    const discovery = await call('GET', '/.well-known/openid-configuration');
    // The issuer is the gateway's origin (PUBLIC_ORIGIN), not identity-service's own address.
    expect(discovery).toMatchObject({ status: 200, body: { issuer: gateway, token_endpoint: `${gateway}/oauth/token` } });
    expect((await call('GET', '/.well-known/jwks.json')).body).toMatchObject({ keys: expect.arrayContaining([expect.objectContaining({ kty: 'EC' })]) });
    const me = await call('GET', '/api/v1/me', undefined, signedIn.body.access_token);
    expect(me).toMatchObject({ status: 200, body: { username: 'admin', role: 'platform_admin' } });
    expect((await call('GET', '/api/v1/me')).status).toBe(401);
    // Another process verifies the token with identity-service's keys (IDENTITY_SERVICE_URL): a wrong or no token is refused.
    expect((await call('GET', `/api/v1/ladder/distribution?occupationCode=${WELDER}`)).status).toBe(401);
    expect((await call('GET', `/api/v1/ladder/distribution?occupationCode=${WELDER}`, undefined, `${signedIn.body.access_token}x`)).status).toBe(401);
    expect((await call('GET', `/api/v1/ladder/distribution?occupationCode=${WELDER}`, undefined, signedIn.body.access_token)).status).toBe(200);
  });

  it('runs the cross-service flows and loses or doubles nothing when brand-service is killed and restarted', async () => {
    const school = testCreditCode(9_500_001);
    const factory = testCreditCode(9_500_002);
    // The platform admin registers the organisations; each organisation's staff do its own work.
    const admin = await adminToken(gateway);
    const bureau = await created(admin, 'POST', '/api/v1/bureaus', { name: '株洲市人社局', regionCode: '430200' });
    const officer = (await signInAs(gateway, { role: 'bureau_officer', organisationId: bureau.id })).token;
    const provider = await created(admin, 'POST', '/api/v1/providers', { name: '株洲新希望焊接培训学校', creditCode: school, regionCode: '430200' });
    const teacher = (await signInAs(gateway, { role: 'school_staff', organisationId: provider.id })).token;
    const course = await created(teacher, 'POST', '/api/v1/courses', { providerId: provider.id, title: '铆焊工', occupationCode: WELDER, kind: 'skill', capacity: 30, startDate: '2021-03-01', endDate: '2021-06-30' });
    const ethics = await created(teacher, 'POST', '/api/v1/courses', { providerId: provider.id, title: '职业道德和法律法规', occupationCode: WELDER, kind: 'ethics_and_law', capacity: 30, startDate: '2021-03-01', endDate: '2021-03-02' });
    const evaluator = await created(admin, 'POST', '/api/v1/evaluators', { name: '湖南省焊接协会', creditCode: testCreditCode(9_500_003), kind: 'social_organisation', regionCode: '430200' });
    const assessor = (await signInAs(gateway, { role: 'evaluator_staff', organisationId: evaluator.id })).token;
    const employer = await created(admin, 'POST', '/api/v1/employers', { name: '株洲九方装备', creditCode: factory, industryCode: 'C37', regionCode: '430200' });
    const recruiter = (await signInAs(gateway, { role: 'employer_staff', organisationId: employer.id })).token;
    // The brand once its building units are registered: a unit must be a provider or employer of the bureau's region.
    const brand = await created(officer, 'POST', '/api/v1/brands', {
      bureauId: bureau.id,
      name: '株洲新希望铆焊工',
      tier: 'city',
      industryCode: 'C37',
      occupationCodes: [WELDER],
      buildingUnits: [school, factory],
      policy: { windowStart: '2020-11-01', windowEnd: '2021-09-30', minTrained: 10, minPassRate: 0.75, minEmploymentRate: 0.5, requiresEthicsTraining: true },
    });
    const placement = await created(recruiter, 'POST', '/api/v1/placements', { employerId: employer.id, title: '铆焊工', occupationCode: WELDER, openings: 20, minLevel: 'junior', wageMin: 7000, wageMax: 9000, regionCode: '430200' });

    // Registered on trainee-service and enrolled on training-service at once (read-your-writes).
    const people: string[] = [];
    for (let n = 0; n < PEOPLE; n++) {
      const trainee = await created(teacher, 'POST', '/api/v1/trainees', { name: `学员${n}`, idNumber: testIdentityNumber(5000 + n), phone: '13800000000' });
      await created(teacher, 'POST', `/api/v1/courses/${course.id}/enrollments`, { traineeId: trainee.id, enrolledOn: '2021-03-01' });
      people.push(trainee.id);
    }
    await created(teacher, 'POST', `/api/v1/courses/${ethics.id}/enrollments`, { traineeId: people[0], enrolledOn: '2021-03-01' });
    await created(teacher, 'POST', `/api/v1/courses/${ethics.id}/assessments`, { traineeId: people[0], passed: true, score: 90, assessedOn: '2021-03-02' });

    // Results stream to brand-service; it dies half way through, without a graceful shutdown.
    const passing = (n: number) => n < 10;
    for (let n = 0; n < PEOPLE; n++) {
      if (n === PEOPLE / 2) await topology.kill('brand-service');
      await created(teacher, 'POST', `/api/v1/courses/${course.id}/assessments`, { traineeId: people[n], passed: passing(n), score: passing(n) ? 85 : 40, assessedOn: '2021-06-30' });
    }
    // Certified (junior) by assessment, then hired: the placement needs junior, from certification events.
    for (let n = 0; n < 8; n++) {
      await created(assessor, 'POST', '/api/v1/certifications', { traineeId: people[n], occupationCode: WELDER, level: 'junior', route: 'assessment', evaluatorId: evaluator.id, certifiedOn: '2021-07-01' });
    }
    // Only trainee-service knows a birth date: certification-service asks it over HTTP (TRAINEE_SERVICE_URL,
    // INTERNAL_API_SECRET) how old the holder was that day; the question is not reachable through the gateway.
    const beforeBirth = await call('POST', '/api/v1/certifications', { traineeId: people[8], occupationCode: WELDER, level: 'junior', route: 'assessment', evaluatorId: evaluator.id, certifiedOn: '1960-01-01' }, assessor);
    expect({ status: beforeBirth.status, rule: beforeBirth.body.rule }).toEqual({ status: 409, rule: 'certified_before_birth' });
    expect((await call('GET', `/internal/v1/trainees/${people[8]}/age-on/1960-01-01`, undefined, admin)).status).toBe(404);
    const hires = [];
    for (let n = 0; n < 8; n++) {
      const hire = await waitFor(
        async () => {
          const answer = await call('POST', `/api/v1/placements/${placement.id}/hires`, { traineeId: people[n], startDate: '2021-07-15', monthlyWage: 8000 }, recruiter);
          if (answer.status === 201) return answer.body;
          if (answer.body?.rule !== 'level_too_low') throw new Error(JSON.stringify(answer.body));
          return undefined;
        },
        { timeoutMs: 30_000, description: `the certificate of trainee ${n} to reach placement` },
      );
      hires.push(hire);
    }
    await created(recruiter, 'POST', `/api/v1/employments/${hires[7].employmentId}/end`, { endDate: '2021-08-31', reason: '合同期满' });
    await topology.restart('brand-service');

    // 12 trained, 10 passed, 8 hired in C37 of whom one left before 2021-09-30.
    const expected = { asOf: '2021-09-30', trained: 12, passed: 10, passRate: 0.8333, employedInIndustry: 7, employmentRate: 0.5833, ethicsTrainingHeld: true, qualifies: true, unmet: [] };
    await waitFor(
      async () => {
        const { freshness, ...figures } = (await call('GET', `/api/v1/brands/${brand.id}/qualification?asOf=2021-09-30`, undefined, officer)).body;
        expect(figures).toEqual(expected);
        expect(freshness).toEqual({ completeUpTo: expect.any(String), pendingFacts: 0 });
        return true;
      },
      { timeoutMs: 90_000, description: 'brand-service to catch up after its restart with exact figures' },
    );
    const certified = await created(officer, 'POST', `/api/v1/brands/${brand.id}/certifications`, { tier: 'city', decidedOn: '2021-10-10' });
    expect(certified).toMatchObject({ tier: 'city', figures: { trained: 12, employedInIndustry: 7 } });

    // Each trainee's archive holds each fact exactly once, across all services.
    const archive = await waitFor(
      async () => {
        const entries = (await call('GET', `/api/v1/trainees/${people[7]}/archive`, undefined, admin)).body.entries as Array<{ kind: string }>;
        return entries.length >= 5 ? entries : undefined;
      },
      { timeoutMs: 30_000, description: 'the archive of trainee 7' },
    );
    expect(archive.map((entry) => entry.kind)).toEqual(['enrolled', 'assessed', 'certified', 'hired', 'employment_ended']);
    expect((await call('GET', `/api/v1/courses/${course.id}`, undefined, teacher)).body).toMatchObject({ enrolled: PEOPLE, assessed: PEOPLE, passed: 10 });
    expect((await call('GET', `/api/v1/ladder/distribution?occupationCode=${WELDER}`, undefined, officer)).body).toMatchObject({ levels: { junior: 8 }, total: 8 });
  }, 300_000);
});
