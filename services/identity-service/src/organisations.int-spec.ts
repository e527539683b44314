// identity-service's public register of organisations: kept from the registration events of training
// (providers), certification (evaluators) and placement (employers), listed without a token.
import { CERTIFICATION_TOPIC, EmployerRegisteredV1, EvaluatorRegisteredV1, PLACEMENT_TOPIC, ProviderRegisteredV1, TRAINING_TOPIC } from '@skills/contracts';
import { createTestDatabase, fact, Fact, http, publishFacts, startTestHost, testCreditCode, TestDatabase, TestHost } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { IdentityModule } from './identity.module';

interface Listed {
  items: { id: string; kind: string; name: string; creditCode: string; regionCode: string }[];
  nextCursor: string | null;
}

describe('identity: the public register of organisations', () => {
  let database: TestDatabase;
  let host: TestHost;
  let registered: Fact[];
  const list = async (query: string) => {
    const answer = await http(host.baseUrl, 'GET', `/api/v1/organisations${query}`);
    expect(answer.status).toBe(200);
    return answer.body as Listed;
  };
  const names = async (query: string) => (await list(query)).items.map((item) => item.name);

  const provider: ProviderRegisteredV1 = { providerId: randomUUID(), name: 'Alpha Training School', creditCode: testCreditCode(1), regionCode: '430202' };
  const evaluator: EvaluatorRegisteredV1 = {
    evaluatorId: randomUUID(),
    name: 'Beta Skills Evaluation Centre',
    creditCode: testCreditCode(2),
    kind: 'social_organisation',
    regionCode: '430200',
    evaluatorCode: 'S430200001',
  };
  const employer: EmployerRegisteredV1 = { employerId: randomUUID(), name: 'Gamma Rail Works', creditCode: testCreditCode(3), industryCode: 'C', regionCode: '430102' };
  const capitalProvider: ProviderRegisteredV1 = { providerId: randomUUID(), name: 'Delta Training', creditCode: testCreditCode(4), regionCode: '110101' };
  const facts = () => [
    fact(TRAINING_TOPIC, 'ProviderRegistered', provider, { key: provider.providerId }),
    fact(CERTIFICATION_TOPIC, 'EvaluatorRegistered', evaluator, { key: evaluator.evaluatorId }),
    fact(PLACEMENT_TOPIC, 'EmployerRegistered', employer, { key: employer.employerId }),
    fact(TRAINING_TOPIC, 'ProviderRegistered', capitalProvider, { key: capitalProvider.providerId }),
  ];

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: [IdentityModule], transport: 'in-process', databaseUrl: database.url });
    registered = facts();
    await publishFacts(host, registered);
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  it('lists every registered organisation by name, without a token: id, kind, name, credit code, region', async () => {
    const listed = await list('');
    expect(listed.nextCursor).toBeNull();
    expect(listed.items).toEqual([
      { id: provider.providerId, kind: 'provider', name: provider.name, creditCode: provider.creditCode, regionCode: '430202' },
      { id: evaluator.evaluatorId, kind: 'evaluator', name: evaluator.name, creditCode: evaluator.creditCode, regionCode: '430200' },
      { id: capitalProvider.providerId, kind: 'provider', name: capitalProvider.name, creditCode: capitalProvider.creditCode, regionCode: '110101' },
      { id: employer.employerId, kind: 'employer', name: employer.name, creditCode: employer.creditCode, regionCode: '430102' },
    ]);
  });

  it('filters by kind', async () => {
    expect(await names('?kind=provider')).toEqual([provider.name, capitalProvider.name]);
    expect(await names('?kind=evaluator')).toEqual([evaluator.name]);
    expect(await names('?kind=employer')).toEqual([employer.name]);
  });

  it('filters by region: a district itself, a city with its districts, a province with its cities', async () => {
    expect(await names('?regionCode=430202')).toEqual([provider.name]);
    expect(await names('?regionCode=430200')).toEqual([provider.name, evaluator.name]);
    expect(await names('?regionCode=430000')).toEqual([provider.name, evaluator.name, employer.name]);
    expect(await names('?regionCode=110000&kind=provider')).toEqual([capitalProvider.name]);
  });

  it('filters by part of the name, in any case', async () => {
    expect(await names('?q=TRAINING')).toEqual([provider.name, capitalProvider.name]);
    expect(await names('?q=rail%20works')).toEqual([employer.name]);
    expect(await names('?q=100%25')).toEqual([]);
  });

  it('pages with nextCursor until it is null', async () => {
    const first = await list('?limit=3');
    expect(first.items.map((item) => item.name)).toEqual([provider.name, evaluator.name, capitalProvider.name]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await list(`?limit=3&cursor=${first.nextCursor}`);
    expect(second).toEqual({ items: [expect.objectContaining({ name: employer.name })], nextCursor: null });
  });

  it('refuses a malformed query field by name', async () => {
    for (const [query, field] of [
      ['?kind=school', 'kind'],
      ['?regionCode=430012', 'regionCode'],
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?cursor=not-a-cursor', 'cursor'],
    ]) {
      const answer = await http(host.baseUrl, 'GET', `/api/v1/organisations${query}`);
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body)).toContain(field);
    }
  });

  it('changes nothing when an event is delivered again, or an organisation is registered twice', async () => {
    const before = await list('');
    await publishFacts(host, registered);
    await publishFacts(host, facts());
    await publishFacts(host, [fact(TRAINING_TOPIC, 'ProviderRegistered', { ...provider, name: 'Renamed School' }, { key: provider.providerId })]);
    expect(await list('')).toEqual(before);
  });
});
