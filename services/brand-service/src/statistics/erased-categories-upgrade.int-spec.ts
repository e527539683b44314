// The upgrade that forgets the categories of people erased before erasures emptied them (brand.migrations.ts,
// ErasedCategoriesForgotten): a log as an old build left it (an erasure unmarked, the registration's
// categories kept) and sums counted by the old rule (no categories counted per trainee). After the upgrade's
// start the log holds none of the erased person's categories, a registration delivered again brings none
// back, and the sums are counted again: a person erased after the upgrade leaves the breakdowns.
import { TRAINEE_TOPIC } from '@skills/contracts';
import { bearer, createTestDatabase, fact, http, publishFacts, startTestHost, TestDatabase, TestHost, testIssuer, traineeRegisteredFact } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ErasedCategoriesForgotten } from '../brand.migrations';
import { BrandModule } from '../brand.module';
import { statisticsStreamId } from './facts/statistics-fact';
import { regionStatistics } from './read-models/region-statistics.projection';
import { Course, organisations, providerRegistered, result, WELDER } from './statistics-scenario';

describe('the upgrade that forgets the categories of people erased before', () => {
  const org = organisations();
  const school = org.schoolZhuzhou;
  const welding: Course = { id: randomUUID(), title: '焊工（中级）2014', school, occupationCode: WELDER, endDate: '2014-03-31' };
  // e: erased by an old build; h: not erased yet.
  const [e, h] = [randomUUID(), randomUUID()];
  const eRegistration = traineeRegisteredFact(e, { categories: ['disabled', 'poverty_registered'] });
  const erasure = (traineeId: string) => fact(TRAINEE_TOPIC, 'PersonalDataErased', { traineeId, erasedOn: '2026-11-30' }, { key: traineeId });

  let database: TestDatabase;
  let sql: Client;
  let host: TestHost | undefined;
  let admin: string;

  const loggedCategories = async (traineeId: string) =>
    (
      await sql.query<{ fact: { categories: string[]; erased?: true } }>(
        `SELECT data -> 'fact' AS fact FROM brand.events WHERE stream_id = $1 AND data #>> '{fact,kind}' = 'categories' ORDER BY stream_version`,
        [statisticsStreamId(traineeId)],
      )
    ).rows.map(({ fact: { categories, erased } }) => ({ categories, ...(erased ? { erased } : {}) }));
  const categorySums = async () => {
    await http(host!.baseUrl, 'GET', `/api/v1/statistics/regions/${school.regionCode}?period=2014&consistent=true`, undefined, bearer(admin));
    const { rows } = await sql.query<{ category: string; figure: string; value: number }>(
      `SELECT category, figure, sum(value)::float8 AS value FROM brand.${regionStatistics.table}
       WHERE region_code = $1 AND period = '2014' AND occupation_code = '*' AND category <> '*' AND dimension = '' GROUP BY category, figure HAVING sum(value) <> 0`,
      [school.regionCode],
    );
    const sums: Record<string, Record<string, number>> = {};
    for (const row of rows) sums[row.category] = { ...sums[row.category], [row.figure]: row.value };
    return sums;
  };

  beforeAll(async () => {
    admin = await (await testIssuer()).token({ role: 'platform_admin' });
    database = await createTestDatabase();
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    host = await startTestHost({ modules: [BrandModule], transport: 'in-process', databaseUrl: database.url });
    await publishFacts(host, [
      providerRegistered(school),
      eRegistration,
      traineeRegisteredFact(h, { categories: ['disabled'] }),
      result(e, welding, '2014-03-10', true),
      result(h, welding, '2014-03-10', true),
    ]);
    await publishFacts(host, [erasure(e)]);
    expect(await categorySums()).toEqual({ disabled: { sessions: 1, trained: 1, passed: 1 } });
    await host.close();
    host = undefined;

    // As the build before it left them: e's registration keeps its categories, the erasure is not marked, the
    // sums keep no categories per trainee (h's breakdown counted all the same), the migration not run.
    await sql.query(
      `UPDATE brand.events SET data = jsonb_set(data, '{fact,categories}', '["disabled", "poverty_registered"]')
        WHERE stream_id = $1 AND stream_version = (SELECT min(stream_version) FROM brand.events WHERE stream_id = $1)`,
      [statisticsStreamId(e)],
    );
    await sql.query(`UPDATE brand.events SET data = data #- '{fact,erased}' WHERE stream_id = $1`, [statisticsStreamId(e)]);
    expect(await loggedCategories(e)).toEqual([{ categories: ['disabled', 'poverty_registered'] }, { categories: [] }]);
    await sql.query(`DELETE FROM brand.${regionStatistics.table} WHERE figure = 'counted'`);
    await sql.query('DELETE FROM brand.migrations WHERE name = $1', [new ErasedCategoriesForgotten().name]);
  });

  afterAll(async () => {
    await host?.close();
    await sql?.end();
    await database?.drop();
  });

  it("empties the erased person's categories in the log at the next start, marks their erasure, and leaves the others'", async () => {
    host = await startTestHost({ modules: [BrandModule], transport: 'in-process', databaseUrl: database.url });
    expect(await loggedCategories(e)).toEqual([{ categories: [] }, { categories: [], erased: true }]);
    expect(await loggedCategories(h)).toEqual([{ categories: ['disabled'] }]);
    expect(await categorySums()).toEqual({ disabled: { sessions: 1, trained: 1, passed: 1 } });

    // The erasure marked: e's registration delivered again brings nothing back.
    await publishFacts(host, [{ ...eRegistration, envelope: { ...eRegistration.envelope, eventId: randomUUID() } }]);
    expect(await loggedCategories(e)).toEqual([{ categories: [] }, { categories: [], erased: true }, { categories: [] }]);
    expect(await categorySums()).toEqual({ disabled: { sessions: 1, trained: 1, passed: 1 } });
  });

  it('counts the sums again, so that a person erased after the upgrade leaves the breakdowns', async () => {
    await publishFacts(host!, [erasure(h)]);
    expect(await loggedCategories(h)).toEqual([{ categories: [] }, { categories: [], erased: true }]);
    expect(await categorySums()).toEqual({});
  });
});
