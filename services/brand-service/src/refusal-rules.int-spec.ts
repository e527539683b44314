// Every refusal rule of brand-service's aggregates, provoked over HTTP on brand-service alone, with the
// clock fixed. Brands are registered through the API (their scope is written with them); standing
// certifications are given as the brand's own events. The table is checked against the aggregates' source.
// The bureaus are registered by a platform_admin; the Zhuzhou (city) bureau's officer registers the brands,
// certifies and revokes them at the city tier; the Hunan bureau's officer (430000) asks for the provincial
// tier and the ministry's (000000) for the national one (domain.md section 9: only the tier of its level).
// The brands' building unit is a Zhuzhou school the organisation replica holds; each brand has a name of its own.
import { fixedClock } from '@skills/domain-kernel';
import { ApiSpec, bearer, http, refusalRulesOf, ServiceSpec, startServiceSpec, stream } from '@skills/testing';
import path from 'node:path';
import { BrandModule } from './brand.module';
import { registerBuildingUnits } from './brands/register-brand/building-unit-facts';

const TODAY = '2021-10-15';
const clock = fixedClock('2021-10-15T02:00:00.000Z');
/** A Zhuzhou school (430200), the brands' building unit, and a Shenzhen one (440300). */
const ZHUZHOU_SCHOOL = '91430200MA4L00001P';
const SHENZHEN_SCHOOL = '91350100M000100Y43';
const POLICY = { windowStart: '2020-11-01', windowEnd: '2021-09-30', minTrained: 1, minPassRate: 0.85, minEmploymentRate: 0.7, requiresEthicsTraining: false };

describe('brands: every refusal rule over HTTP', () => {
  let service: ServiceSpec;
  let spec: ApiSpec;
  let bureauId: string;
  let officer: string;
  /** Authorization headers of an officer of the Hunan provincial bureau and of the ministry. */
  let provincialOfficer: Record<string, string>;
  let nationalOfficer: Record<string, string>;
  /** The Hunan provincial bureau (430000) and the ministry (000000): brands naming them are refused. */
  let hunanBureauId: string;
  let ministryBureauId: string;

  beforeAll(async () => {
    service = await startServiceSpec({
      modules: [BrandModule],
      service: 'brand',
      clock,
      // The spec goes as the Zhuzhou bureau's officer, once the platform admin has registered the bureaus.
      token: async ({ host, issuer }) => {
        const admin = await issuer.token({ role: 'platform_admin' });
        bureauId = (await http(host.baseUrl, 'POST', '/api/v1/bureaus', { name: '株洲市人力资源和社会保障局', regionCode: '430200' }, bearer(admin))).body.id;
        officer = await issuer.token({ role: 'bureau_officer', organisationId: bureauId });
        hunanBureauId = (await http(host.baseUrl, 'POST', '/api/v1/bureaus', { name: '湖南省人力资源和社会保障厅', regionCode: '430000' }, bearer(admin))).body.id;
        provincialOfficer = bearer(await issuer.token({ role: 'bureau_officer', organisationId: hunanBureauId }));
        ministryBureauId = (await http(host.baseUrl, 'POST', '/api/v1/bureaus', { name: '人力资源和社会保障部', regionCode: '000000' }, bearer(admin))).body.id;
        nationalOfficer = bearer(await issuer.token({ role: 'bureau_officer', organisationId: ministryBureauId }));
        await registerBuildingUnits(host, [ZHUZHOU_SCHOOL]);
        await registerBuildingUnits(host, [SHENZHEN_SCHOOL], '440300');
        return officer;
      },
    });
    spec = service.spec;
  });

  afterAll(() => service?.close());

  let brands = 0;
  const brandBody = (policy: Record<string, unknown> = POLICY) => ({
    bureauId,
    name: `株洲新希望铆焊工${++brands}`,
    tier: 'city',
    industryCode: 'C37',
    occupationCodes: ['6-18-02-04'],
    buildingUnits: [ZHUZHOU_SCHOOL],
    policy,
  });
  const registerBrand = async () => {
    const answer = await http(service.host.baseUrl, 'POST', '/api/v1/brands', brandBody(), bearer(officer));
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };
  /** A standing certification at `tier` decided on `decidedOn`, as the brand's stream records it. */
  const certified = (brandId: string, tier: string, decidedOn = '2021-10-01') => ({
    type: 'BrandCertified',
    data: { brandId, tier, decidedOn, basedOnFactSequence: 0, figures: { asOf: decidedOn, trained: 1, passed: 1, passRate: 1, employedInIndustry: 1, employmentRate: 1, ethicsTrainingHeld: true, qualifies: true, unmet: [] } },
  });

  const scenarios: Record<string, (spec: ApiSpec) => Promise<unknown>> = {
    policy_window_inverted: (spec) =>
      spec
        .when('POST', '/api/v1/brands', brandBody({ ...POLICY, windowStart: '2021-09-30', windowEnd: '2020-11-01' }))
        .then(400, [], { rule: 'policy_window_inverted', errors: [{ field: 'policy.windowEnd', rule: 'policy_window_inverted' }] }),
    date_in_future: async (spec) => {
      const brandId = await registerBrand();
      await spec.when('POST', `/api/v1/brands/${brandId}/certifications`, { tier: 'city', decidedOn: '2021-10-16' }).then(400, [], { errors: [{ field: 'decidedOn', rule: 'date_in_future' }] });
    },
    brand_does_not_qualify: async (spec) => {
      const brandId = await registerBrand();
      await spec.when('POST', `/api/v1/brands/${brandId}/certifications`, { tier: 'city', decidedOn: TODAY }).then(409, [], { rule: 'brand_does_not_qualify', asOf: TODAY });
    },
    requires_city_certification: async (spec) => {
      const brandId = await registerBrand();
      await spec.when('POST', `/api/v1/brands/${brandId}/certifications`, { tier: 'provincial', decidedOn: TODAY }, provincialOfficer).then(409, [], { rule: 'requires_city_certification' });
    },
    // The provincial certification stands today, but not yet on the day the national decision names.
    requires_provincial_certification: async (spec) => {
      const brandId = await registerBrand();
      await spec
        .given(stream(`brand-${brandId}`, certified(brandId, 'city'), certified(brandId, 'provincial', '2021-10-12')))
        .when('POST', `/api/v1/brands/${brandId}/certifications`, { tier: 'national', decidedOn: '2021-10-11' }, nationalOfficer)
        .then(409, [], { rule: 'requires_provincial_certification', requires: 'provincial', asOf: '2021-10-11' });
    },
    tier_already_certified: async (spec) => {
      const brandId = await registerBrand();
      await spec
        .given(stream(`brand-${brandId}`, certified(brandId, 'city')))
        .when('POST', `/api/v1/brands/${brandId}/certifications`, { tier: 'city', decidedOn: TODAY })
        .then(409, [], { rule: 'tier_already_certified' });
    },
    revoked_before_certification: async (spec) => {
      const brandId = await registerBrand();
      await spec
        .given(stream(`brand-${brandId}`, certified(brandId, 'city')))
        .when('POST', `/api/v1/brands/${brandId}/certifications/city/revocation`, { reason: '复核不达标', revokedOn: '2021-09-30' })
        .then(409, [], { rule: 'revoked_before_certification', revokedOn: '2021-09-30', decidedOn: '2021-10-01' });
    },
    // The provincial certification decided on 10-12 stood on the city one that day: revoked as of 10-12, it would not have.
    higher_tier_depends_on_it: async (spec) => {
      const brandId = await registerBrand();
      await spec
        .given(stream(`brand-${brandId}`, certified(brandId, 'city'), certified(brandId, 'provincial', '2021-10-12')))
        .when('POST', `/api/v1/brands/${brandId}/certifications/city/revocation`, { reason: '复核不达标', revokedOn: '2021-10-12' })
        .then(409, [], { rule: 'higher_tier_depends_on_it', tier: 'city', revokedOn: '2021-10-12', higherTier: 'provincial', higherDecidedOn: '2021-10-12' });
    },
    // A province's bureau naming itself, and the ministry naming itself: no city bureau's region contains theirs.
    brand_region_above_city: async (spec) => {
      await spec
        .when('POST', '/api/v1/brands', { ...brandBody(), bureauId: hunanBureauId, tier: 'provincial' }, provincialOfficer)
        .then(409, [], { rule: 'brand_region_above_city', bureauId: hunanBureauId, regionCode: '430000', level: 'provincial' });
      await spec
        .when('POST', '/api/v1/brands', { ...brandBody(), bureauId: ministryBureauId, tier: 'national' }, nationalOfficer)
        .then(409, [], { rule: 'brand_region_above_city', regionCode: '000000', level: 'national' });
    },
    // A credit code no provider or employer was registered under, named by its place in the body.
    building_unit_unknown: (spec) =>
      spec
        .when('POST', '/api/v1/brands', { ...brandBody(), buildingUnits: [ZHUZHOU_SCHOOL, '91110108551385082Q'] })
        .then(400, [], { rule: 'building_unit_unknown', creditCode: '91110108551385082Q', errors: [{ field: 'buildingUnits.1', rule: 'building_unit_unknown' }] }),
    // A Shenzhen school in a Zhuzhou brand: its trainees would count in figures Zhuzhou may not read.
    building_unit_outside_region: (spec) =>
      spec
        .when('POST', '/api/v1/brands', { ...brandBody(), buildingUnits: [SHENZHEN_SCHOOL] })
        .then(400, [], { rule: 'building_unit_outside_region', creditCode: SHENZHEN_SCHOOL, unitRegionCode: '440300', errors: [{ field: 'buildingUnits.0', rule: 'building_unit_outside_region' }] }),
    // The province certified the brand as it stood: the city's correction waits until that is revoked.
    brand_certified_above_tier: async (spec) => {
      const brandId = await registerBrand();
      await spec
        .given(stream(`brand-${brandId}`, certified(brandId, 'city'), certified(brandId, 'provincial', '2021-10-12')))
        .when('PATCH', `/api/v1/brands/${brandId}`, { name: '株洲焊工（更正）', reason: '登记时录入错误' })
        .then(409, [], { rule: 'brand_certified_above_tier', tier: 'provincial', decidedOn: '2021-10-12' });
    },
    tier_not_certified: async (spec) => {
      const brandId = await registerBrand();
      await spec.when('POST', `/api/v1/brands/${brandId}/certifications/city/revocation`, { reason: '复核不达标' }).then(409, [], { rule: 'tier_not_certified' });
    },
  };

  it("has a scenario for exactly the rules brand-service's aggregates can raise", () => {
    expect(Object.keys(scenarios).sort()).toEqual(refusalRulesOf(path.join(__dirname)));
  });

  it.each(Object.keys(scenarios))('refuses by %s', async (rule) => {
    await scenarios[rule](spec);
  });

  // A correction (PATCH) is judged by registration's rules, and by its own: something to correct, a reason
  // kept for good without personal data, a name no other brand of the region holds.
  it('refuses a correction by nothing_to_correct, personal_data_in_text, brand_name_taken and the rules registration judges', async () => {
    const [holder, brandId] = [await registerBrand(), await registerBrand()];
    const holderName = (await http(service.host.baseUrl, 'GET', `/api/v1/brands/${holder}`, undefined, bearer(officer))).body.name;
    const correct = (body: Record<string, unknown>) => spec.when('PATCH', `/api/v1/brands/${brandId}`, { reason: '登记时录入错误', ...body });
    await correct({}).then(400, [], { rule: 'nothing_to_correct', errors: [{ field: 'name', rule: 'nothing_to_correct' }] });
    await correct({ name: '株洲焊工', reason: '经办人电话13812345678' }).then(400, [], { errors: [{ field: 'reason', rule: 'personal_data_in_text' }] });
    await correct({ name: holderName }).then(409, [], { rule: 'brand_name_taken', existingId: holder, name: holderName, regionCode: '430200' });
    await correct({ policy: { ...POLICY, windowStart: '2021-09-30', windowEnd: '2020-11-01' } }).then(400, [], { errors: [{ field: 'policy.windowEnd', rule: 'policy_window_inverted' }] });
    await correct({ buildingUnits: [ZHUZHOU_SCHOOL, '91110108551385082Q'] }).then(400, [], { errors: [{ field: 'buildingUnits.1', rule: 'building_unit_unknown' }] });
    await correct({ buildingUnits: [SHENZHEN_SCHOOL] }).then(400, [], { errors: [{ field: 'buildingUnits.0', rule: 'building_unit_outside_region' }] });
    await correct({ name: '湖南焊工' }).then(200, [{ type: 'BrandCorrected' }], { corrected: ['name'] });
    await spec.when('PATCH', `/api/v1/brands/${brandId}`, { name: '湖南焊工X', reason: '登记时录入错误' }, provincialOfficer).then(403, [], { permission: 'brands:register' });
  });

  it('dates a revocation sent without a date by the injected clock', async () => {
    const brandId = await registerBrand();
    await spec
      .given(stream(`brand-${brandId}`, certified(brandId, 'city')))
      .when('POST', `/api/v1/brands/${brandId}/certifications/city/revocation`, { reason: '复核不达标' })
      .then(200, [{ type: 'BrandCertificationRevoked', data: { tier: 'city', revokedOn: TODAY } }], { tier: 'city', status: 'revoked', revokedOn: TODAY });
  });

  it('revokes the city tier as of the day after the provincial decision that stood on it, and the provincial tier before the national decision once that is revoked', async () => {
    const brandId = await registerBrand();
    const revocation = (tier: string) => `/api/v1/brands/${brandId}/certifications/${tier}/revocation`;
    await spec
      .given(stream(`brand-${brandId}`, certified(brandId, 'city'), certified(brandId, 'provincial', '2021-10-12'), certified(brandId, 'national', '2021-10-13')))
      .when('POST', revocation('city'), { reason: '复核不达标', revokedOn: '2021-10-13' })
      .then(200, [{ type: 'BrandCertificationRevoked', data: { tier: 'city', revokedOn: '2021-10-13' } }]);
    await spec.when('POST', revocation('provincial'), { reason: '复核不达标', revokedOn: '2021-10-12' }, provincialOfficer).then(409, [], { rule: 'higher_tier_depends_on_it', higherTier: 'national', higherDecidedOn: '2021-10-13' });
    // Revoked as of its own decision day, the national certification never stood: nothing stands on the provincial one.
    await spec.when('POST', revocation('national'), { reason: '复核不达标', revokedOn: '2021-10-13' }, nationalOfficer).then(200, [{ type: 'BrandCertificationRevoked', data: { tier: 'national', revokedOn: '2021-10-13' } }]);
    await spec.when('POST', revocation('provincial'), { reason: '复核不达标', revokedOn: '2021-10-12' }, provincialOfficer).then(200, [{ type: 'BrandCertificationRevoked', data: { tier: 'provincial', revokedOn: '2021-10-12' } }]);
  });

  it('refuses a policy whose minEmployed is null with a 400 naming policy.minEmployed, and records no null', async () => {
    const refused = await spec.when('POST', '/api/v1/brands', brandBody({ ...POLICY, minEmployed: null })).then(400, [], { errors: expect.arrayContaining([expect.objectContaining({ field: 'policy.minEmployed', rule: 'isInt' })]) });
    expect(new Set(refused.body.errors.map((error: { field: string }) => error.field))).toEqual(new Set(['policy.minEmployed']));
    // Left out, the policy has no such criterion: the brand's answer has no minEmployed either.
    const brandId = await registerBrand();
    const brand = await http(service.host.baseUrl, 'GET', `/api/v1/brands/${brandId}`, undefined, bearer(officer));
    expect(brand.status).toBe(200);
    expect(brand.body.policy).toEqual(POLICY);
  });

  it("lists brands in the ministry's region 000000 for the ministry, and refuses it to a city bureau as outside its region (403), not as malformed (400)", async () => {
    const brandId = await registerBrand();
    const listed = await http(service.host.baseUrl, 'GET', '/api/v1/brands?regionCode=000000&consistent=true&limit=100', undefined, nationalOfficer);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(brandId);
    await spec.when('GET', '/api/v1/brands?regionCode=000000').then(403, [], { permission: 'brands:read', rule: 'permission_denied' });
    await spec.when('GET', '/api/v1/brands?regionCode=990000').then(400, [], { errors: [{ field: 'regionCode', rule: 'isRegionCode' }] });
  });

  it('revokes as of the date the body names, and judges a later provincial decision against it', async () => {
    const brandId = await registerBrand();
    await spec
      .given(stream(`brand-${brandId}`, certified(brandId, 'city')))
      .when('POST', `/api/v1/brands/${brandId}/certifications/city/revocation`, { reason: '复核不达标', revokedOn: '2021-10-05' })
      .then(200, [{ type: 'BrandCertificationRevoked', data: { tier: 'city', revokedOn: '2021-10-05' } }], { tier: 'city', status: 'revoked', revokedOn: '2021-10-05' });
    await spec
      .when('POST', `/api/v1/brands/${brandId}/certifications`, { tier: 'provincial', decidedOn: '2021-10-05' }, provincialOfficer)
      .then(409, [], { rule: 'requires_city_certification', requires: 'city', asOf: '2021-10-05' });
    const brand = await http(service.host.baseUrl, 'GET', `/api/v1/brands/${brandId}`, undefined, bearer(officer));
    expect(brand.body.certifications).toMatchObject([{ tier: 'city', decidedOn: '2021-10-01', status: 'revoked', revokedOn: '2021-10-05', revocationReason: '复核不达标' }]);
  });
});
