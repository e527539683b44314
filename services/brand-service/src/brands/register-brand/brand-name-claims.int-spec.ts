// One brand of a name per region (brand_name_claims): a second registration of the name, trimmed, is
// refused naming the first, even when the two are sent at the same moment; another region may use it.
// The upgrade claims each (region, name) of the brands of before for the first registered; a second one
// of before stays as it is.
import { fixedClock } from '@skills/domain-kernel';
import { migrate } from '@skills/postgres';
import { serviceMigrations } from '@skills/service-runtime';
import { bearer, createTestDatabase, http, ServiceSpec, startServiceSpec, startTestHost, TestDatabase, TestHost, testIssuer } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { brandMigrations, BrandNameClaims } from '../../brand.migrations';
import { BrandModule } from '../../brand.module';
import { registerBuildingUnits } from './building-unit-facts';

const clock = fixedClock('2021-10-15T02:00:00.000Z');
const POLICY = { windowStart: '2020-11-01', windowEnd: '2021-09-30', minTrained: 0, minPassRate: 0, minEmploymentRate: 0, requiresEthicsTraining: false };
const ZHUZHOU_SCHOOL = '91430200MA4L00001P';
const CHANGSHA_SCHOOL = '91350100M000100Y43';
const brandBody = (bureauId: string, name: string, buildingUnits = [ZHUZHOU_SCHOOL]) => ({ bureauId, name, tier: 'city', industryCode: 'C37', occupationCodes: ['6-18-02-04'], buildingUnits, policy: POLICY });

describe('one brand of a name per region', () => {
  let service: ServiceSpec;
  const bureaus = {} as Record<'zhuzhou' | 'changsha', { id: string; officer: Record<string, string> }>;
  const register = (bureau: keyof typeof bureaus, name: string, buildingUnits?: string[]) =>
    http(service.host.baseUrl, 'POST', '/api/v1/brands', brandBody(bureaus[bureau].id, name, buildingUnits), bureaus[bureau].officer);

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [BrandModule], service: 'brand', clock, token: { role: 'platform_admin' } });
    for (const [key, regionCode] of [['zhuzhou', '430200'], ['changsha', '430100']] as const) {
      const { body } = await service.spec.when('POST', '/api/v1/bureaus', { name: `${regionCode} 人社局`, regionCode }).then(201);
      bureaus[key] = { id: body.id, officer: bearer(await service.issuer.token({ role: 'bureau_officer', organisationId: body.id })) };
    }
    await registerBuildingUnits(service.host, [ZHUZHOU_SCHOOL]);
    await registerBuildingUnits(service.host, [CHANGSHA_SCHOOL], '430100');
  });

  afterAll(() => service?.close());

  it('refuses a second brand of the name in the region, spaces around it or not, naming the first; another region may register it', async () => {
    const first = await register('zhuzhou', '芦淞服饰人');
    expect(first.status).toBe(201);
    for (const name of ['芦淞服饰人', '  芦淞服饰人\u3000']) {
      expect(await register('zhuzhou', name)).toMatchObject({ status: 409, body: { rule: 'brand_name_taken', existingId: first.body.id, name: '芦淞服饰人', regionCode: '430200' } });
    }
    expect(await register('changsha', '芦淞服饰人', [CHANGSHA_SCHOOL])).toMatchObject({ status: 201 });
    const listed = await http(service.host.baseUrl, 'GET', '/api/v1/brands?consistent=true&regionCode=430200&limit=100', undefined, bureaus.zhuzhou.officer);
    expect(listed.body.items.filter((item: { name: string }) => item.name === '芦淞服饰人')).toHaveLength(1);
  });

  it('lets one of two registrations of a name sent at once win, and refuses the other naming it', async () => {
    const answers = await Promise.all([register('zhuzhou', '株洲轨道交通装备制造工'), register('zhuzhou', '株洲轨道交通装备制造工')]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    const won = answers.find((answer) => answer.status === 201)!;
    expect(answers.find((answer) => answer.status === 409)!.body).toMatchObject({ rule: 'brand_name_taken', existingId: won.body.id });
  });
});

describe('the upgrade that claims each brand name of a region', () => {
  let database: TestDatabase;
  let sql: Client;
  let host: TestHost | undefined;
  const zhuzhouBureau = randomUUID();
  const [first, second, changsha] = [randomUUID(), randomUUID(), randomUUID()];

  /** A brand's registration as an old build appended it. */
  const registered = (brandId: string, name: string, regionCode: string) =>
    sql.query(`INSERT INTO brand.events (stream_id, stream_version, event_id, event_type, data, metadata) VALUES ($1, 1, $2, 'BrandRegistered', $3, '{}')`, [
      `brand-${brandId}`,
      randomUUID(),
      { ...brandBody(zhuzhouBureau, name), brandId, regionCode, registeredOn: '2021-10-01' },
    ]);

  beforeAll(async () => {
    database = await createTestDatabase();
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    // The schema as an old build left it: every migration before the claims.
    await migrate(database.url, 'brand', serviceMigrations({ migrations: brandMigrations.filter((migration) => migration !== BrandNameClaims) }));
    await sql.query(`INSERT INTO brand.events (stream_id, stream_version, event_id, event_type, data, metadata) VALUES ($1, 1, $2, 'BureauRegistered', $3, '{}')`, [
      `bureau-${zhuzhouBureau}`,
      randomUUID(),
      { bureauId: zhuzhouBureau, name: '株洲市人社局', regionCode: '430200' },
    ]);
    await registered(first, '芦淞服饰人 ', '430200');
    await registered(second, '芦淞服饰人', '430200');
    await registered(changsha, '芦淞服饰人', '430100');
  });

  afterAll(async () => {
    await host?.close();
    await sql?.end();
    await database?.drop();
  });

  it('claims each (region, trimmed name) for its first brand, keeps the second of before, and refuses the name after', async () => {
    host = await startTestHost({ modules: [BrandModule], transport: 'in-process', databaseUrl: database.url });
    const { rows } = await sql.query<{ region_code: string; name: string; brand_id: string }>('SELECT region_code, name, brand_id FROM brand.brand_name_claims ORDER BY region_code');
    expect(rows).toEqual([
      { region_code: '430100', name: '芦淞服饰人', brand_id: changsha },
      { region_code: '430200', name: '芦淞服饰人', brand_id: first },
    ]);
    expect((await sql.query('SELECT count(*)::int AS n FROM brand.events WHERE event_type = $1', ['BrandRegistered'])).rows[0].n).toBe(3);
    const officer = bearer(await (await testIssuer()).token({ role: 'bureau_officer', organisationId: zhuzhouBureau }));
    await registerBuildingUnits(host, [ZHUZHOU_SCHOOL]);
    const again = await http(host.baseUrl, 'POST', '/api/v1/brands', brandBody(zhuzhouBureau, '芦淞服饰人'), officer);
    expect(again).toMatchObject({ status: 409, body: { rule: 'brand_name_taken', existingId: first } });
  });
});
