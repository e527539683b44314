// The statistics a bureau reports (domain.md section 6, api.md Statistics), on the facts of
// statistics-scenario.ts: every figure below is counted by hand from the table there. In one process;
// the producers' side (each message carries its organisation's region) is covered by their own specs.
import { randomUUID } from 'node:crypto';
import { ServiceRegistry } from '@skills/service-runtime';
import { TRAINEE_TOPIC } from '@skills/contracts';
import { bearer, createTestDatabase, fact, http, publishFacts, startTestHost, TestDatabase, TestHost, TestIssuer, testIssuer } from '@skills/testing';
import { LOG_START, readAll, RecordedEvent } from '@skills/event-sourcing';
import { PoolClient } from 'pg';
import { Database } from '@skills/postgres';
import { Workbook } from 'exceljs';
import { businessDateOf } from '@skills/domain-kernel';
import { BrandModule } from '../brand.module';
import { monthsAfter, periodsOf } from './figures/periods';
import { StatisticsFactRecorded } from './facts/statistics-fact';
import { providerOutcomes } from './read-models/provider-outcomes.projection';
import { regionStatistics } from './read-models/region-statistics.projection';
import { ELECTRICIAN, statisticsScenario, WELDER } from './statistics-scenario';

const ZERO_LEVELS = { apprentice: 0, junior: 0, intermediate: 0, senior: 0, technician: 0, senior_technician: 0, special_technician: 0, chief_technician: 0 };
const ZERO_ROUTES = { assessment: 0, direct: 0, exceptional: 0, appointment: 0, imported: 0 };
const NOTHING = {
  trainingSessions: 0,
  trained: 0,
  passed: 0,
  passRate: 0,
  certificatesIssued: 0,
  certificatesByLevel: ZERO_LEVELS,
  certificatesByRoute: ZERO_ROUTES,
  revocations: 0,
  newHighSkillTalents: 0,
  highSkillTalents: 0,
  hires: 0,
  medianMonthlyWageByLevel: {},
};
/** A category's figures where each count is under 5: none shown (docs/statistics.md, Categories). */
const HIDDEN = {
  trainingSessions: null,
  trained: null,
  passed: null,
  passRate: null,
  certificatesIssued: null,
  certificatesByLevel: Object.fromEntries(Object.keys(ZERO_LEVELS).map((level) => [level, null])),
  certificatesByRoute: Object.fromEntries(Object.keys(ZERO_ROUTES).map((route) => [route, null])),
  revocations: null,
  newHighSkillTalents: null,
  highSkillTalents: null,
  hires: null,
};

describe('region statistics and school outcomes', () => {
  const scenario = statisticsScenario();
  let database: TestDatabase;
  let host: TestHost;
  let issuer: TestIssuer;
  let admin: string;
  const call = (path: string, token = admin) => http(host.baseUrl, 'GET', path, undefined, bearer(token));
  /** The figures alone: how fresh they are is checked in e2e/src/catch-up.e2e-spec.ts. */
  const region = async (code: string, period: string, extra = '') => {
    const answer = await call(`/api/v1/statistics/regions/${code}?period=${period}&consistent=true${extra}`);
    expect(answer.status).toBe(200);
    const { freshness: _freshness, ...figures } = answer.body;
    return figures;
  };
  /**
   * What the read model holds per category (all occupations, no dimension), for figures the answer no
   * longer shows under 5: `{category: {figure: sum}}`, sums of 0 left out.
   */
  const categorySums = async (code: string, period: string) => {
    const { rows } = await host.app.get(Database, { strict: false }).query<{ category: string; figure: string; value: number }>(
      `SELECT category, figure, sum(value)::float8 AS value FROM ${regionStatistics.table}
       WHERE region_code = $1 AND period = $2 AND occupation_code = '*' AND category <> '*' AND dimension = '' GROUP BY category, figure HAVING sum(value) <> 0`,
      [code, period],
    );
    const sums: Record<string, Record<string, number>> = {};
    for (const row of rows) sums[row.category] = { ...sums[row.category], [row.figure]: row.value };
    return sums;
  };
  const outcomes = async (providerId: string, period: string, token = admin) => {
    const answer = await call(`/api/v1/statistics/providers/${providerId}/outcomes?period=${period}&consistent=true`, token);
    expect(answer.status).toBe(200);
    const { freshness: _freshness, ...figures } = answer.body;
    return figures;
  };

  beforeAll(async () => {
    issuer = await testIssuer();
    database = await createTestDatabase();
    host = await startTestHost({ modules: [BrandModule], transport: 'in-process', databaseUrl: database.url });
    admin = await issuer.token({ role: 'platform_admin' });
    // The schools are known before their first result (the one message without the school's region needs it).
    await publishFacts(host, scenario.facts.slice(0, 2));
    await region('000000', '2025');
    await publishFacts(host, scenario.facts.slice(2));
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  describe('before the backdated certificate arrives', () => {
    it('counts a closed quarter from what has arrived', async () => {
      expect(await region('430200', '2025-Q2')).toMatchObject({ certificatesIssued: 0, newHighSkillTalents: 0, highSkillTalents: 0 });
      // t7 held no level when hired on 07-15 yet: the "none" cell has seven wages, the senior one one.
      expect(await region('430200', '2025-Q3')).toMatchObject({ hires: 8, highSkillTalents: 1, medianMonthlyWageByLevel: { none: 7000, senior: null } });
    });
  });

  describe('with every fact', () => {
    beforeAll(async () => {
      await publishFacts(host, [scenario.backdated]);
    });

    it('moves the backdated certificate into its closed quarter, and changes Q3 only where it counts there', async () => {
      expect(await region('430200', '2025-Q2')).toMatchObject({
        certificatesIssued: 1,
        certificatesByLevel: { ...ZERO_LEVELS, senior: 1 },
        newHighSkillTalents: 1,
        highSkillTalents: 1,
      });
      // t7 now held senior on 07-15: the hire leaves the "none" cell (6 wages: 5000 5500 6500 7000 7500 8000).
      // Their median 6750, to the nearest 100.
      expect(await region('430200', '2025-Q3')).toMatchObject({ highSkillTalents: 2, medianMonthlyWageByLevel: { none: 6800, senior: null } });
    });

    it("answers a city's quarter: training by its schools, certificates by its evaluators, hires by its employers", async () => {
      expect(await region('430200', '2025-Q3')).toEqual({
        regionCode: '430200',
        period: '2025-Q3',
        occupationCode: null,
        // t1 and t2 (one session: the correction replaces the failed result) passed, t3 failed (its message had no region: the replica's).
        trainingSessions: 3,
        trained: 3,
        passed: 2,
        passRate: 0.6667,
        // t5 senior, t6 intermediate, t8 senior; t8's revoked on 09-20.
        certificatesIssued: 3,
        certificatesByLevel: { ...ZERO_LEVELS, intermediate: 1, senior: 2 },
        certificatesByRoute: { ...ZERO_ROUTES, assessment: 3 },
        revocations: 1,
        // t5 (08-15) and t8 (07-01, revoked later: they held it from then); t7's was in Q2.
        newHighSkillTalents: 2,
        // On 09-30: t5 and t7; t8 no longer.
        highSkillTalents: 2,
        // t1 t3 t4 t5 t7 t8 t9 t10; t2 started in December, t6 works for a Changsha employer.
        hires: 8,
        // t8 was hired after the revocation: no level. Senior: t5 and t7, under 5 hires, not shown. None: 6750, to the nearest 100.
        medianMonthlyWageByLevel: { none: 6800, senior: null },
        // Every category counts fewer than 5 of everything: nothing shown, and everyone's wage levels, each null.
        byCategory: Object.fromEntries(['poverty_registered', 'urban_unemployed', 'rural_migrant', 'veteran', 'disabled', 'graduate'].map((category) => [category, { ...HIDDEN, medianMonthlyWageByLevel: { none: null, senior: null } }])),
      });
      // What the categories hold, not shown: t1 (rural migrant) and t2 (rural migrant, registered poor).
      expect(await categorySums('430200', '2025-Q3')).toEqual({
        poverty_registered: { sessions: 1, trained: 1, passed: 1 },
        rural_migrant: { sessions: 2, trained: 2, passed: 2, hires: 1 },
      });
    });

    it('adds what lies inside a province, each person once', async () => {
      expect(await region('430000', '2025-Q3')).toMatchObject({
        // t1 was trained in Zhuzhou and in Changsha: two sessions, one person.
        trainingSessions: 4,
        trained: 3,
        passed: 2,
        passRate: 0.6667,
        certificatesIssued: 4,
        certificatesByLevel: { ...ZERO_LEVELS, intermediate: 1, senior: 2, technician: 1 },
        certificatesByRoute: { ...ZERO_ROUTES, assessment: 3, exceptional: 1 },
        revocations: 1,
        // t5 reached rank 4 in two occupations (welder 08-15 in Zhuzhou, electrician 09-01 in Changsha): once.
        newHighSkillTalents: 2,
        highSkillTalents: 2,
        hires: 9,
        medianMonthlyWageByLevel: { none: 6800, senior: null, intermediate: null },
        byCategory: expect.objectContaining({ rural_migrant: expect.objectContaining({ trainingSessions: null, trained: null, passed: null, hires: null }) }),
      });
      expect((await categorySums('430000', '2025-Q3')).rural_migrant).toEqual({ sessions: 3, trained: 2, passed: 2, hires: 1 });
      // Changsha saw t5 reach technician, but t5 had been high-skill talent since August: not new there; standing there.
      expect(await region('430100', '2025-Q3')).toMatchObject({ trainingSessions: 1, trained: 1, passed: 1, passRate: 1, certificatesIssued: 1, newHighSkillTalents: 0, highSkillTalents: 1, hires: 1 });
      // A district counts its own organisations only: the Zhuzhou evaluator is in 430203, the school in 430202.
      expect(await region('430202', '2025-Q3')).toMatchObject({ trainingSessions: 3, certificatesIssued: 0, hires: 8 });
      expect(await region('430203', '2025-Q3')).toMatchObject({ trainingSessions: 0, certificatesIssued: 3, highSkillTalents: 2 });
    });

    it('answers a year and a month, and one occupation', async () => {
      expect(await region('430000', '2025')).toMatchObject({
        trainingSessions: 5,
        trained: 4,
        passed: 3,
        passRate: 0.75,
        certificatesIssued: 5,
        newHighSkillTalents: 3,
        highSkillTalents: 2,
        revocations: 1,
        hires: 10,
        // 5000 5500 6000 6500 7000 7500 8000: t2's December hire joins.
        medianMonthlyWageByLevel: { none: 6500, senior: null, intermediate: null },
      });
      expect(await region('430200', '2025-09')).toMatchObject({ trainingSessions: 0, certificatesIssued: 0, revocations: 1, highSkillTalents: 2, hires: 4 });
      expect(await region('430000', '2025-Q3', `&occupationCode=${ELECTRICIAN}`)).toMatchObject({
        trainingSessions: 1,
        trained: 1,
        certificatesIssued: 1,
        // In electricians alone, t5 first reached rank 4 on 09-01.
        newHighSkillTalents: 1,
        highSkillTalents: 1,
        hires: 0,
        medianMonthlyWageByLevel: {},
      });
      expect(await region('430000', '2025-Q3', `&occupationCode=${WELDER}`)).toMatchObject({ trainingSessions: 3, certificatesIssued: 3, newHighSkillTalents: 2, highSkillTalents: 2, hires: 9 });
      expect(await region('440000', '2025-Q3')).toMatchObject(NOTHING);
    });

    it("answers a school's graduates and who of them worked within 3 and 6 months of the course's end", async () => {
      const { welding, advancedWelding } = scenario.courses;
      const school = scenario.org.schoolZhuzhou.id;
      // t1 hired 08-20 (within 3 months of 07-31), t2 on 12-01 (within 6 only).
      expect(await outcomes(school, '2025-Q3')).toEqual({
        providerId: school,
        period: '2025-Q3',
        graduates: 2,
        employedWithin3Months: 1,
        employedWithin6Months: 2,
        courses: [{ courseId: welding.id, title: welding.title, graduates: 2, employedWithin3Months: 1, employedWithin6Months: 2 }],
      });
      // t4 passed on 10-02 and had worked since 08-05: employed at the course's end.
      expect(await outcomes(school, '2025')).toMatchObject({
        graduates: 3,
        employedWithin3Months: 2,
        employedWithin6Months: 3,
        // In the order of their titles (焊工（高级） before 焊工（中级）, by pinyin).
        courses: [
          { courseId: advancedWelding.id, graduates: 1, employedWithin3Months: 1, employedWithin6Months: 1 },
          { courseId: welding.id, graduates: 2, employedWithin3Months: 1, employedWithin6Months: 2 },
        ],
      });
      expect(await outcomes(scenario.org.schoolChangsha.id, '2025-Q3')).toMatchObject({ graduates: 1, employedWithin3Months: 1, employedWithin6Months: 1 });
    });

    it('answers the same after every read model is rebuilt from the log', async () => {
      const before = [await region('430000', '2025-Q3'), await region('430200', '2025'), await outcomes(scenario.org.schoolZhuzhou.id, '2025')];
      const runner = host.app.get(ServiceRegistry).get('brand')!.projections;
      await runner.rebuild('region-statistics');
      await runner.rebuild('provider-outcomes');
      expect([await region('430000', '2025-Q3'), await region('430200', '2025'), await outcomes(scenario.org.schoolZhuzhou.id, '2025')]).toEqual(before);
    });

    it('exports an answer as CSV and as .xlsx with Chinese column titles', async () => {
      const csv = await fetch(`${host.baseUrl}/api/v1/statistics/regions/430200?period=2025-Q3&format=csv&consistent=true`, { headers: bearer(admin) });
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
      expect(lines[0]).toBe('指标,合计,脱贫人口（建档立卡）,城镇登记失业人员,农村转移就业劳动力,退役军人,残疾人,高校毕业生');
      // A category's count under 5 (0 too) is not shown: an empty cell.
      expect(lines).toContain('培训人次,3,,,,,,');
      // The suppressed senior cell stays empty.
      expect(lines).toContain('月工资中位数：高级工,,,,,,,');
      // After the table and an empty row: what it holds; complete, so no warning.
      const notes = lines.slice(lines.indexOf(',,,,,,,') + 1);
      expect(notes.slice(0, 4)).toEqual(['地区：430200（含其下辖地区）,,,,,,,', '统计期：2025年第3季度（2025-Q3），按业务日期,,,,,,,', '职业：全部职业,,,,,,,', expect.stringMatching(/^空白单元格：/)]);
      expect(notes.join('\n')).not.toContain('注意');
      const welders = await fetch(`${host.baseUrl}/api/v1/statistics/regions/430200?period=2025-Q3&occupationCode=${WELDER}&format=csv&consistent=true`, { headers: bearer(admin) });
      expect(welders.headers.get('content-disposition')).toBe(`attachment; filename="statistics-430200-2025-Q3-${WELDER}.csv"`);
      expect(await welders.text()).toContain(`职业：焊工（${WELDER}）`);

      const xlsx = await fetch(`${host.baseUrl}/api/v1/statistics/providers/${scenario.org.schoolZhuzhou.id}/outcomes?period=2025-Q3&consistent=true`, {
        headers: { ...bearer(admin), accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      });
      const workbook = new Workbook();
      await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0];
      expect(sheet.getRow(1).values).toEqual([undefined, '课程编号', '课程名称', '毕业人数', '3个月内就业人数', '6个月内就业人数']);
      expect(sheet.getRow(2).values).toEqual([undefined, scenario.courses.welding.id, '焊工（中级）2025', 2, 1, 2]);
      expect(sheet.getRow(3).values).toEqual([undefined, undefined, '合计', 2, 1, 2]);
      // The school by the name it registered with.
      // Last, when it was made: a file of today's figures says the day and time they were taken.
      expect(workbook.getWorksheet('说明')!.getColumn(1).values.slice(1)).toEqual([
        `学校：株洲焊接学校（${scenario.org.schoolZhuzhou.id}）`,
        '统计期：2025年第3季度（2025-Q3），按考核日期',
        expect.stringMatching(/^制表时间：\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（北京时间）$/),
      ]);
    });
  });

  describe('after an erasure', () => {
    beforeAll(async () => {
      await publishFacts(host, [fact(TRAINEE_TOPIC, 'PersonalDataErased', { traineeId: scenario.t[2], erasedOn: '2026-01-05' }, { key: scenario.t[2] })]);
    });

    it("takes the person out of their categories' figures and keeps them in the totals", async () => {
      const figures = await region('430200', '2025-Q3');
      expect(figures).toMatchObject({ trainingSessions: 3, trained: 3, passed: 2 });
      expect(figures.byCategory.poverty_registered).toMatchObject(HIDDEN);
      const sums = await categorySums('430200', '2025-Q3');
      expect(sums.poverty_registered).toBeUndefined();
      expect(sums.rural_migrant).toMatchObject({ sessions: 1, trained: 1, passed: 1 });
    });
  });

  describe('the read models of the sums', () => {
    /** Every fact the service's log holds, in its order. */
    const recordedFacts = async (tx: PoolClient) => {
      const facts: RecordedEvent[] = [];
      for (let batch = await readAll(tx, LOG_START); batch.length > 0; batch = await readAll(tx, batch[batch.length - 1].position))
        facts.push(...batch.filter((event) => event.type === 'StatisticsFactRecorded'));
      return facts;
    };

    it('add a stretch of the log at once exactly as event by event, corrections, revocations and the erasure in it', async () => {
      const brand = host.app.get(Database, { strict: false });
      await brand.transaction(async (tx) => {
        const facts = await recordedFacts(tx);
        // Every kind of fact the scenario has (no employment ends), and a trainee with several.
        expect(new Set(facts.map((event) => (event.data as { fact: { kind: string } }).fact.kind))).toEqual(new Set(['assessment', 'certificate', 'revocation', 'hire', 'categories']));
        expect(new Set(facts.map((event) => event.streamId)).size).toBeLessThan(facts.length);
        // Another event of the service's log among them, which changes nothing.
        const log = [...facts.slice(0, 5), { ...facts[5], type: 'BrandRegistered' }, ...facts.slice(5)];
        for (const projection of [regionStatistics, providerOutcomes]) {
          await projection.createTable(tx, 'one_by_one');
          await projection.createTable(tx, 'in_a_stretch');
          for (const event of log) await projection.apply(tx, 'one_by_one', event as RecordedEvent<StatisticsFactRecorded>);
          await projection.applyAll?.(tx, 'in_a_stretch', log as RecordedEvent<StatisticsFactRecorded>[]);
          const rows = async (table: string) => (await tx.query(`SELECT * FROM ${table} ORDER BY 1, 2, 3, 4${projection === regionStatistics ? ', 5, 6' : ''}`)).rows;
          const oneByOne = await rows('one_by_one');
          expect(oneByOne.length).toBeGreaterThan(10);
          expect(await rows('in_a_stretch')).toEqual(oneByOne);
          // And as the running projection built it from the same log, whose figures the tests above counted by hand:
          // but for the rows of 0 it kept of the erased person's categories, which the log no longer holds.
          const counted = (all: { value: string }[]) => all.filter((row) => row.value !== '0');
          expect(counted(oneByOne)).toEqual(counted(await rows(projection.table)));
          await tx.query('DROP TABLE one_by_one, in_a_stretch');
        }
      });
    });

    it('add the same whatever order the log holds a trainee’s facts in (a later fact’s transaction may have taken its id first)', async () => {
      const brand = host.app.get(Database, { strict: false });
      await brand.transaction(async (tx) => {
        const facts = await recordedFacts(tx);
        // Backwards: every trainee's facts come after the facts that followed them in their stream.
        const backwards = [...facts].reverse() as RecordedEvent<StatisticsFactRecorded>[];
        // With gaps: a stretch holds each trainee's facts but their second, which the next stretch holds.
        const placeInStream = new Map<string, number>();
        const places = facts.map((event) => {
          const place = placeInStream.get(event.streamId) ?? 0;
          placeInStream.set(event.streamId, place + 1);
          return place;
        });
        expect([...placeInStream.values()].some((count) => count >= 3)).toBe(true);
        const withoutSeconds = facts.filter((_, n) => places[n] !== 1) as RecordedEvent<StatisticsFactRecorded>[];
        const seconds = facts.filter((_, n) => places[n] === 1) as RecordedEvent<StatisticsFactRecorded>[];
        for (const projection of [regionStatistics, providerOutcomes]) {
          await projection.createTable(tx, 'in_a_stretch');
          await projection.createTable(tx, 'in_halves');
          await projection.createTable(tx, 'with_gaps');
          await projection.applyAll?.(tx, 'with_gaps', withoutSeconds);
          await projection.applyAll?.(tx, 'with_gaps', seconds);
          await projection.applyAll?.(tx, 'in_a_stretch', backwards);
          const half = Math.floor(backwards.length / 2);
          await projection.applyAll?.(tx, 'in_halves', backwards.slice(0, half));
          await projection.applyAll?.(tx, 'in_halves', backwards.slice(half));
          // Rows a fact added to and another took back from are left at 0 where the order passed through them.
          const sums = async (table: string) => (await tx.query(`SELECT * FROM ${table} WHERE value <> 0 ORDER BY 1, 2, 3, 4${projection === regionStatistics ? ', 5, 6' : ''}`)).rows;
          const asBuilt = await sums(projection.table);
          expect(asBuilt.length).toBeGreaterThan(10);
          expect(await sums('in_a_stretch')).toEqual(asBuilt);
          expect(await sums('in_halves')).toEqual(asBuilt);
          expect(await sums('with_gaps')).toEqual(asBuilt);
          await tx.query('DROP TABLE in_a_stretch, in_halves, with_gaps');
        }
      });
    });
  });

  describe('who may ask, and what', () => {
    it('lets a bureau read its region and the regions inside it, and no other', async () => {
      const zhuzhou = (await http(host.baseUrl, 'POST', '/api/v1/bureaus', { name: '株洲市人力资源和社会保障局', regionCode: '430200' }, bearer(admin))).body.id;
      const officer = await issuer.token({ role: 'bureau_officer', organisationId: zhuzhou, regionCode: '430200' });
      expect((await call('/api/v1/statistics/regions/430202?period=2025', officer)).status).toBe(200);
      for (const outside of ['430000', '430100', '000000'])
        expect(await call(`/api/v1/statistics/regions/${outside}?period=2025`, officer)).toMatchObject({ status: 403, body: { permission: 'statistics:read-region' } });
      // A bureau reads the outcomes of the schools of its region.
      expect((await call(`/api/v1/statistics/providers/${scenario.org.schoolZhuzhou.id}/outcomes?period=2025`, officer)).status).toBe(200);
    });

    it('lets a bureau whose region is not known read no region and no school (never the whole country)', async () => {
      // A token naming no region: an external issuer's without the claim, or a bureau the register does not hold yet.
      const officer = await issuer.token({ role: 'bureau_officer', organisationId: randomUUID() });
      expect(await call(`/api/v1/statistics/providers/${scenario.org.schoolZhuzhou.id}/outcomes?period=2025`, officer)).toMatchObject({ status: 403, body: { permission: 'statistics:read-outcomes' } });
      expect(await call('/api/v1/statistics/regions/430202?period=2025', officer)).toMatchObject({ status: 403, body: { permission: 'statistics:read-region' } });
    });

    it("lets a school read its own outcomes and not another's, nor a region's figures", async () => {
      const staff = await issuer.token({ role: 'school_staff', organisationId: scenario.org.schoolZhuzhou.id });
      expect((await call(`/api/v1/statistics/providers/${scenario.org.schoolZhuzhou.id}/outcomes?period=2025`, staff)).status).toBe(200);
      expect(await call(`/api/v1/statistics/providers/${scenario.org.schoolChangsha.id}/outcomes?period=2025`, staff)).toMatchObject({ status: 403, body: { permission: 'statistics:read-outcomes' } });
      expect(await call('/api/v1/statistics/regions/430202?period=2025', staff)).toMatchObject({ status: 403, body: { permission: 'statistics:read-region' } });
    });

    it.each([
      ['period=2025-13', 'period'],
      ['period=2025-Q5', 'period'],
      ['period=25', 'period'],
      ['', 'period'],
      ['period=2025&occupationCode=welder', 'occupationCode'],
      ['period=2025&format=pdf', 'format'],
    ])('refuses %s with a 400 naming %s', async (query, field) => {
      const answer = await call(`/api/v1/statistics/regions/430200?${query}`);
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body)).toContain(field);
    });

    describe('a period no fact can fall in: 400 naming period, not zeros that read as a complete count', () => {
      const today = businessDateOf(new Date());
      const [thisMonth, thisQuarter, thisYear] = periodsOf(today);
      const nextMonth = periodsOf(monthsAfter(`${thisMonth}-01`, 1))[0];
      const nextYear = String(Number(thisYear) + 1);
      it.each([
        [nextMonth, 'period_in_future'],
        [nextYear, 'period_in_future'],
        ['2030', 'period_in_future'],
        ['1949-Q4', 'period_before_records'],
        ['1800', 'period_before_records'],
        ['0000', 'period_before_records'],
      ])('refuses %s (%s), in JSON and CSV, for regions and school outcomes', async (period, rule) => {
        const refused = { status: 400, body: { errors: [{ field: 'period', rule }] } };
        expect(await call(`/api/v1/statistics/regions/430200?period=${period}`)).toMatchObject(refused);
        expect(await call(`/api/v1/statistics/regions/430200?period=${period}&format=csv`)).toMatchObject(refused);
        expect(await call(`/api/v1/statistics/providers/${scenario.org.schoolZhuzhou.id}/outcomes?period=${period}`)).toMatchObject(refused);
      });
      it.each([thisMonth, thisQuarter, thisYear, '1950-01', '1950'])('answers %s, the current period as far as it has gone or the earliest', async (period) => {
        expect(await call(`/api/v1/statistics/regions/430200?period=${period}`)).toMatchObject({ status: 200, body: { period } });
        expect(await call(`/api/v1/statistics/providers/${scenario.org.schoolZhuzhou.id}/outcomes?period=${period}`)).toMatchObject({ status: 200, body: { period } });
      });
    });

    it('refuses a region code that is not 6 digits, and answers 404 for outcomes of no school', async () => {
      expect(await call('/api/v1/statistics/regions/4302?period=2025')).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field: 'regionCode' })] } });
      const noSchool = '00000000-0000-4000-8000-000000000000';
      expect(await call(`/api/v1/statistics/providers/${noSchool}/outcomes?period=2025`)).toMatchObject({ status: 404, body: { type: 'urn:skills:not-found', entity: 'provider', id: noSchool } });
    });

    it.each([
      ['990000', 'no province 99'],
      ['430012', 'a district without its city digits'],
    ])('refuses the region %s (%s) as every region field does: 400, field regionCode, rule isRegionCode', async (code) => {
      expect(await call(`/api/v1/statistics/regions/${code}?period=2025`)).toMatchObject({
        status: 400,
        body: { type: 'urn:skills:invalid-input', errors: [expect.objectContaining({ field: 'regionCode', rule: 'isRegionCode' })] },
      });
    });
  });
});
