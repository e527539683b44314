// Brand qualification and voids: a hire or an enrolment recorded in error, voided, counts in no figure, live
// or as of any date (unlike an end or a withdrawal, which keep what was); a void applied before the facts
// it voids (a dead letter retried late) keeps them out when they arrive; and redelivering any of them
// changes nothing. In one process, brand-service alone, fed by the in-process bus; a platform_admin
// registers the bureau, its officer the brands.
import { Fact, bearer, createTestDatabase, http, publishFacts, startTestHost, TestDatabase, TestHost, testCreditCode, testIssuer } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { BrandModule } from '../brand.module';
import { registerBuildingUnits } from '../brands/register-brand/building-unit-facts';
import { employmentVoidedMessage, enrollmentVoidedMessage, jobMessages, resultMessage } from '../qualification/brand-facts';
import { BrandFigures } from '../qualification/brand-figures';

/** Every criterion met by any figures: the specs read the figures. */
const POLICY = { windowStart: '2021-01-01', windowEnd: '2021-12-31', minTrained: 1, minPassRate: 0, minEmploymentRate: 0, requiresEthicsTraining: false };

/** The same message under a new id, as a replay from another source brings it (the inbox drops the same id). */
const deliveredAgain = (message: Fact): Fact => ({ ...message, envelope: { ...message.envelope, eventId: randomUUID() } });

describe('brand qualification and voided hires and enrolments', () => {
  let database: TestDatabase;
  let host: TestHost;
  let admin: string;
  let officer: string;
  let bureauId: string;
  let units = 7501;
  const call = (method: string, path: string, body?: unknown, token = officer) => http(host.baseUrl, method, path, body, bearer(token));
  /** The figures as of `asOf` (none: live, as of today). */
  const figures = async (brandId: string, asOf?: string) => {
    const answer = await call('GET', `/api/v1/brands/${brandId}/qualification${asOf ? `?asOf=${asOf}` : ''}`);
    expect(answer.status).toBe(200);
    const { trained, passed, employedInIndustry, ethicsTrainingHeld } = answer.body;
    return { trained, passed, employedInIndustry, ethicsTrainingHeld };
  };
  /** A brand of its own school (each test its own), industry C37, welding. */
  const registerBrand = async () => {
    const provider = testCreditCode(units++);
    await registerBuildingUnits(host, [provider]);
    const answer = await call('POST', '/api/v1/brands', { bureauId, name: `铆焊工${provider}`, tier: 'city', industryCode: 'C37', occupationCodes: ['6-18-02-04'], buildingUnits: [provider], policy: POLICY });
    expect(answer.status).toBe(201);
    return { brandId: answer.body.id as string, provider };
  };
  const rebuild = async (brandId: string) => expect(await call('POST', `/admin/brands/${brandId}/figures/rebuild`, undefined, admin)).toMatchObject({ status: 200, body: { rebuilt: true } });

  beforeAll(async () => {
    const issuer = await testIssuer();
    database = await createTestDatabase();
    host = await startTestHost({ modules: [BrandModule], transport: 'in-process', databaseUrl: database.url });
    admin = await issuer.token({ role: 'platform_admin' });
    bureauId = (await call('POST', '/api/v1/bureaus', { name: '株洲市人力资源和社会保障局', regionCode: '430200' }, admin)).body.id;
    officer = await issuer.token({ role: 'bureau_officer', organisationId: bureauId });
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  it('counts a voided hire, ended or not, as employed as of no date, live or rebuilt, whatever is delivered again', async () => {
    const { brandId, provider } = await registerBrand();
    const [kept, voidedOpen, voidedEnded] = [randomUUID(), randomUUID(), randomUUID()];
    const keptJob = jobMessages({ traineeId: kept, employerIndustryCode: 'C37', startDate: '2021-06-01' });
    const openJob = jobMessages({ traineeId: voidedOpen, employerIndustryCode: 'C37', startDate: '2021-06-01' });
    const endedJob = jobMessages({ traineeId: voidedEnded, employerIndustryCode: 'C37', startDate: '2021-05-01', endDate: '2021-08-01' });
    await publishFacts(host, [
      ...[kept, voidedOpen, voidedEnded].map((traineeId) => resultMessage(provider, { traineeId, assessedOn: '2021-03-01', passed: true })),
      ...keptJob,
      ...openJob,
      ...endedJob,
    ]);
    expect(await figures(brandId, '2021-07-01')).toEqual({ trained: 3, passed: 3, employedInIndustry: 3, ethicsTrainingHeld: false });
    expect(await figures(brandId, '2021-09-30')).toMatchObject({ employedInIndustry: 2 });
    expect(await figures(brandId)).toMatchObject({ employedInIndustry: 2 });
    const sequenceBefore = await host.app.get(BrandFigures).lastFactSequence();

    const voids = [employmentVoidedMessage(openJob[0], '2021-10-10'), employmentVoidedMessage(endedJob[0], '2021-10-10')];
    await publishFacts(host, voids);
    const after = { '2021-05-15': { trained: 3, passed: 3, employedInIndustry: 0, ethicsTrainingHeld: false }, '2021-07-01': { trained: 3, passed: 3, employedInIndustry: 1, ethicsTrainingHeld: false } };
    expect(await figures(brandId, '2021-05-15')).toEqual(after['2021-05-15']);
    expect(await figures(brandId, '2021-07-01')).toEqual(after['2021-07-01']);
    expect(await figures(brandId, '2021-09-30')).toMatchObject({ employedInIndustry: 1 });
    expect(await figures(brandId)).toMatchObject({ trained: 3, employedInIndustry: 1 });
    // The void is a fact here too: what a decision records it saw does not go back.
    expect(await host.app.get(BrandFigures).lastFactSequence()).toBeGreaterThan(sequenceBefore);

    // The voids delivered again (the same messages; as replays), and the hires and the end replayed after them.
    await publishFacts(host, [...voids, ...voids.map(deliveredAgain), ...[...openJob, ...endedJob].map(deliveredAgain)]);
    expect(await figures(brandId, '2021-05-15')).toEqual(after['2021-05-15']);
    expect(await figures(brandId, '2021-07-01')).toEqual(after['2021-07-01']);
    await rebuild(brandId);
    expect(await figures(brandId, '2021-07-01')).toEqual(after['2021-07-01']);
  });

  it("counts a voided enrolment's results (a correction among them) and an ethics course's as of no date, while a new enrolment of the person counts", async () => {
    const { brandId, provider } = await registerBrand();
    const [voided, kept] = [randomUUID(), randomUUID()];
    const enrollmentId = randomUUID();
    const corrected = [
      resultMessage(provider, { traineeId: voided, enrollmentId, assessedOn: '2021-03-01', passed: false, version: 3 }),
      resultMessage(provider, { traineeId: voided, enrollmentId, assessedOn: '2021-03-10', passed: true, version: 4 }),
    ];
    const ethics = resultMessage(provider, { traineeId: randomUUID(), assessedOn: '2021-04-01', passed: true, kind: 'ethics_and_law' });
    await publishFacts(host, [
      ...corrected,
      resultMessage(provider, { traineeId: kept, assessedOn: '2021-03-01', passed: true }),
      ethics,
      ...jobMessages({ traineeId: voided, employerIndustryCode: 'C37', startDate: '2021-06-01' }),
    ]);
    expect(await figures(brandId, '2021-03-05')).toEqual({ trained: 2, passed: 1, employedInIndustry: 0, ethicsTrainingHeld: false });
    expect(await figures(brandId, '2021-09-30')).toEqual({ trained: 2, passed: 2, employedInIndustry: 1, ethicsTrainingHeld: true });

    const voids = [enrollmentVoidedMessage(corrected, '2021-10-10'), enrollmentVoidedMessage([ethics], '2021-10-10')];
    await publishFacts(host, voids);
    const after = { '2021-03-05': { trained: 1, passed: 1, employedInIndustry: 0, ethicsTrainingHeld: false }, '2021-09-30': { trained: 1, passed: 1, employedInIndustry: 0, ethicsTrainingHeld: false } };
    expect(await figures(brandId, '2021-03-05')).toEqual(after['2021-03-05']);
    expect(await figures(brandId, '2021-09-30')).toEqual(after['2021-09-30']);
    expect(await figures(brandId)).toEqual(after['2021-09-30']);

    // Delivered again, and the results replayed after their void: nothing changes, rebuilt or not.
    await publishFacts(host, [...voids, ...voids.map(deliveredAgain), ...[...corrected, ethics].map(deliveredAgain)]);
    expect(await figures(brandId, '2021-09-30')).toEqual(after['2021-09-30']);
    await rebuild(brandId);
    expect(await figures(brandId, '2021-03-05')).toEqual(after['2021-03-05']);
    expect(await figures(brandId, '2021-09-30')).toEqual(after['2021-09-30']);

    // Enrolled in the course again (a new enrolment): its result counts, from its own date; the hire with it.
    await publishFacts(host, [resultMessage(provider, { traineeId: voided, assessedOn: '2021-04-01', passed: true })]);
    expect(await figures(brandId, '2021-03-05')).toEqual(after['2021-03-05']);
    expect(await figures(brandId, '2021-09-30')).toEqual({ trained: 2, passed: 2, employedInIndustry: 1, ethicsTrainingHeld: false });
  });

  it('keeps out the facts a void was applied before (dead letters retried late), in a brand counting as they come and in one registered after them', async () => {
    const { brandId, provider } = await registerBrand();
    const [person, hiredInError, kept] = [randomUUID(), randomUUID(), randomUUID()];
    const results = [resultMessage(provider, { traineeId: person, assessedOn: '2021-03-01', passed: true })];
    const job = jobMessages({ traineeId: hiredInError, employerIndustryCode: 'C37', startDate: '2021-05-01', endDate: '2021-08-01' });
    await publishFacts(host, [enrollmentVoidedMessage(results, '2021-10-10'), employmentVoidedMessage(job[0], '2021-10-10')]);
    await publishFacts(host, [
      ...results,
      resultMessage(provider, { traineeId: hiredInError, assessedOn: '2021-03-01', passed: true }),
      resultMessage(provider, { traineeId: kept, assessedOn: '2021-03-01', passed: true }),
      ...job,
      ...jobMessages({ traineeId: person, employerIndustryCode: 'C37', startDate: '2021-06-01' }),
    ]);
    const expected = { trained: 2, passed: 2, employedInIndustry: 0, ethicsTrainingHeld: false };
    expect(await figures(brandId, '2021-07-01')).toEqual(expected);
    expect(await figures(brandId)).toEqual(expected);

    const later = await call('POST', '/api/v1/brands', { bureauId, name: `铆焊工${provider}（后）`, tier: 'city', industryCode: 'C37', occupationCodes: ['6-18-02-04'], buildingUnits: [provider], policy: POLICY });
    expect(later.status).toBe(201);
    expect(await figures(later.body.id, '2021-07-01')).toEqual(expected);
  });
});
