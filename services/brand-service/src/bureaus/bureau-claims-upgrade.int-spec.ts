// The upgrade that claims each region's bureau (brand.migrations.ts, BureauClaims). A database of before
// holds bureaus in its log and no claims: the first start claims each region for the first bureau
// registered in it, so a registration after the upgrade is refused for a region that had one before it.
import { migrate } from '@skills/postgres';
import { serviceMigrations } from '@skills/service-runtime';
import { bearer, createTestDatabase, http, startTestHost, TestDatabase, TestHost, testIssuer } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { brandMigrations, BureauClaims } from '../brand.migrations';
import { BrandModule } from '../brand.module';

describe('the upgrade that claims one bureau per region', () => {
  let database: TestDatabase;
  let sql: Client;
  let host: TestHost | undefined;
  const zhuzhou = randomUUID();
  const zhuzhouAgain = randomUUID();
  const changsha = randomUUID();

  /** A bureau's registration as an old build appended it. */
  const registered = (bureauId: string, regionCode: string, version = 1) =>
    sql.query(
      `INSERT INTO brand.events (stream_id, stream_version, event_id, event_type, data, metadata) VALUES ($1, $2, $3, 'BureauRegistered', $4, '{}')`,
      [`bureau-${bureauId}`, version, randomUUID(), { bureauId, name: `bureau ${regionCode}`, regionCode }],
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    // The schema as an old build left it: every migration before the claims.
    await migrate(database.url, 'brand', serviceMigrations({ migrations: brandMigrations.filter((migration) => migration !== BureauClaims) }));
    await registered(zhuzhou, '430200');
    await registered(zhuzhouAgain, '430200');
    await registered(changsha, '430100');
  });

  afterAll(async () => {
    await host?.close();
    await sql?.end();
    await database?.drop();
  });

  it('claims each region for its first bureau, and refuses a bureau for it after', async () => {
    host = await startTestHost({ modules: [BrandModule], transport: 'in-process', databaseUrl: database.url });
    const { rows } = await sql.query<{ region_code: string; bureau_id: string }>('SELECT region_code, bureau_id FROM brand.bureau_claims ORDER BY region_code');
    expect(rows).toEqual([
      { region_code: '430100', bureau_id: changsha },
      { region_code: '430200', bureau_id: zhuzhou },
    ]);

    const admin = bearer(await (await testIssuer()).token({ role: 'platform_admin' }));
    const register = (regionCode: string) => http(host!.baseUrl, 'POST', '/api/v1/bureaus', { name: '人力资源和社会保障局', regionCode }, admin);
    expect(await register('430200')).toMatchObject({ status: 409, body: { rule: 'bureau_region_registered', existingId: zhuzhou } });
    expect(await register('430300')).toMatchObject({ status: 201 });
  });
});
