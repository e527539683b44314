// The upgrade to the shares' rules of today (a trainee's level at equal rank is the earliest certificate's; a
// certificate revoked on its issue day is never held): brand.migrations.ts, RegionStatisticsRecounted. A
// database holds the sums an old build counted; the upgrade's first start counts them again from the log,
// and a fact after it adds to sums counted by the same rules. Without the migration the old sums stay: the
// answers below come out as an old build and the new one together count them (a standing of -1 in the end).
import { ProjectionRunner } from '@skills/event-sourcing';
import { Database, migrate } from '@skills/postgres';
import { serviceMigrations, ServiceRegistry } from '@skills/service-runtime';
import { bearer, createTestDatabase, http, publishFacts, startTestHost, TestDatabase, TestHost, TestIssuer, testIssuer } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { brandMigrations, RegionStatisticsRecounted } from '../brand.migrations';
import { BrandModule } from '../brand.module';
import { providerOutcomes } from './read-models/provider-outcomes.projection';
import { regionStatistics } from './read-models/region-statistics.projection';
import { certified, organisations, revoked, WELDER } from './statistics-scenario';

describe('the upgrade that counts the region statistics again from the log', () => {
  const org = organisations();
  // p: welder senior in Zhuzhou (430203) on 07-01 and in Changsha (430102) on 08-01; their level is the
  // Zhuzhou one (the earliest), which an old build took to be the Changsha one from 08-01 (the latest).
  // q: welder technician in Zhuzhou on 09-10, revoked that day: never held, which an old build counted as new high-skill talent.
  const p = randomUUID();
  const q = randomUUID();
  const pZhuzhou = certified(p, org.evaluatorZhuzhou, WELDER, 'senior', '2025-07-01');
  const qTechnician = certified(q, org.evaluatorZhuzhou, WELDER, 'technician', '2025-09-10');
  const facts = [pZhuzhou, certified(p, org.evaluatorChangsha, WELDER, 'senior', '2025-08-01'), qTechnician, revoked(q, qTechnician, WELDER, '2025-09-10')];

  let database: TestDatabase;
  let sql: Client;
  let host: TestHost | undefined;
  let issuer: TestIssuer;
  let admin: string;
  const region = async (code: string, period: string) => {
    const answer = await http(host!.baseUrl, 'GET', `/api/v1/statistics/regions/${code}?period=${period}&consistent=true`, undefined, bearer(admin));
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const checkpoints = async () =>
    Object.fromEntries((await sql.query<{ projection: string; position: string }>('SELECT projection, global_position::text AS position FROM brand.projection_checkpoints')).rows.map((row) => [row.projection, row.position]));
  const parked = async () => Number((await sql.query<{ count: string }>("SELECT count(*) FROM brand.parked_events WHERE projection = 'region-statistics'")).rows[0].count);
  /** Adds to a sum of the table, as the old rules' differences were added (category `*`, no dimension). */
  const addToSum = (regionCode: string, occupationCode: string, period: string, figure: string, value: number) =>
    sql.query(
      `INSERT INTO brand.region_statistics (region_code, occupation_code, period, category, figure, dimension, value) VALUES ($1, $2, $3, '*', $4, '', $5)
       ON CONFLICT (region_code, occupation_code, period, category, figure, dimension) DO UPDATE SET value = region_statistics.value + excluded.value`,
      [regionCode, occupationCode, period, figure, value],
    );

  beforeAll(async () => {
    issuer = await testIssuer();
    admin = await issuer.token({ role: 'platform_admin' });
    database = await createTestDatabase();
    sql = new Client({ connectionString: database.url });
    await sql.connect();

    // A deployment with the facts in its log and its sums caught up with them.
    host = await startTestHost({ modules: [BrandModule], transport: 'in-process', databaseUrl: database.url });
    await publishFacts(host, facts);
    expect(await region('430200', '2025-Q3')).toMatchObject({ certificatesIssued: 2, newHighSkillTalents: 1, highSkillTalents: 1 });
    await host.close();
    host = undefined;

    // As the build before this migration left it: its migrations without this one, and the sums its rules
    // counted: what they differ by from today's added (below), the checkpoint at the head, an event parked.
    await sql.query('DELETE FROM brand.migrations WHERE name = $1', [new RegionStatisticsRecounted().name]);
    for (const occupation of ['*', WELDER]) {
      // p's level from 08-01 the Changsha certificate: standing in Changsha, no longer in Zhuzhou.
      for (const zhuzhou of ['430203', '430200']) await addToSum(zhuzhou, occupation, '2025-08', 'highSkillDelta', -1);
      for (const changsha of ['430102', '430100']) await addToSum(changsha, occupation, '2025-08', 'highSkillDelta', 1);
      // q new high-skill talent on 09-10, in every region of the Zhuzhou evaluator's.
      for (const regionCode of ['430203', '430200', '430000', '000000'])
        for (const period of ['2025-09', '2025-Q3', '2025']) await addToSum(regionCode, occupation, period, 'newHighSkill', 1);
    }
    await sql.query(
      `INSERT INTO brand.parked_events (projection, global_position, transaction_id, stream_id, event_type, error)
       SELECT 'region-statistics', global_position, transaction_id, stream_id, event_type, 'as an old build parked it' FROM brand.events ORDER BY global_position LIMIT 1`,
    );
    expect(Object.keys(await checkpoints())).toEqual(expect.arrayContaining([regionStatistics.name, providerOutcomes.name]));
  });

  afterAll(async () => {
    await host?.close();
    await sql?.end();
    await database?.drop();
  });

  it('drops the sums, their checkpoint and parked events, and leaves the other read models', async () => {
    const before = await checkpoints();
    const outcomes = (await sql.query('SELECT * FROM brand.provider_outcomes ORDER BY 1, 2, 3, 4')).rows;
    await migrate(database.url, 'brand', serviceMigrations({ migrations: brandMigrations }));

    expect((await sql.query("SELECT to_regclass('brand.region_statistics') AS live, to_regclass('brand.region_statistics__rebuild') AS shadow")).rows).toEqual([{ live: null, shadow: null }]);
    expect(await checkpoints()).toEqual(Object.fromEntries(Object.entries(before).filter(([projection]) => projection !== regionStatistics.name)));
    expect(await parked()).toBe(0);
    expect((await sql.query('SELECT * FROM brand.provider_outcomes ORDER BY 1, 2, 3, 4')).rows).toEqual(outcomes);
    // Until the runner has caught up, the freshness of a plain read counts every fact of the log as not in the figures.
    const brand = new Database({ url: database.url, schema: 'brand', poolSize: 1 });
    try {
      const { rows } = await brand.query<{ events: number }>('SELECT count(*)::int AS events FROM events');
      expect(rows[0].events).toBeGreaterThanOrEqual(facts.length);
      expect(await new ProjectionRunner(brand, [regionStatistics]).behind()).toBe(rows[0].events);
    } finally {
      await brand.close();
    }
  });

  it("counts them again at the next start, so that the old rules' sums are gone and a later fact adds to today's", async () => {
    host = await startTestHost({ modules: [BrandModule], transport: 'in-process', databaseUrl: database.url });
    // p stands in Zhuzhou (the earliest of equal rank), q was never high-skill talent.
    expect(await region('430200', '2025-Q3')).toMatchObject({ certificatesIssued: 2, revocations: 1, newHighSkillTalents: 1, highSkillTalents: 1 });
    expect(await region('430100', '2025-Q3')).toMatchObject({ certificatesIssued: 1, newHighSkillTalents: 0, highSkillTalents: 0 });
    expect(await region('000000', '2025')).toMatchObject({ certificatesIssued: 3, newHighSkillTalents: 1, highSkillTalents: 1 });
    expect(await checkpoints()).toHaveProperty(regionStatistics.name);
    expect(await parked()).toBe(0);

    // After the upgrade p's Zhuzhou certificate is revoked on 10-01: from then their level is the Changsha one.
    await publishFacts(host, [revoked(p, pZhuzhou, WELDER, '2025-10-01')]);
    expect(await region('430200', '2025')).toMatchObject({ certificatesIssued: 2, revocations: 2, newHighSkillTalents: 1, highSkillTalents: 0 });
    expect(await region('430100', '2025')).toMatchObject({ certificatesIssued: 1, revocations: 0, newHighSkillTalents: 0, highSkillTalents: 1 });
    expect(await region('430000', '2025')).toMatchObject({ newHighSkillTalents: 1, highSkillTalents: 1 });
    // And the same as a rebuild of the table from the log.
    const answers = [await region('430200', '2025'), await region('430100', '2025'), await region('430000', '2025-Q4')];
    await host.app.get(ServiceRegistry).get('brand')!.projections.rebuild(regionStatistics.name);
    expect([await region('430200', '2025'), await region('430100', '2025'), await region('430000', '2025-Q4')]).toEqual(
      answers.map(({ freshness: _freshness, ...figures }) => expect.objectContaining(figures)),
    );
  });
});
