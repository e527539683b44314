// Who may register, certify and revoke a brand (domain.md section 9), over HTTP on brand-service alone:
// a `bureau_officer` of a bureau whose region contains the brand's region, and, for certifying and
// revoking, only the tier of its level (a city bureau `city`, a provincial one `provincial`, the ministry
// `000000` `national`). The roles are the AuthGuard's; the bureaus here are checked by the brand aggregate.
// Reading a brand and its qualification: an officer of a bureau whose region contains the brand's,
// staff of a provider or employer whose credit code is one of its building units (learnt from their
// registration events), the platform admin. Every refusal is a 403 naming the permission, with nothing
// recorded.
import { EmployerRegisteredV1, PLACEMENT_TOPIC, ProviderRegisteredV1, TRAINING_TOPIC } from '@skills/contracts';
import { fixedClock } from '@skills/domain-kernel';
import { ApiSpec, bearer, fact, publishFacts, ServiceSpec, startServiceSpec, stream, testCreditCode } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { BrandModule } from './brand.module';
import { registerBuildingUnits } from './brands/register-brand/building-unit-facts';

const TODAY = '2021-10-15';
const clock = fixedClock('2021-10-15T02:00:00.000Z');
/** A policy every brand meets, even with no facts: these tests are about who decides, not on what. */
const ANYTHING = { windowStart: '2020-11-01', windowEnd: '2021-09-30', minTrained: 0, minPassRate: 0, minEmploymentRate: 0, requiresEthicsTraining: false };

describe('brands: who may register, certify and revoke (domain.md section 9)', () => {
  let service: ServiceSpec;
  /** As the platform admin (bureaus are registered by it). */
  let spec: ApiSpec;
  /** Each bureau's id and an officer's authorization header. */
  const bureaus = {} as Record<'zhuzhou' | 'changsha' | 'hunan' | 'ministry', { id: string; officer: Record<string, string> }>;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [BrandModule], service: 'brand', clock, token: { role: 'platform_admin' } });
    spec = service.spec;
    const regions = { zhuzhou: ['株洲市人力资源和社会保障局', '430200'], changsha: ['长沙市人力资源和社会保障局', '430100'], hunan: ['湖南省人力资源和社会保障厅', '430000'], ministry: ['人力资源和社会保障部', '000000'] } as const;
    for (const [key, [name, regionCode]] of Object.entries(regions)) {
      const { body } = await spec.when('POST', '/api/v1/bureaus', { name, regionCode }).then(201);
      bureaus[key as keyof typeof bureaus] = { id: body.id, officer: bearer(await service.issuer.token({ role: 'bureau_officer', organisationId: body.id })) };
    }
    await registerBuildingUnits(service.host, ['91430200MA4L00001P']);
    await registerBuildingUnits(service.host, ['91350100M000100Y43'], '430100');
  });

  afterAll(() => service?.close());

  let brands = 0;
  /** A brand of a name of its own (one name per region), built by a Zhuzhou school. */
  const brandBody = (bureauId: string) => ({ bureauId, name: `株洲新希望铆焊工${++brands}`, tier: 'city', industryCode: 'C37', occupationCodes: ['6-18-02-04'], buildingUnits: ['91430200MA4L00001P'], policy: ANYTHING });
  /** A Zhuzhou (430200) brand, registered by the Zhuzhou bureau's officer. */
  const zhuzhouBrand = async () => (await spec.when('POST', '/api/v1/brands', brandBody(bureaus.zhuzhou.id), bureaus.zhuzhou.officer).then(201)).body.id as string;
  const certified = (brandId: string, tier: string) => ({
    type: 'BrandCertified',
    data: { brandId, tier, decidedOn: '2021-10-01', basedOnFactSequence: 0, figures: { asOf: '2021-10-01', trained: 0, passed: 0, passRate: 0, employmentRate: 0, employedInIndustry: 0, ethicsTrainingHeld: false, qualifies: true, unmet: [] } },
  });

  it('registers one bureau per region, the national ministry under the region code 000000, and refuses a code of no province', async () => {
    await spec.when('POST', '/api/v1/bureaus', { name: '株洲市荷塘区人力资源和社会保障局', regionCode: '430202' }).then(201, [{ type: 'BureauRegistered', data: { regionCode: '430202' } }]);
    // The ministry was registered before all (000000): one bureau per region, a second is refused naming the first.
    await spec.when('POST', '/api/v1/bureaus', { name: '人力资源和社会保障部', regionCode: '000000' }).then(409, [], { rule: 'bureau_region_registered', existingId: bureaus.ministry.id });
    await spec.when('POST', '/api/v1/bureaus', { name: '株洲市人社局', regionCode: '430200' }).then(409, [], { rule: 'bureau_region_registered', existingId: bureaus.zhuzhou.id });
    await spec.when('POST', '/api/v1/bureaus', { name: 'x', regionCode: '990000' }).then(400, [], { errors: [{ field: 'regionCode', rule: 'isRegionCode' }] });
  });

  it("registers a brand only as an officer of a bureau containing the brand's bureau's region, and only for the tier of its level", async () => {
    // Changsha (430100) cannot register a Zhuzhou brand, nor Zhuzhou one for Changsha's bureau (a Changsha school building it).
    await spec.when('POST', '/api/v1/brands', brandBody(bureaus.zhuzhou.id), bureaus.changsha.officer).then(403, [], { permission: 'brands:register', rule: 'permission_denied' });
    await spec.when('POST', '/api/v1/brands', { ...brandBody(bureaus.changsha.id), buildingUnits: ['91350100M000100Y43'] }, bureaus.zhuzhou.officer).then(403, [], { permission: 'brands:register' });
    await spec.when('POST', '/api/v1/brands', brandBody(bureaus.zhuzhou.id), bureaus.zhuzhou.officer).then(201, [{ type: 'BrandRegistered', data: { bureauId: bureaus.zhuzhou.id, regionCode: '430200', tier: 'city' } }]);
    // Hunan (430000) contains Zhuzhou: a provincial brand of Zhuzhou's it registers, a city one it does not, nor Zhuzhou a provincial one.
    await spec.when('POST', '/api/v1/brands', { ...brandBody(bureaus.zhuzhou.id), tier: 'provincial' }, bureaus.hunan.officer).then(201, [{ type: 'BrandRegistered', data: { regionCode: '430200', tier: 'provincial' } }]);
    await spec.when('POST', '/api/v1/brands', brandBody(bureaus.zhuzhou.id), bureaus.hunan.officer).then(403, [], { permission: 'brands:register' });
    await spec.when('POST', '/api/v1/brands', { ...brandBody(bureaus.zhuzhou.id), tier: 'provincial' }, bureaus.zhuzhou.officer).then(403, [], { permission: 'brands:register' });
  });

  it('lets the Zhuzhou bureau (430200) certify a Zhuzhou brand at the city tier but not at provincial, and not Changsha (430100) touch it', async () => {
    const brandId = await zhuzhouBrand();
    const certify = (tier: string, officer: Record<string, string>) => spec.when('POST', `/api/v1/brands/${brandId}/certifications`, { tier, decidedOn: TODAY }, officer);
    await certify('city', bureaus.changsha.officer).then(403, [], { permission: 'brands:certify', rule: 'permission_denied' });
    await certify('city', bureaus.hunan.officer).then(403, [], { permission: 'brands:certify' });
    await certify('city', bureaus.zhuzhou.officer).then(201, [{ type: 'BrandCertified', data: { brandId, tier: 'city' } }]);
    // With the city tier standing, only the level stops the city bureau from certifying provincial.
    await certify('provincial', bureaus.zhuzhou.officer).then(403, [], { permission: 'brands:certify' });
    await certify('provincial', bureaus.changsha.officer).then(403, [], { permission: 'brands:certify' });
    await certify('provincial', bureaus.hunan.officer).then(201, [{ type: 'BrandCertified', data: { tier: 'provincial' } }]);
    await certify('national', bureaus.hunan.officer).then(403, [], { permission: 'brands:certify' });
    await certify('national', bureaus.ministry.officer).then(201, [{ type: 'BrandCertified', data: { tier: 'national' } }]);
  });

  it("revokes a tier only as an officer of a bureau containing the brand's region, of that tier's level", async () => {
    const brandId = await zhuzhouBrand();
    const revocation = (tier: string) => `/api/v1/brands/${brandId}/certifications/${tier}/revocation`;
    const revoke = (tier: string, officer: Record<string, string>) => spec.when('POST', revocation(tier), { reason: '复核不达标' }, officer);
    await spec
      .given(stream(`brand-${brandId}`, certified(brandId, 'city'), certified(brandId, 'provincial')))
      .when('POST', revocation('city'), { reason: '复核不达标' }, bureaus.changsha.officer)
      .then(403, [], { permission: 'brands:revoke', rule: 'permission_denied' });
    await revoke('provincial', bureaus.zhuzhou.officer).then(403, [], { permission: 'brands:revoke' });
    await revoke('provincial', bureaus.ministry.officer).then(403, [], { permission: 'brands:revoke' });
    await revoke('city', bureaus.zhuzhou.officer).then(200, [{ type: 'BrandCertificationRevoked', data: { brandId, tier: 'city', revokedOn: TODAY } }]);
    await revoke('provincial', bureaus.hunan.officer).then(200, [{ type: 'BrandCertificationRevoked', data: { tier: 'provincial' } }]);
  });

  describe('reading a brand and its qualification (brands:read, brands:read-qualification)', () => {
    const units = { school: testCreditCode(8001), otherSchool: testCreditCode(8002), employer: testCreditCode(8003), otherEmployer: testCreditCode(8004) };
    /** Staff of each organisation, registered in training- and placement-service with its credit code. */
    const staff = {} as Record<keyof typeof units, Record<string, string>>;
    let brandId: string;

    const providerRegistered = (providerId: string, creditCode: string) =>
      fact(TRAINING_TOPIC, 'ProviderRegistered', { providerId, name: '株洲新希望焊接培训学校', creditCode, regionCode: '430200' } satisfies ProviderRegisteredV1, { key: providerId });
    const employerRegistered = (employerId: string, creditCode: string) =>
      fact(PLACEMENT_TOPIC, 'EmployerRegistered', { employerId, name: '株洲中车时代电气', creditCode, industryCode: 'C37', regionCode: '430200' } satisfies EmployerRegisteredV1, { key: employerId });
    /** A Zhuzhou brand built by these units. */
    const brandOf = async (buildingUnits: string[]) =>
      (await spec.when('POST', '/api/v1/brands', { ...brandBody(bureaus.zhuzhou.id), buildingUnits }, bureaus.zhuzhou.officer).then(201)).body.id as string;

    /** Both reads of the brand as `caller`: 200 each, or 403 each naming its own permission; nothing recorded. */
    const reads = async (caller: Record<string, string> | undefined, status: 200 | 403) => {
      await spec.when('GET', `/api/v1/brands/${brandId}`, undefined, caller).then(status, [], status === 200 ? { id: brandId, regionCode: '430200' } : { permission: 'brands:read', rule: 'permission_denied' });
      await spec
        .when('GET', `/api/v1/brands/${brandId}/qualification?asOf=2021-09-30`, undefined, caller)
        .then(status, [], status === 200 ? { asOf: '2021-09-30', qualifies: true } : { permission: 'brands:read-qualification', rule: 'permission_denied' });
    };

    beforeAll(async () => {
      const ids = { school: randomUUID(), otherSchool: randomUUID(), employer: randomUUID(), otherEmployer: randomUUID() };
      await publishFacts(service.host, [
        providerRegistered(ids.school, units.school),
        providerRegistered(ids.otherSchool, units.otherSchool),
        employerRegistered(ids.employer, units.employer),
        employerRegistered(ids.otherEmployer, units.otherEmployer),
      ]);
      for (const key of ['school', 'otherSchool'] as const) staff[key] = bearer(await service.issuer.token({ role: 'school_staff', organisationId: ids[key] }));
      for (const key of ['employer', 'otherEmployer'] as const) staff[key] = bearer(await service.issuer.token({ role: 'employer_staff', organisationId: ids[key] }));
      brandId = await brandOf([units.school, units.employer]);
    });

    it("lets an officer of a bureau containing the brand's region read it (Zhuzhou 430200, Hunan 430000), not Changsha (430100)", async () => {
      await reads(bureaus.zhuzhou.officer, 200);
      await reads(bureaus.hunan.officer, 200);
      await reads(bureaus.changsha.officer, 403);
    });

    it('lets staff of a building unit read it, a school or an employer, and not staff of another', async () => {
      await reads(staff.school, 200);
      await reads(staff.employer, 200);
      await reads(staff.otherSchool, 403);
      await reads(staff.otherEmployer, 403);
    });

    it('lets the platform admin read every brand', async () => {
      await reads(undefined, 200);
    });

    it('knows a building unit once its registration has been applied, and refuses its staff while no service has registered it', async () => {
      const providerId = randomUUID();
      // A brand's units are known when it is registered: the code's first organisation is, the staff's own (a
      // second one under that code, as a school registered again) is not yet.
      await publishFacts(service.host, [providerRegistered(randomUUID(), testCreditCode(8005))]);
      const newBrand = await brandOf([testCreditCode(8005)]);
      const school = bearer(await service.issuer.token({ role: 'school_staff', organisationId: providerId }));
      // Nothing here, and nothing on its way (the catch-up finds no registration left to apply): refused at
      // once, not after a wait. A registration on its way is waited for (the barrier, as e2e/src/catch-up.e2e-spec.ts shows for a trainee).
      await spec.when('GET', `/api/v1/brands/${newBrand}`, undefined, school).then(403, [], { permission: 'brands:read' });
      await publishFacts(service.host, [providerRegistered(providerId, testCreditCode(8005))]);
      await spec.when('GET', `/api/v1/brands/${newBrand}`, undefined, school).then(200, [], { id: newBrand });
    });
  });
});
