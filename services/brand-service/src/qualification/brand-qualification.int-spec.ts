// Labour-brand qualification as of any date (domain.md section 5), fed by training and placement
// events: the Zhuzhou 2021 city policy on facts of our own choosing, the same facts under a Linfen-style
// policy, tier progression and refusals. In one process here; on Kafka in brand-kafka.int-spec.ts.
// A platform_admin registers the bureaus and rebuilds the figures; the Zhuzhou bureau's officer does the
// rest, but for the provincial and national tiers, which only an officer of the Hunan bureau (430000) and
// of the ministry (000000) may certify (domain.md section 9).
import { businessDateOf } from '@skills/domain-kernel';
import { BrandModule } from '../brand.module';
import { registerBuildingUnits } from '../brands/register-brand/building-unit-facts';
import { bearer, createTestDatabase, http, publishFacts, startTestHost, TestDatabase, TestHost, testCreditCode, TestIssuer, testIssuer, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { resultMessage } from './brand-facts';
import { FIGURES_RULE, FiguresUpgrade } from './figures-upgrade';
import { brandScenario, ZHUZHOU_2021 } from './brand-scenario';

describe('labour brand qualification and certification (all in one process)', () => {
  let database: TestDatabase;
  let host: TestHost;
  let bureauId: string;
  let issuer: TestIssuer;
  let admin: string;
  let officer: string;
  let provincialOfficer: string;
  let nationalOfficer: string;
  /** As the bureau's officer unless another token is named. */
  const call = (method: string, path: string, body?: unknown, token = officer) => http(host.baseUrl, method, path, body, bearer(token));
  /** The figures alone (what the scenarios state); how fresh they are is checked where it matters (e2e/src/catch-up.e2e-spec.ts). */
  const qualification = async (brandId: string, asOf: string) => {
    const { freshness: _freshness, ...figures } = (await call('GET', `/api/v1/brands/${brandId}/qualification?asOf=${asOf}`)).body;
    return figures;
  };

  beforeAll(async () => {
    issuer = await testIssuer();
    database = await createTestDatabase();
    host = await startTestHost({ modules: [BrandModule], transport: 'in-process', databaseUrl: database.url });
    admin = await issuer.token({ role: 'platform_admin' });
    bureauId = (await call('POST', '/api/v1/bureaus', { name: '株洲市人力资源和社会保障局', regionCode: '430200' }, admin)).body.id;
    officer = await issuer.token({ role: 'bureau_officer', organisationId: bureauId });
    const hunan = (await call('POST', '/api/v1/bureaus', { name: '湖南省人力资源和社会保障厅', regionCode: '430000' }, admin)).body.id;
    provincialOfficer = await issuer.token({ role: 'bureau_officer', organisationId: hunan });
    const ministry = (await call('POST', '/api/v1/bureaus', { name: '人力资源和社会保障部', regionCode: '000000' }, admin)).body.id;
    nationalOfficer = await issuer.token({ role: 'bureau_officer', organisationId: ministry });
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  /** Its building units are Zhuzhou schools the organisation replica holds (registered here first). */
  const register = async (name: string, buildingUnits: string[], policy: Record<string, unknown>) => {
    await registerBuildingUnits(host, buildingUnits);
    const answer = await call('POST', '/api/v1/brands', { bureauId, name, tier: 'city', industryCode: 'C37', occupationCodes: ['6-18-02-04'], buildingUnits, policy });
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };

  describe('the Zhuzhou 2021 city policy', () => {
    const scenario = brandScenario(testCreditCode(7001));
    let zhuzhou: string;

    beforeAll(async () => {
      // Registered before the facts arrive: every fact updates it as it comes.
      zhuzhou = await register('株洲新希望铆焊工', [scenario.provider], ZHUZHOU_2021);
      await scenario.publish(host);
    }, 60_000);

    it('qualifies as of the window’s last day, on the figures of that day', async () => {
      expect(await qualification(zhuzhou, '2021-09-30')).toEqual(scenario.expected['2021-09-30']);
    });

    it('rebuilds the figures from the recorded facts to the same answers', async () => {
      const before = await Promise.all(['2021-03-14', '2021-09-30', '2022-03-01'].map((date) => qualification(zhuzhou, date)));
      expect(await call('POST', `/admin/brands/${zhuzhou}/figures/rebuild`, undefined, admin)).toMatchObject({ status: 200, body: { rebuilt: true } });
      expect(await Promise.all(['2021-03-14', '2021-09-30', '2022-03-01'].map((date) => qualification(zhuzhou, date)))).toEqual(before);
    });

    it('counts the figures again, once, at the first start after the counting rule changed', async () => {
      const sql = new Client({ connectionString: database.url });
      await sql.connect();
      try {
        // The host's start recorded the rule it counts by (beside the service: waited for).
        await waitFor(async () => ((await sql.query('SELECT rule FROM brand.brand_figures_rule')).rows[0]?.rule === FIGURES_RULE ? true : undefined), { description: 'the start to record the rule' });
        // Figures as an older rule left them (here: none), counted by rule 1 as the brand's scope says, and no rule recorded.
        await sql.query('DELETE FROM brand.brand_step_totals WHERE brand_id = $1', [zhuzhou]);
        await sql.query('UPDATE brand.brand_scopes SET figures_rule = 1 WHERE brand_id = $1', [zhuzhou]);
        await sql.query('DELETE FROM brand.brand_figures_rule');
        expect((await qualification(zhuzhou, '2021-09-30')).trained).toBe(0);
        const upgrade = host.app.get(FiguresUpgrade);
        expect(await upgrade.upgrade()).toBeGreaterThanOrEqual(1);
        expect(await qualification(zhuzhou, '2021-09-30')).toEqual(scenario.expected['2021-09-30']);
        expect((await sql.query('SELECT rule FROM brand.brand_figures_rule')).rows).toEqual([{ rule: FIGURES_RULE }]);
        expect(await upgrade.upgrade()).toBe(0);
      } finally {
        await sql.end();
      }
    });

    it('does not count an employment that ended after the window as of a later date', async () => {
      expect(await qualification(zhuzhou, '2022-03-01')).toEqual(scenario.expected['2022-03-01']);
    });

    it('counts the corrected result as failed before the correction’s date, and lacks the ethics course before it was held', async () => {
      expect(await qualification(zhuzhou, '2021-03-14')).toEqual(scenario.expected['2021-03-14']);
      expect(await qualification(zhuzhou, '2021-05-30')).toMatchObject(scenario.expected['2021-05-30']);
    });

    it('gives another verdict on the same facts under a Linfen-style policy (300 / 30 % / 100), and names an unmet minEmployed', async () => {
      // Registered after the facts: it is filled from what arrived before it.
      const linfen = await register('临汾焊工', [scenario.provider], { windowStart: '2020-11-01', windowEnd: '2021-09-30', minTrained: 300, minPassRate: 0, minEmploymentRate: 0.3, minEmployed: 100, requiresEthicsTraining: false });
      expect(await qualification(linfen, '2022-03-01')).toMatchObject({ trained: 420, employedInIndustry: 250, qualifies: true, unmet: [] });
      expect((await qualification(zhuzhou, '2022-03-01')).qualifies).toBe(false);
      const demanding = await register('株洲铆焊工（高标准）', [scenario.provider], { ...ZHUZHOU_2021, minEmployed: 350 });
      expect((await qualification(demanding, '2021-09-30')).unmet).toEqual([{ criterion: 'minEmployed', actual: 300, required: 350 }]);
    });

    it('certifies city → provincial only on qualifying dates, keeping the figures, and refuses with the unmet criteria', async () => {
      expect((await call('POST', `/api/v1/brands/${zhuzhou}/certifications`, { tier: 'provincial', decidedOn: '2021-10-10' }, provincialOfficer)).body).toMatchObject({ status: 409, rule: 'requires_city_certification' });
      const city = await call('POST', `/api/v1/brands/${zhuzhou}/certifications`, { tier: 'city', decidedOn: '2021-10-10' });
      expect(city).toMatchObject({ status: 201, body: { tier: 'city', decidedOn: '2021-10-10', figures: { trained: 420, employedInIndustry: 300, qualifies: true }, basedOnFactSequence: expect.any(Number) } });
      expect((await call('POST', `/api/v1/brands/${zhuzhou}/certifications`, { tier: 'city', decidedOn: '2021-10-11' })).body).toMatchObject({ rule: 'tier_already_certified' });
      expect((await call('POST', `/api/v1/brands/${zhuzhou}/certifications`, { tier: 'national', decidedOn: '2021-10-11' }, nationalOfficer)).body).toMatchObject({ rule: 'requires_provincial_certification' });
      const refused = await call('POST', `/api/v1/brands/${zhuzhou}/certifications`, { tier: 'provincial', decidedOn: '2022-03-05' }, provincialOfficer);
      expect(refused).toMatchObject({ status: 409, body: { rule: 'brand_does_not_qualify', unmet: [{ criterion: 'minEmploymentRate', actual: 0.5952, required: 0.7 }] } });
      expect((await call('POST', `/api/v1/brands/${zhuzhou}/certifications`, { tier: 'provincial', decidedOn: '2021-12-01' }, provincialOfficer)).status).toBe(201);

      expect(await call('POST', `/api/v1/brands/${zhuzhou}/certifications/city/revocation`, { reason: '复核不达标' })).toMatchObject({ status: 200, body: { tier: 'city', status: 'revoked' } });
      expect((await call('POST', `/api/v1/brands/${zhuzhou}/certifications/city/revocation`, { reason: 'again' })).body).toMatchObject({ rule: 'tier_not_certified' });
      const brand = (await call('GET', `/api/v1/brands/${zhuzhou}`)).body;
      expect(brand).toMatchObject({ id: zhuzhou, name: '株洲新希望铆焊工', industryCode: 'C37', policy: ZHUZHOU_2021 });
      expect(brand.certifications.map((c: { tier: string; status: string }) => [c.tier, c.status])).toEqual([['city', 'revoked'], ['provincial', 'standing']]);
    });
  });

  it('counts each enrolment by its latest correction from the correction’s date, in the skill and the ethics courses alike', async () => {
    const provider = testCreditCode(7002);
    const traineeId = randomUUID();
    const enrollmentId = randomUUID();
    const ethics = { traineeId: randomUUID(), enrollmentId: randomUUID(), kind: 'ethics_and_law' as const, passed: true };
    const brand = await register('株洲铆焊工（更正）', [provider], { ...ZHUZHOU_2021, minTrained: 1, minPassRate: 0, minEmploymentRate: 0 });
    await publishFacts(host, [
      // Passed in the window, then corrected to a fail dated after it.
      resultMessage(provider, { traineeId, enrollmentId, assessedOn: '2021-09-28', passed: true, version: 3 }),
      resultMessage(provider, { traineeId, enrollmentId, assessedOn: '2021-10-08', passed: false, version: 4 }),
      // The ethics course's only result, its date corrected to before the window.
      resultMessage(provider, { ...ethics, assessedOn: '2021-03-15', version: 3 }),
      resultMessage(provider, { ...ethics, assessedOn: '2020-10-15', version: 4 }),
    ]);
    expect(await qualification(brand, '2021-10-07')).toMatchObject({ trained: 1, passed: 1, ethicsTrainingHeld: false });
    expect(await qualification(brand, '2021-10-08')).toMatchObject({ trained: 0, passed: 0, ethicsTrainingHeld: false, qualifies: false });
  });

  it.each([
    ['a window that ends before it starts', { windowStart: '2021-09-30', windowEnd: '2020-11-01' }, 'policy.windowEnd'],
    ['a pass rate above 1', { minPassRate: 85 }, 'policy.minPassRate'],
    ['a negative employment rate', { minEmploymentRate: -0.1 }, 'policy.minEmploymentRate'],
    ['a window start that is not a date', { windowStart: '2021-13-01' }, 'policy.windowStart'],
  ])('refuses a policy with %s, naming the field', async (_case, change, field) => {
    const answer = await call('POST', '/api/v1/brands', { bureauId, name: 'x', tier: 'city', industryCode: 'C37', occupationCodes: ['6-18-02-04'], buildingUnits: [testCreditCode(7100)], policy: { ...ZHUZHOU_2021, ...change } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('answers 404 for an unknown brand or bureau and 400 for an unknown tier or a future decision', async () => {
    const unknown = randomUUID();
    expect((await call('GET', `/api/v1/brands/${unknown}/qualification`)).status).toBe(404);
    expect((await call('GET', `/api/v1/brands/${unknown}`)).status).toBe(404);
    // An officer of the bureau the request names, which was never registered.
    const unknownOfficer = await issuer.token({ role: 'bureau_officer', organisationId: unknown });
    expect((await call('POST', '/api/v1/brands', { bureauId: unknown, name: 'x', tier: 'city', industryCode: 'C37', occupationCodes: ['6-18-02-04'], buildingUnits: [testCreditCode(7101)], policy: ZHUZHOU_2021 }, unknownOfficer)).status).toBe(404);
    const brand = await register('空品牌', [testCreditCode(7102)], ZHUZHOU_2021);
    expect((await call('POST', `/api/v1/brands/${brand}/certifications/county/revocation`, { reason: 'x' })).body.errors[0].field).toBe('tier');
    expect((await call('POST', `/api/v1/brands/${brand}/certifications`, { tier: 'city', decidedOn: '2999-01-01' })).body.errors[0].field).toBe('decidedOn');
    expect(await qualification(brand, '2021-09-30')).toMatchObject({ trained: 0, passRate: 0, employmentRate: 0, qualifies: false });
  });

  it('refuses a qualification as of a day after today (business day, China), naming asOf, and answers one as of today', async () => {
    const brand = await register('明日品牌', [testCreditCode(7103)], ZHUZHOU_2021);
    const today = businessDateOf(new Date());
    const tomorrow = businessDateOf(new Date(Date.now() + 24 * 3600_000));
    for (const asOf of [tomorrow, '2030-01-01']) {
      expect(await call('GET', `/api/v1/brands/${brand}/qualification?asOf=${asOf}`)).toMatchObject({ status: 400, body: { errors: [{ field: 'asOf', rule: 'date_in_future' }] } });
    }
    expect(await call('GET', `/api/v1/brands/${brand}/qualification?asOf=${today}`)).toMatchObject({ status: 200, body: { asOf: today } });
  });
});
