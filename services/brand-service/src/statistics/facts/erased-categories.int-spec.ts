// Some categories tell of health or hardship (PIPL): once a person's personal data is erased, or their
// registration voided (made in error), brand-service's log keeps none of their categories, the breakdowns
// count them in none (the totals keep what of theirs stands), a registration delivered again after it
// brings none back, and the region statistics rebuilt from that log give the same figures. On a real
// Postgres, fed by the in-process bus; the sums read as the region statistics keep them (a category's
// counts under 5 are not shown by the API).
import { TRAINEE_TOPIC } from '@skills/contracts';
import { readStreams } from '@skills/event-sourcing';
import { Database } from '@skills/postgres';
import { ServiceRegistry } from '@skills/service-runtime';
import { bearer, createTestDatabase, fact, Fact, http, publishFacts, startTestHost, TestDatabase, TestHost, testIssuer, traineeRegisteredFact } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { BrandModule } from '../../brand.module';
import { regionStatistics } from '../read-models/region-statistics.projection';
import { Course, hired, organisations, providerRegistered, result, WELDER } from '../statistics-scenario';
import { StatisticsFactRecorded, statisticsStreamId } from './statistics-fact';

const org = organisations();
const school = org.schoolZhuzhou;

/** The same message under a new id, as a dead letter retried or a replay from another source brings it. */
const deliveredAgain = (message: Fact): Fact => ({ ...message, envelope: { ...message.envelope, eventId: randomUUID() } });
const erased = (traineeId: string) => fact(TRAINEE_TOPIC, 'PersonalDataErased', { traineeId, erasedOn: '2026-11-30' }, { key: traineeId });
const voided = (traineeId: string) => fact(TRAINEE_TOPIC, 'TraineeRegistrationVoided', { traineeId, voidedOn: '2026-11-30' }, { key: traineeId });

describe('the categories of a person erased or voided', () => {
  let database: TestDatabase;
  let host: TestHost;
  let admin: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: [BrandModule], transport: 'in-process', databaseUrl: database.url });
    admin = await (await testIssuer()).token({ role: 'platform_admin' });
    await publishFacts(host, [providerRegistered(school)]);
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  const sql = () => host.app.get(Database, { strict: false });
  /** The categories the trainee's statistics stream holds, fact by fact. */
  const loggedCategories = async (traineeId: string) =>
    (
      await sql().query<{ categories: string[] }>(
        `SELECT data #> '{fact,categories}' AS categories FROM events WHERE stream_id = $1 AND data #>> '{fact,kind}' = 'categories' ORDER BY stream_version`,
        [statisticsStreamId(traineeId)],
      )
    ).rows.map((row) => row.categories);
  /** Everyone's figures in the school's district, as the API answers (after the facts sent so far). */
  const totals = async (period: string) => {
    const answer = await http(host.baseUrl, 'GET', `/api/v1/statistics/regions/${school.regionCode}?period=${period}&consistent=true`, undefined, bearer(admin));
    expect(answer.status).toBe(200);
    const { trainingSessions, trained, passed, hires } = answer.body;
    return { trainingSessions, trained, passed, hires };
  };
  /** What the region statistics hold per category in the district (all occupations, no dimension), sums of 0 left out. */
  const categorySums = async (period: string) => {
    const { rows } = await sql().query<{ category: string; figure: string; value: number }>(
      `SELECT category, figure, sum(value)::float8 AS value FROM ${regionStatistics.table}
       WHERE region_code = $1 AND period = $2 AND occupation_code = '*' AND category <> '*' AND dimension = '' GROUP BY category, figure HAVING sum(value) <> 0`,
      [school.regionCode, period],
    );
    const sums: Record<string, Record<string, number>> = {};
    for (const row of rows) sums[row.category] = { ...sums[row.category], [row.figure]: row.value };
    return sums;
  };
  const course = (year: string): Course => ({ id: randomUUID(), title: `焊工（中级）${year}`, school, occupationCode: WELDER, endDate: `${year}-03-31` });
  /** Both figures, once the runner has caught up. */
  const figures = async (period: string) => ({ totals: await totals(period), byCategory: await categorySums(period) });

  it("empties an erased person's categories in the log, takes them out of the breakdowns for good, and keeps the person in the totals", async () => {
    const welding = course('2017');
    const [e, other] = [randomUUID(), randomUUID()];
    const registration = traineeRegisteredFact(e, { categories: ['disabled', 'poverty_registered'] });
    await publishFacts(host, [
      registration,
      traineeRegisteredFact(other, { categories: ['disabled'] }),
      result(e, welding, '2017-03-10', true),
      result(other, welding, '2017-03-10', true),
      hired(e, org.employerZhuzhou, '2017-05-01', 6000),
    ]);
    // Counted in their categories before the erasure.
    expect(await figures('2017')).toEqual({
      totals: { trainingSessions: 2, trained: 2, passed: 2, hires: 1 },
      byCategory: { disabled: { sessions: 2, trained: 2, passed: 2, hires: 1 }, poverty_registered: { sessions: 1, trained: 1, passed: 1, hires: 1 } },
    });

    await publishFacts(host, [erased(e)]);
    expect(await loggedCategories(e)).toEqual([[], []]);
    const afterErasure = { totals: { trainingSessions: 2, trained: 2, passed: 2, hires: 1 }, byCategory: { disabled: { sessions: 1, trained: 1, passed: 1 } } };
    expect(await figures('2017')).toEqual(afterErasure);
    // Someone else's categories stay.
    expect(await loggedCategories(other)).toEqual([['disabled']]);

    // The registration delivered again (a dead letter retried after the erasure), then a fact of theirs: nothing comes back.
    await publishFacts(host, [deliveredAgain(registration)]);
    await publishFacts(host, [hired(e, org.employerZhuzhou, '2017-08-01', 7000)]);
    expect(await loggedCategories(e)).toEqual([[], [], []]);
    const afterRetry = { ...afterErasure, totals: { ...afterErasure.totals, hires: 2 } };
    expect(await figures('2017')).toEqual(afterRetry);

    // Counted again from the log: the same figures.
    await host.app.get(ServiceRegistry).get('brand')!.projections.rebuild(regionStatistics.name);
    expect(await figures('2017')).toEqual(afterRetry);
  });

  it("treats a voided registration as an erasure: its categories leave the log and the breakdowns, its results that stand still count", async () => {
    const welding = course('2016');
    const f = randomUUID();
    const registration = traineeRegisteredFact(f, { categories: ['disabled'] });
    await publishFacts(host, [registration, result(f, welding, '2016-03-10', true)]);
    expect(await figures('2016')).toEqual({ totals: { trainingSessions: 1, trained: 1, passed: 1, hires: 0 }, byCategory: { disabled: { sessions: 1, trained: 1, passed: 1 } } });

    await publishFacts(host, [voided(f)]);
    expect(await loggedCategories(f)).toEqual([[], []]);
    const afterVoid = { totals: { trainingSessions: 1, trained: 1, passed: 1, hires: 0 }, byCategory: {} };
    expect(await figures('2016')).toEqual(afterVoid);

    await publishFacts(host, [deliveredAgain(registration)]);
    expect(await loggedCategories(f)).toEqual([[], [], []]);
    expect(await figures('2016')).toEqual(afterVoid);
    await host.app.get(ServiceRegistry).get('brand')!.projections.rebuild(regionStatistics.name);
    expect(await figures('2016')).toEqual(afterVoid);
  });

  it('takes out exactly what the sums counted of the categories, in whatever order the log is read, the erasure falling between', async () => {
    const welding = course('2013');
    const k = randomUUID();
    await publishFacts(host, [traineeRegisteredFact(k, { categories: ['disabled'] }), result(k, welding, '2013-03-10', true), hired(k, org.employerZhuzhou, '2013-05-01', 6000)]);
    const streamOf = async () => (await readStreams<StatisticsFactRecorded>(sql(), [statisticsStreamId(k)])).get(statisticsStreamId(k))!;
    const [registered, assessed, hire] = await streamOf();
    const rows = async (table: string) => (await sql().query(`SELECT * FROM ${table} WHERE value <> 0 ORDER BY 1, 2, 3, 4, 5, 6`)).rows;
    await sql().transaction(async (tx) => {
      await regionStatistics.createTable(tx, 'out_of_order');
      // The hire and the registration counted before the erasure, the result (an earlier version than the hire) after it.
      for (const event of [hire, registered]) await regionStatistics.apply(tx, 'out_of_order', event);
    });
    await publishFacts(host, [erased(k)]);
    const [, , , erasure] = await streamOf();
    await sql().transaction(async (tx) => {
      for (const event of [erasure, assessed]) await regionStatistics.apply(tx, 'out_of_order', event);
      await regionStatistics.createTable(tx, 'in_order');
      await regionStatistics.applyAll!(tx, 'in_order', [registered, assessed, hire, erasure]);
    });
    const inOrder = await rows('in_order');
    expect(inOrder.filter((row) => row.category !== '*')).toEqual([]);
    expect(inOrder.length).toBeGreaterThan(10);
    expect(await rows('out_of_order')).toEqual(inOrder);
    await sql().query('DROP TABLE out_of_order, in_order');
  });

  it('keeps no categories of a person voided before their registration arrived, nor counts them', async () => {
    const welding = course('2015');
    const g = randomUUID();
    await publishFacts(host, [voided(g), result(g, welding, '2015-03-10', true)]);
    await publishFacts(host, [traineeRegisteredFact(g, { categories: ['veteran'] })]);
    expect(await loggedCategories(g)).toEqual([[], []]);
    expect(await figures('2015')).toEqual({ totals: { trainingSessions: 1, trained: 1, passed: 1, hires: 0 }, byCategory: {} });
  });
});
