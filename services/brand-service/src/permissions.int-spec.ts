// Who may register, certify and revoke a brand (domain.md section 9), over HTTP on brand-service alone:
// a `bureau_officer` of a bureau whose region contains the brand's region, and, for certifying and
// revoking, only the tier of its level (a city bureau `city`, a provincial one `provincial`, the ministry
// `000000` `national`). The roles are the AuthGuard's; the bureaus here are checked by the brand aggregate.
// Every refusal is a 403 naming the permission, with nothing recorded. Reading a brand and its
// qualification stays the role check for now.
import { fixedClock } from '@skills/domain-kernel';
import { ApiSpec, bearer, ServiceSpec, startServiceSpec, stream } from '@skills/testing';
import { BrandModule } from './brand.module';

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
  });

  afterAll(() => service?.close());

  const brandBody = (bureauId: string) => ({ bureauId, name: '株洲新希望铆焊工', tier: 'city', industryCode: 'C37', occupationCodes: ['6-18-02-04'], buildingUnits: ['91430200MA4L00001P'], policy: ANYTHING });
  /** A Zhuzhou (430200) brand, registered by the Zhuzhou bureau's officer. */
  const zhuzhouBrand = async () => (await spec.when('POST', '/api/v1/brands', brandBody(bureaus.zhuzhou.id), bureaus.zhuzhou.officer).then(201)).body.id as string;
  const certified = (brandId: string, tier: string) => ({
    type: 'BrandCertified',
    data: { brandId, tier, decidedOn: '2021-10-01', basedOnFactSequence: 0, figures: { asOf: '2021-10-01', trained: 0, passed: 0, passRate: 0, employmentRate: 0, employedInIndustry: 0, ethicsTrainingHeld: false, qualifies: true, unmet: [] } },
  });

  it('registers the national ministry under the region code 000000, and still refuses a code of no province', async () => {
    await spec.when('POST', '/api/v1/bureaus', { name: '人力资源和社会保障部', regionCode: '000000' }).then(201, [{ type: 'BureauRegistered', data: { regionCode: '000000' } }]);
    await spec.when('POST', '/api/v1/bureaus', { name: 'x', regionCode: '990000' }).then(400, [], { errors: [{ field: 'regionCode', rule: 'isRegionCode' }] });
  });

  it("registers a brand only as an officer of a bureau containing the brand's bureau's region", async () => {
    // Changsha (430100) cannot register a Zhuzhou brand, nor Zhuzhou one for Changsha's bureau.
    await spec.when('POST', '/api/v1/brands', brandBody(bureaus.zhuzhou.id), bureaus.changsha.officer).then(403, [], { permission: 'brands:register', rule: 'permission_denied' });
    await spec.when('POST', '/api/v1/brands', brandBody(bureaus.changsha.id), bureaus.zhuzhou.officer).then(403, [], { permission: 'brands:register' });
    await spec.when('POST', '/api/v1/brands', brandBody(bureaus.zhuzhou.id), bureaus.zhuzhou.officer).then(201, [{ type: 'BrandRegistered', data: { bureauId: bureaus.zhuzhou.id, regionCode: '430200' } }]);
    // Hunan (430000) contains Zhuzhou.
    await spec.when('POST', '/api/v1/brands', brandBody(bureaus.zhuzhou.id), bureaus.hunan.officer).then(201, [{ type: 'BrandRegistered', data: { regionCode: '430200' } }]);
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
});
