// No decision on facts that have not caught up, when the facts are here but not all in a brand's figures:
// a brand whose backfill after its registration was cut short, and one counted by an earlier counting rule
// (FiguresUpgrade). Its certification is refused with 503 facts_not_caught_up and records nothing, a
// consistent read is refused alike and a plain one does not say it is complete, until its figures are
// counted again; then they are a rebuild's. And what needs no facts (who may decide, whether the brand
// exists, a date after today, the tier rules) is answered before waiting for them: 403, 404, 400 and 409,
// not 503, while the facts lag.
// In one process, brand-service alone; the bureaus are registered by a platform_admin.
import { PLACEMENT_TOPIC, TRAINING_TOPIC } from '@skills/contracts';
import { CatchUp, FactsNotCaughtUp, LATEST_BUSINESS_DATE } from '@skills/service-runtime';
import { bearer, createTestDatabase, http, startTestHost, TestDatabase, TestHost, testCreditCode, TestIssuer, testIssuer, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { BrandModule } from '../brand.module';
import { registerBuildingUnits } from '../brands/register-brand/building-unit-facts';
import { BrandFigures, EMPLOYMENT_FACTS_CONSUMER, TRAINING_FACTS_CONSUMER } from './brand-figures';
import { brandScenario, ZHUZHOU_2021 } from './brand-scenario';
import { FIGURES_RULE, FiguresUpgrade } from './figures-upgrade';

/** Met by the scenario's figures once 50 trainees are counted: partial figures would qualify too. */
const LENIENT = { ...ZHUZHOU_2021, minTrained: 50, minPassRate: 0, minEmploymentRate: 0, requiresEthicsTraining: false };
const DATES = ['2021-03-14', '2021-09-30', '2022-03-01'];
/** Some session of the database waits on a lock that backend $1 holds (cf. libs/testing overlapping). */
const BLOCKED_BY = "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND $1::int = ANY (pg_blocking_pids(pid))";

describe("brand figures not counted yet: no decision on them, and no read says they are complete", () => {
  let database: TestDatabase;
  let host: TestHost;
  let sql: Client;
  let issuer: TestIssuer;
  let admin: string;
  let bureauId: string;
  let officer: string;
  let changshaOfficer: string;
  let hunanOfficer: string;
  const scenario = brandScenario(testCreditCode(7301));
  const call = (method: string, path: string, body?: unknown, token = officer) => http(host.baseUrl, method, path, body, bearer(token));
  const figuresOf = async (brandId: string, asOf: string) => {
    const { freshness: _freshness, unmet: _unmet, qualifies: _qualifies, ...figures } = (await call('GET', `/api/v1/brands/${brandId}/qualification?asOf=${asOf}`)).body;
    return figures;
  };
  const certify = (brandId: string, token = officer) => call('POST', `/api/v1/brands/${brandId}/certifications`, { tier: 'city', decidedOn: '2021-10-10' }, token);
  const decide = (brandId: string, tier: string, decidedOn: string, token = officer) => call('POST', `/api/v1/brands/${brandId}/certifications`, { tier, decidedOn }, token);
  const freshnessOf = async (brandId: string, consistent = true) => {
    const answer = await call('GET', `/api/v1/brands/${brandId}/qualification?asOf=2021-10-10${consistent ? '&consistent=true' : ''}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('pending-facts')).toBe(String(answer.body.freshness.pendingFacts));
    return answer.body.freshness;
  };
  const certifications = async (brandId: string) => (await call('GET', `/api/v1/brands/${brandId}`)).body.certifications;
  const ruleOf = async (brandId: string) => (await sql.query('SELECT figures_rule FROM brand.brand_scopes WHERE brand_id = $1', [brandId])).rows[0].figures_rule;
  const register = async (name: string) => {
    const answer = await call('POST', '/api/v1/brands', { bureauId, name, tier: 'city', industryCode: 'C37', occupationCodes: ['6-18-02-04'], buildingUnits: [scenario.provider], policy: LENIENT });
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };
  /** The backfill of the next registration goes 100 trainees a batch, and stops with an error after its first. */
  const cutShortAfterFirstBatch = () => {
    const figures = host.app.get(BrandFigures);
    const backfill = figures.backfill.bind(figures);
    jest.spyOn(figures, 'backfill').mockImplementationOnce((brandId: string) => backfill(brandId, 100));
    const inside = figures as unknown as { recomputeMany(tx: unknown, brandId: string, traineeIds: string[]): Promise<void> };
    const recomputeMany = inside.recomputeMany.bind(figures);
    jest
      .spyOn(inside, 'recomputeMany')
      .mockImplementationOnce(recomputeMany)
      .mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
  };
  /** A message a consumer could not apply, as it parks one; `applied` is its retry succeeding. */
  const park = async (consumer: string, topic: string, payload: Record<string, unknown>) =>
    (
      await sql.query<{ id: string }>(
        `INSERT INTO brand.dead_letters (consumer, topic, message_id, envelope, error) VALUES ($1, $2, gen_random_uuid(), $3, 'probe') RETURNING message_id::text AS id`,
        [consumer, topic, { type: 'probe', aggregateId: randomUUID(), payload }],
      )
    ).rows[0].id;
  const applied = (consumer: string, id: string) => sql.query('INSERT INTO brand.inbox (consumer, message_id) VALUES ($1, $2)', [consumer, id]);
  /** The refusal of a decision or a consistent read on figures not counted: 503 with Retry-After. */
  const notCaughtUp = (answer: Awaited<ReturnType<typeof call>>) => {
    expect(answer).toMatchObject({ status: 503, body: { rule: 'facts_not_caught_up' } });
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  };

  beforeAll(async () => {
    issuer = await testIssuer();
    database = await createTestDatabase();
    host = await startTestHost({ modules: [BrandModule], transport: 'in-process', databaseUrl: database.url });
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    // The start's upgrade (beside the service) is done before the tests stub parts of the figures.
    await waitFor(async () => ((await sql.query('SELECT rule FROM brand.brand_figures_rule')).rows[0]?.rule === FIGURES_RULE ? true : undefined), { description: 'the start to record the rule' });
    admin = await issuer.token({ role: 'platform_admin' });
    bureauId = (await call('POST', '/api/v1/bureaus', { name: '株洲市人力资源和社会保障局', regionCode: '430200' }, admin)).body.id;
    officer = await issuer.token({ role: 'bureau_officer', organisationId: bureauId });
    const changsha = (await call('POST', '/api/v1/bureaus', { name: '长沙市人力资源和社会保障局', regionCode: '430100' }, admin)).body.id;
    changshaOfficer = await issuer.token({ role: 'bureau_officer', organisationId: changsha });
    const hunan = (await call('POST', '/api/v1/bureaus', { name: '湖南省人力资源和社会保障厅', regionCode: '430000' }, admin)).body.id;
    hunanOfficer = await issuer.token({ role: 'bureau_officer', organisationId: hunan });
    // The facts come first: each brand's figures are filled by its registration's backfill.
    await scenario.publish(host);
    await registerBuildingUnits(host, [scenario.provider]);
  }, 60_000);

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    await sql?.end();
    await host?.close();
    await database?.drop();
  });

  it('refuses to certify a brand whose backfill was cut short, recording nothing, until the upgrade at start has counted it as a rebuild does', async () => {
    cutShortAfterFirstBatch();
    // A crash: nothing resumes it before the next start.
    jest.spyOn(host.app.get(FiguresUpgrade), 'resume').mockImplementation(() => undefined);
    const brand = await register('株洲铆焊工（中断）');
    expect(await ruleOf(brand)).toBeNull();
    const partial = await figuresOf(brand, '2021-09-30');
    expect(partial.trained).toBeGreaterThanOrEqual(LENIENT.minTrained);
    expect(partial.trained).toBeLessThan(scenario.expected['2021-09-30'].trained);

    notCaughtUp(await certify(brand));
    expect(await certifications(brand)).toEqual([]);
    notCaughtUp(await call('GET', `/api/v1/brands/${brand}/qualification?asOf=2021-09-30&consistent=true`));
    notCaughtUp(await call('GET', `/api/v1/brands/${brand}/qualification/series?consistent=true`));
    const plain = await call('GET', `/api/v1/brands/${brand}/qualification?asOf=2021-09-30`);
    expect(plain).toMatchObject({ status: 200, body: { trained: partial.trained, freshness: { completeUpTo: null, pendingFacts: null } } });
    expect(plain.headers.get('complete-up-to')).toBeNull();
    const series = await call('GET', `/api/v1/brands/${brand}/qualification/series`);
    expect(series).toMatchObject({ status: 200, body: { freshness: { completeUpTo: null, pendingFacts: null } } });

    // The next start, once the backfill has been silent a while (its process gone).
    jest.restoreAllMocks();
    await sql.query("UPDATE brand.brand_scopes SET counting_at = now() - interval '1 minute' WHERE brand_id = $1", [brand]);
    expect(await host.app.get(FiguresUpgrade).upgrade()).toBe(1);
    expect(await ruleOf(brand)).toBe(FIGURES_RULE);
    const upgraded = await Promise.all(DATES.map((date) => figuresOf(brand, date)));
    expect(upgraded[1]).toMatchObject({ trained: 420, passed: 361, employedInIndustry: 300 });
    expect(await call('POST', `/admin/brands/${brand}/figures/rebuild`, undefined, admin)).toMatchObject({ status: 200 });
    expect(await Promise.all(DATES.map((date) => figuresOf(brand, date)))).toEqual(upgraded);
    expect((await call('GET', `/api/v1/brands/${brand}/qualification?consistent=true`)).body.freshness.completeUpTo).toEqual(expect.any(String));
    expect(await certify(brand)).toMatchObject({ status: 201, body: { figures: { trained: 420 } } });
  });

  it('answers a registration whose backfill failed as registered, and counts its figures in the background', async () => {
    cutShortAfterFirstBatch();
    const brand = await register('株洲铆焊工（重试）');
    await waitFor(async () => ((await ruleOf(brand)) === FIGURES_RULE ? true : undefined), { description: 'the figures to be counted again' });
    expect(await figuresOf(brand, '2021-09-30')).toMatchObject({ trained: 420, passed: 361, employedInIndustry: 300 });
    expect(await certify(brand)).toMatchObject({ status: 201, body: { figures: { trained: 420 } } });
  });

  it('runs a rebuild between two batches of a backfill, never beside one, to the same figures', async () => {
    const figures = host.app.get(BrandFigures);
    const backfill = figures.backfill.bind(figures);
    jest.spyOn(figures, 'backfill').mockImplementationOnce((brandId: string) => backfill(brandId, 100));
    const inside = figures as unknown as { recomputeMany(tx: unknown, brandId: string, traineeIds: string[]): Promise<void> };
    const recomputeMany = inside.recomputeMany.bind(figures);
    let rebuilt: Promise<void> | undefined;
    let beside: string | undefined;
    // In the first batch's transaction, before it counts: a rebuild of the brand starts (an upgrade at another replica's start).
    // The batch goes on once the rebuild's session waits on a lock the batch holds, or once the rebuild
    // ended, which it must not have: it ran beside the batch.
    jest.spyOn(inside, 'recomputeMany').mockImplementationOnce(async (tx, brandId, traineeIds) => {
      let settled = false;
      rebuilt = figures.rebuild(brandId);
      void rebuilt.then(
        () => (settled = true),
        () => (settled = true),
      );
      const batch = (await (tx as Client).query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      const blockedByTheBatch = async () => (await sql.query(BLOCKED_BY, [batch])).rows.length > 0;
      await waitFor(async () => settled || (await blockedByTheBatch()) || undefined, { description: 'the rebuild to wait on the batch, or to end' });
      beside = settled ? 'rebuilt' : 'waiting';
      return recomputeMany(tx, brandId, traineeIds);
    });
    const brand = await register('株洲铆焊工（重建）');
    await rebuilt;
    expect(beside).toBe('waiting');
    expect(await ruleOf(brand)).toBe(FIGURES_RULE);
    expect(await figuresOf(brand, '2021-09-30')).toMatchObject({ trained: 420, passed: 361, employedInIndustry: 300 });
  });

  it('leaves a backfill that goes on elsewhere to finish, rather than rebuilding the brand beside it at a start', async () => {
    const brand = await register('株洲铆焊工（另一副本）');
    // As another replica's registration leaves it between two batches of its backfill.
    await sql.query('UPDATE brand.brand_scopes SET figures_rule = NULL, counting_at = now() WHERE brand_id = $1', [brand]);
    const upgrade = host.app.get(FiguresUpgrade);
    const rebuild = jest.spyOn(host.app.get(BrandFigures), 'rebuild');
    const resume = jest.spyOn(upgrade, 'resume').mockImplementation(() => undefined);
    expect(await upgrade.upgrade()).toBe(0);
    expect(rebuild).not.toHaveBeenCalled();
    expect(resume).toHaveBeenCalledWith(brand);
    // Silent a while: gone with its process; the next look rebuilds it.
    await sql.query("UPDATE brand.brand_scopes SET counting_at = now() - interval '1 minute' WHERE brand_id = $1", [brand]);
    expect(await upgrade.upgrade()).toBe(1);
    expect(await ruleOf(brand)).toBe(FIGURES_RULE);
  });

  it('counts a new brand by the current rule once its backfill is done', async () => {
    const brand = await register('株洲铆焊工');
    expect(await ruleOf(brand)).toBe(FIGURES_RULE);
    expect((await call('GET', `/api/v1/brands/${brand}/qualification?consistent=true`)).status).toBe(200);
  });

  it('refuses to certify a brand counted by an earlier rule, recording nothing, until the upgrade has rebuilt it', async () => {
    const brand = await register('株洲铆焊工（旧规则）');
    await sql.query('UPDATE brand.brand_scopes SET figures_rule = 1 WHERE brand_id = $1', [brand]);
    notCaughtUp(await certify(brand));
    expect(await certifications(brand)).toEqual([]);
    notCaughtUp(await call('GET', `/api/v1/brands/${brand}/qualification?consistent=true`));
    expect((await call('GET', `/api/v1/brands/${brand}/qualification`)).body.freshness).toEqual({ completeUpTo: null, pendingFacts: null });

    expect(await host.app.get(FiguresUpgrade).upgrade()).toBe(1);
    expect(await ruleOf(brand)).toBe(FIGURES_RULE);
    expect(await certify(brand)).toMatchObject({ status: 201, body: { figures: { trained: 420 } } });
    expect(await host.app.get(FiguresUpgrade).upgrade()).toBe(0);
  });

  it('refuses to certify a brand while a fact its figures may lack waits as a dead letter (a result in its course, an employment of its trainee), and not for another’s; a read of its figures says it lacks them', async () => {
    const brand = await register('株洲铆焊工（死信）');
    const [brandTrainee] = scenario.trainees;
    // Another provider's course, another person's employment, a letter with no trainee: not the brand's figures.
    await park(TRAINING_FACTS_CONSUMER, TRAINING_TOPIC, { traineeId: randomUUID(), course: { providerCreditCode: testCreditCode(7302), occupationCode: '6-18-02-04' } });
    await park(EMPLOYMENT_FACTS_CONSUMER, PLACEMENT_TOPIC, { traineeId: randomUUID() });
    await park(EMPLOYMENT_FACTS_CONSUMER, PLACEMENT_TOPIC, { traineeId: 'not-an-id' });

    expect(await freshnessOf(brand)).toEqual({ completeUpTo: expect.any(String), pendingFacts: 0 });
    const result = await park(TRAINING_FACTS_CONSUMER, TRAINING_TOPIC, { traineeId: randomUUID(), course: { providerCreditCode: scenario.provider, occupationCode: '6-18-02-04' } });
    notCaughtUp(await certify(brand));
    // Read, with ?consistent=true too: answered as the figures stand, not called complete (no wait brings the letter).
    expect(await freshnessOf(brand)).toEqual({ completeUpTo: null, pendingFacts: 1 });
    expect(await freshnessOf(brand, false)).toEqual({ completeUpTo: null, pendingFacts: 1 });
    await applied(TRAINING_FACTS_CONSUMER, result);
    // An ethics-and-law course of a building unit counts whatever its occupation.
    const ethics = await park(TRAINING_FACTS_CONSUMER, TRAINING_TOPIC, { traineeId: randomUUID(), course: { providerCreditCode: scenario.provider, occupationCode: '2-02-07-04', kind: 'ethics_and_law' } });
    notCaughtUp(await certify(brand));
    await applied(TRAINING_FACTS_CONSUMER, ethics);
    const employment = await park(EMPLOYMENT_FACTS_CONSUMER, PLACEMENT_TOPIC, { traineeId: brandTrainee });
    notCaughtUp(await certify(brand));
    expect(await certifications(brand)).toEqual([]);
    await applied(EMPLOYMENT_FACTS_CONSUMER, employment);
    expect(await certify(brand)).toMatchObject({ status: 201, body: { figures: { trained: 420 } } });
  });

  it('answers an unknown brand and a bureau that may not decide at once while the facts lag, and only who may decide waits', async () => {
    const brand = await register('株洲铆焊工（滞后）');
    // Training's and placement's facts do not catch up within CATCH_UP_WAIT_MS.
    const facts = jest.spyOn(host.app.get(CatchUp, { strict: false }), 'facts').mockRejectedValue(new FactsNotCaughtUp([TRAINING_TOPIC, PLACEMENT_TOPIC]));
    // Another region's bureau, and the province's (which decides the provincial tier only).
    expect(await certify(brand, changshaOfficer)).toMatchObject({ status: 403, body: { rule: 'permission_denied', permission: 'brands:certify' } });
    expect(await certify(brand, hunanOfficer)).toMatchObject({ status: 403, body: { rule: 'permission_denied', permission: 'brands:certify' } });
    expect(await certify(randomUUID())).toMatchObject({ status: 404, body: { entity: 'brand' } });
    expect(facts).not.toHaveBeenCalled();
    notCaughtUp(await certify(brand));
    expect(facts).toHaveBeenCalledTimes(1);
    expect(await certifications(brand)).toEqual([]);
  });

  /** Each way a decision on the brand's figures is answered 503; what it returns undoes it (the mocks are restored after each test). */
  const lags: Record<string, (brand: string) => Promise<(() => Promise<unknown>) | void>> = {
    'training’s and placement’s facts do not catch up': async () => {
      jest.spyOn(host.app.get(CatchUp, { strict: false }), 'facts').mockRejectedValue(new FactsNotCaughtUp([TRAINING_TOPIC, PLACEMENT_TOPIC]));
    },
    'its figures are still being counted': async (brand) => {
      await sql.query('UPDATE brand.brand_scopes SET figures_rule = 1 WHERE brand_id = $1', [brand]);
    },
    // Every brand of this spec has the scenario's provider as its building unit.
    'a result in its course waits as a dead letter': async () => {
      const result = await park(TRAINING_FACTS_CONSUMER, TRAINING_TOPIC, { traineeId: randomUUID(), course: { providerCreditCode: scenario.provider, occupationCode: '6-18-02-04' } });
      return () => applied(TRAINING_FACTS_CONSUMER, result);
    },
  };

  it.each(Object.keys(lags))('answers a date after today and the tier rules at once while %s: 400 and 409, not 503, recording nothing', async (lag) => {
    const brand = await register(`株洲铆焊工（${lag}）`);
    expect(await certify(brand)).toMatchObject({ status: 201, body: { tier: 'city', decidedOn: '2021-10-10' } });
    const undo = await lags[lag](brand);
    try {
      const answers = {
        afterToday: await decide(brand, 'city', LATEST_BUSINESS_DATE),
        standing: await decide(brand, 'city', '2021-10-12'),
        beforeALaterOne: await decide(brand, 'city', '2021-10-05'),
        noCityBelow: await decide(brand, 'provincial', '2021-10-05', hunanOfficer),
      };
      expect(answers).toMatchObject({
        afterToday: { status: 400, body: { errors: [{ field: 'decidedOn', rule: 'date_in_future' }] } },
        standing: { status: 409, body: { rule: 'tier_already_certified', standingSince: '2021-10-10' } },
        beforeALaterOne: { status: 409, body: { rule: 'tier_already_certified', laterDecidedOn: '2021-10-10' } },
        noCityBelow: { status: 409, body: { rule: 'requires_city_certification', asOf: '2021-10-05' } },
      });
      // The same bureau's decision that only the figures can judge waits for them, and is refused.
      notCaughtUp(await decide(brand, 'provincial', '2021-10-12', hunanOfficer));
      expect(await certifications(brand)).toHaveLength(1);
    } finally {
      await undo?.();
    }
  });
});
