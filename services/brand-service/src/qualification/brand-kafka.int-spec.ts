// The same qualification figures on Kafka as in one process: brand-service as its own host, the facts
// arriving on the training and placement topics as their services publish them. A platform_admin
// registers the bureau; its officer registers the brand and reads its qualification.
import { BrandModule } from '../brand.module';
import { registerBuildingUnits } from '../brands/register-brand/building-unit-facts';
import { bearer, createTestDatabase, describeWithKafka, http, kafkaBrokers, startTestHost, TestDatabase, TestHost, testCreditCode, TestIssuer, testIssuer, waitFor } from '@skills/testing';
import { randomBytes } from 'node:crypto';
import { brandScenario, ZHUZHOU_2021 } from './brand-scenario';

describeWithKafka('labour brand qualification on Kafka', () => {
  const suffix = randomBytes(4).toString('hex');
  let database: TestDatabase;
  let host: TestHost;
  let issuer: TestIssuer;

  beforeAll(async () => {
    issuer = await testIssuer();
    database = await createTestDatabase();
    host = await startTestHost({ transport: 'kafka', kafkaBrokers: kafkaBrokers(), modules: [BrandModule], clientId: `brand-service-${suffix}`, databaseUrl: database.url });
  }, 90_000);

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  it('gives the figures of the one-process run', async () => {
    const scenario = brandScenario(testCreditCode(8000 + (parseInt(suffix, 16) % 100_000)));
    const admin = bearer(await issuer.token({ role: 'platform_admin' }));
    const bureauId = (await http(host.baseUrl, 'POST', '/api/v1/bureaus', { name: '株洲市人社局', regionCode: '430200' }, admin)).body.id;
    const officer = bearer(await issuer.token({ role: 'bureau_officer', organisationId: bureauId }));
    // Its building unit on its way on the training topic: the registration waits until it has arrived.
    await registerBuildingUnits(host, [scenario.provider]);
    const brand = await http(host.baseUrl, 'POST', '/api/v1/brands', { bureauId, name: '株洲新希望铆焊工', tier: 'city', industryCode: 'C37', occupationCodes: ['6-18-02-04'], buildingUnits: [scenario.provider], policy: ZHUZHOU_2021 }, officer);
    expect(brand.status).toBe(201);
    await scenario.publish(host);
    const asOf = (date: '2021-09-30' | '2022-03-01') => async () => {
      const { freshness: _freshness, ...figures } = (await http(host.baseUrl, 'GET', `/api/v1/brands/${brand.body.id}/qualification?asOf=${date}`, undefined, officer)).body;
      return figures;
    };
    // Until every fact has arrived the figures are short; the timeout message shows the last difference.
    for (const date of ['2021-09-30', '2022-03-01'] as const) {
      await waitFor(
        async () => {
          expect(await asOf(date)()).toEqual(scenario.expected[date]);
          return true;
        },
        { timeoutMs: 60_000, description: `the figures as of ${date} to match the one-process run` },
      );
    }
  }, 120_000);
});
