import { FieldRefusal } from '@skills/domain-kernel';
import { aggregateSpec } from '@skills/testing';
import { judge } from '../qualification/policy';
import {
  BrandActor,
  BrandCertified,
  BrandCertificationRevoked,
  brandAggregate,
  BrandCorrected,
  BrandRegistered,
  BrandTier,
  CertifyBrand,
  CorrectBrand,
  RegisterBrand,
  RevokeBrandCertification,
} from './brand.aggregate';

const given = aggregateSpec(brandAggregate);

/** An officer of the bureau of `bureauRegion` (null: their organisation is no registered bureau). */
const officerOf = (bureauRegion: string | null): BrandActor => ({ userId: `u-${bureauRegion}`, role: 'bureau_officer', organisationId: `bu-${bureauRegion}`, via: 'token', bureauRegion });
/** The bureau that owns each tier of a Zhuzhou (430200) brand: the city's, Hunan's, the ministry. */
const owner: Record<BrandTier, BrandActor> = { city: officerOf('430200'), provincial: officerOf('430000'), national: officerOf('000000') };
const policy = { windowStart: '2020-11-01', windowEnd: '2021-09-30', minTrained: 400, minPassRate: 0.85, minEmploymentRate: 0.7, requiresEthicsTraining: true };
const registered: BrandRegistered = {
  type: 'BrandRegistered',
  data: { brandId: 'b-1', bureauId: 'bu-430200', name: '株洲新希望铆焊工', regionCode: '430200', tier: 'city', industryCode: 'C37', occupationCodes: ['6-18-02-04'], buildingUnits: ['91430200MA4L00001P'], policy, registeredOn: '2021-01-05' },
};
/** Figures that qualify, judged as of `asOf`: the date a certification built on them is decided on. */
const qualifyingOn = (asOf: string) => judge(policy, { trained: 420, passed: 361, employedInIndustry: 300, ethicsTrainingHeld: true }, asOf);
const qualifying = qualifyingOn('2021-10-10');
const failing = judge(policy, { trained: 420, passed: 361, employedInIndustry: 250, ethicsTrainingHeld: true }, '2022-03-05');
const certify = (tier: BrandTier, qualification = qualifying, by = owner[tier]): CertifyBrand => ({ type: 'CertifyBrand', tier, decidedOn: qualification.asOf, qualification, basedOnFactSequence: 42, by });
const revoke = (tier: BrandTier, change: Partial<RevokeBrandCertification> = {}): RevokeBrandCertification => ({ type: 'RevokeBrandCertification', tier, reason: '复核不达标', revokedOn: '2022-01-01', by: owner[tier], ...change });
const certified = (tier: BrandTier, qualification = qualifying): BrandCertified => ({ type: 'BrandCertified', data: { brandId: 'b-1', tier, decidedOn: qualification.asOf, figures: qualification, basedOnFactSequence: 42 } });
const revoked = (tier: BrandTier, revokedOn = '2022-01-01'): BrandCertificationRevoked => ({ type: 'BrandCertificationRevoked', data: { brandId: 'b-1', tier, reason: '复核不达标', revokedOn } });

describe('certifying a brand by tier', () => {
  it('certifies city, then provincial, then national, each keeping the figures it was decided on', () => {
    given(registered).when(certify('city')).then([certified('city')]);
    given(registered, certified('city')).when(certify('provincial')).then([certified('provincial')]);
    given(registered, certified('city'), certified('provincial')).when(certify('national')).then([certified('national')]);
  });
  it('refuses a tier without a standing certification of the tier below', () => {
    given(registered).when(certify('provincial')).thenRefuses('requires_city_certification');
    given(registered, certified('city')).when(certify('national')).thenRefuses('requires_provincial_certification');
    given(registered, certified('city'), revoked('city')).when(certify('provincial', qualifyingOn('2022-01-05'))).thenRefuses('requires_city_certification');
  });
  it('refuses a brand that does not qualify as of the decision date, listing the unmet criteria', () => {
    const refusal = given(registered).when(certify('city', failing)).thenRefuses('brand_does_not_qualify');
    expect(refusal).toMatchObject({ context: { unmet: [{ criterion: 'minEmploymentRate', actual: 0.5952, required: 0.7 }] } });
  });
  it('refuses a tier that already stands, and allows it again after a revocation', () => {
    given(registered, certified('city')).when(certify('city')).thenRefuses('tier_already_certified');
    given(registered, certified('city'), revoked('city')).when(certify('city', qualifyingOn('2022-01-05'))).then([certified('city', qualifyingOn('2022-01-05'))]);
  });
  it('revokes only a standing certification', () => {
    given(registered, certified('city')).when(revoke('city')).then([revoked('city')]);
    given(registered).when(revoke('city', { reason: 'x' })).thenRefuses('tier_not_certified');
    given(registered, certified('city'), revoked('city')).when(revoke('city')).thenRefuses('tier_not_certified');
  });
  it('refuses a tier decided on a date after today (the clock’s), naming decidedOn', () => {
    const refusal = given(registered).when({ ...certify('city'), decidedOn: '2025-03-04' }).thenRefuses('date_in_future');
    expect(refusal).toMatchObject({ field: 'decidedOn' });
    given(registered).when({ ...certify('city'), decidedOn: '2025-03-03' }).then([{ ...certified('city'), data: { ...certified('city').data, decidedOn: '2025-03-03' } }]);
  });
  it('revokes as of today by the clock when no date is given', () => {
    given(registered, certified('city'))
      .when(revoke('city', { revokedOn: undefined }))
      .then([{ ...revoked('city'), data: { ...revoked('city').data, revokedOn: '2025-03-03' } }]);
  });
});

describe('tier rules judged on the business date a decision names (domain.md section 5)', () => {
  // City decided 2021-10-10 (the `qualifying` date); provincial 2022-01-15.
  const provincialFrom15January = [registered, certified('city'), certified('provincial', qualifyingOn('2022-01-15'))] as const;

  it('refuses a national certification dated before the provincial one it would stand on, naming the rule, what it requires and the date', () => {
    const refusal = given(...provincialFrom15January).when(certify('national', qualifyingOn('2021-10-09'))).thenRefuses('requires_provincial_certification');
    expect(refusal).toMatchObject({ context: { tier: 'national', requires: 'provincial', asOf: '2021-10-09' } });
    given(...provincialFrom15January).when(certify('national', qualifyingOn('2022-01-14'))).thenRefuses('requires_provincial_certification');
    given(...provincialFrom15January).when(certify('national', qualifyingOn('2022-01-15'))).then([certified('national', qualifyingOn('2022-01-15'))]);
  });

  it('judges the city prerequisite of a provincial certification on its date: standing from the decision, not from the day it is revoked', () => {
    const cityUntil2022 = [registered, certified('city'), revoked('city', '2022-01-01')] as const;
    given(...cityUntil2022).when(certify('provincial', qualifyingOn('2021-12-31'))).then([certified('provincial', qualifyingOn('2021-12-31'))]);
    given(...cityUntil2022).when(certify('provincial', qualifyingOn('2021-10-10'))).then([certified('provincial', qualifyingOn('2021-10-10'))]);
    const revokedThatDay = given(...cityUntil2022).when(certify('provincial', qualifyingOn('2022-01-01'))).thenRefuses('requires_city_certification');
    expect(revokedThatDay).toMatchObject({ context: { tier: 'provincial', requires: 'city', asOf: '2022-01-01' } });
    given(...cityUntil2022).when(certify('provincial', qualifyingOn('2021-10-09'))).thenRefuses('requires_city_certification');
  });

  it('judges a repeated tier against the facts of its own date: refused while the earlier one stands, allowed once it was revoked', () => {
    const cityUntilDecember = [registered, certified('city'), revoked('city', '2021-12-01')] as const;
    given(...cityUntilDecember).when(certify('city', qualifyingOn('2022-01-05'))).then([certified('city', qualifyingOn('2022-01-05'))]);
    given(...cityUntilDecember).when(certify('city', qualifyingOn('2021-12-01'))).then([certified('city', qualifyingOn('2021-12-01'))]);
    const refusal = given(...cityUntilDecember).when(certify('city', qualifyingOn('2021-11-01'))).thenRefuses('tier_already_certified');
    expect(refusal).toMatchObject({ context: { tier: 'city', asOf: '2021-11-01', standingSince: '2021-10-10' } });
  });

  it('refuses a tier dated before a later certification of it, revoked or not: the new one would stand on into it', () => {
    const refusal = given(registered, certified('city')).when(certify('city', qualifyingOn('2021-09-01'))).thenRefuses('tier_already_certified');
    expect(refusal).toMatchObject({ context: { tier: 'city', asOf: '2021-09-01', laterDecidedOn: '2021-10-10' } });
    given(registered, certified('city'), revoked('city', '2021-12-01')).when(certify('city', qualifyingOn('2021-09-01'))).thenRefuses('tier_already_certified');
  });

  it('revokes as of the date given, the day of the decision at the earliest, and refuses one before it', () => {
    given(registered, certified('city')).when(revoke('city', { revokedOn: '2021-10-10' })).then([revoked('city', '2021-10-10')]);
    const refusal = given(registered, certified('city')).when(revoke('city', { revokedOn: '2021-10-09' })).thenRefuses('revoked_before_certification');
    expect(refusal).toMatchObject({ context: { tier: 'city', revokedOn: '2021-10-09', decidedOn: '2021-10-10' } });
    const future = given(registered, certified('city')).when(revoke('city', { revokedOn: '2025-03-04' })).thenRefuses('date_in_future');
    expect(future).toMatchObject({ field: 'revokedOn' });
  });

  it('revokes the tier’s current certification and keeps the revoked one in the history the rules read', () => {
    // City 2021-10-10 to 2021-12-01, again from 2022-01-05: the revocation ends the second one only.
    const recertified = [registered, certified('city'), revoked('city', '2021-12-01'), certified('city', qualifyingOn('2022-01-05'))] as const;
    given(...recertified).when(revoke('city', { revokedOn: '2021-12-15' })).thenRefuses('revoked_before_certification');
    given(...recertified).when(revoke('city', { revokedOn: '2022-02-01' })).then([revoked('city', '2022-02-01')]);
    const twiceRevoked = [...recertified, revoked('city', '2022-02-01')] as const;
    given(...twiceRevoked).when(certify('provincial', qualifyingOn('2021-11-30'))).then([certified('provincial', qualifyingOn('2021-11-30'))]);
    given(...twiceRevoked).when(certify('provincial', qualifyingOn('2022-01-31'))).then([certified('provincial', qualifyingOn('2022-01-31'))]);
    given(...twiceRevoked).when(certify('provincial', qualifyingOn('2021-12-15'))).thenRefuses('requires_city_certification');
    given(...twiceRevoked).when(certify('provincial', qualifyingOn('2022-02-01'))).thenRefuses('requires_city_certification');
  });
});

describe('revoking a tier another stands on (domain.md section 5: provincial on city, national on provincial)', () => {
  // City decided 2021-10-10, provincial 2021-12-01 (it stood on the city certification that day), national 2022-01-15.
  const provincialFrom1December = [registered, certified('city'), certified('provincial', qualifyingOn('2021-12-01'))] as const;
  const nationalFrom15January = [...provincialFrom1December, certified('national', qualifyingOn('2022-01-15'))] as const;

  it('refuses a city revocation dated on or before the decision of the standing provincial certification, naming it and its date', () => {
    const refusal = given(...provincialFrom1December).when(revoke('city', { revokedOn: '2021-11-01' })).thenRefuses('higher_tier_depends_on_it');
    expect(refusal).toMatchObject({ context: { tier: 'city', revokedOn: '2021-11-01', higherTier: 'provincial', higherDecidedOn: '2021-12-01' } });
    expect(refusal.message).toContain('provincial certification decided on 2021-12-01');
    // Revoked on the provincial decision's day, the city certification no longer stands that day.
    given(...provincialFrom1December).when(revoke('city', { revokedOn: '2021-12-01' })).thenRefuses('higher_tier_depends_on_it');
    given(...provincialFrom1December).when(revoke('city', { revokedOn: '2021-10-10' })).thenRefuses('higher_tier_depends_on_it');
    // The day after: it stood on 2021-12-01, as the provincial decision needed.
    given(...provincialFrom1December).when(revoke('city', { revokedOn: '2021-12-02' })).then([revoked('city', '2021-12-02')]);
  });

  it('refuses a provincial revocation dated on or before the standing national decision, and judges only the tier directly above', () => {
    const refusal = given(...nationalFrom15January).when(revoke('provincial', { revokedOn: '2022-01-15' })).thenRefuses('higher_tier_depends_on_it');
    expect(refusal).toMatchObject({ context: { tier: 'provincial', revokedOn: '2022-01-15', higherTier: 'national', higherDecidedOn: '2022-01-15' } });
    given(...nationalFrom15January).when(revoke('provincial', { revokedOn: '2022-01-16' })).then([revoked('provincial', '2022-01-16')]);
    // The city certification is judged against the provincial decision (2021-12-01), not the national one.
    given(...nationalFrom15January).when(revoke('city', { revokedOn: '2021-12-02' })).then([revoked('city', '2021-12-02')]);
    given(...nationalFrom15January).when(revoke('city', { revokedOn: '2021-12-01' })).thenRefuses('higher_tier_depends_on_it');
  });

  it('judges a tier above revoked since as well: it stood on its decision day, so the lower tier may not end before it', () => {
    const refusal = given(...provincialFrom1December, revoked('provincial', '2022-01-01')).when(revoke('city', { revokedOn: '2021-11-01' })).thenRefuses('higher_tier_depends_on_it');
    expect(refusal.message).toContain('date the revocation after 2021-12-01');
    given(...provincialFrom1December, revoked('provincial', '2022-01-01')).when(revoke('city', { revokedOn: '2021-12-02' })).then([revoked('city', '2021-12-02')]);
    given(...nationalFrom15January, revoked('national', '2022-02-01')).when(revoke('provincial', { revokedOn: '2021-12-01' })).thenRefuses('higher_tier_depends_on_it');
    // One revoked as of its own decision day never stood: the lower tier may end as of any date.
    given(...provincialFrom1December, revoked('provincial', '2021-12-01')).when(revoke('city', { revokedOn: '2021-11-01' })).then([revoked('city', '2021-11-01')]);
  });

  it('dates a revocation without a date today: refused when the tier above was decided today', () => {
    const decidedToday = [registered, certified('city'), certified('provincial', qualifyingOn('2025-03-03'))] as const;
    const refusal = given(...decidedToday).when(revoke('city', { revokedOn: undefined })).thenRefuses('higher_tier_depends_on_it');
    expect(refusal).toMatchObject({ context: { revokedOn: '2025-03-03', higherDecidedOn: '2025-03-03' } });
    given(...provincialFrom1December).when(revoke('city', { revokedOn: undefined })).then([revoked('city', '2025-03-03')]);
  });

  it('judges the certification revoked, not an earlier one of its tier the tier above stood on', () => {
    // City 2021-10-10 to 2021-12-15, provincial from 2021-12-01 (on the first city), city again from 2022-01-05.
    const cityAgain = [registered, certified('city'), certified('provincial', qualifyingOn('2021-12-01')), revoked('city', '2021-12-15'), certified('city', qualifyingOn('2022-01-05'))] as const;
    given(...cityAgain).when(revoke('city', { revokedOn: '2022-01-05' })).then([revoked('city', '2022-01-05')]);
  });

  it('checks the caller before the rule', () => {
    given(...provincialFrom1December).when(revoke('city', { revokedOn: '2021-11-01', by: officerOf('430100') })).thenForbids('brands:revoke');
  });
});

describe('who may certify or revoke a tier (domain.md section 9)', () => {
  const all = [registered, certified('city'), certified('provincial'), certified('national')] as const;
  it("lets the bureau of the brand's region, or of a region containing it, decide the tier of its level only", () => {
    // The Zhuzhou bureau (430200) certifies a Zhuzhou brand at the city tier, but not at provincial.
    given(registered).when(certify('city', qualifying, officerOf('430200'))).then([certified('city')]);
    given(registered, certified('city')).when(certify('provincial', qualifying, officerOf('430200'))).thenForbids('brands:certify');
    // Hunan (430000) and the ministry (000000) contain it, each for its own tier only.
    given(registered, certified('city')).when(certify('provincial', qualifying, officerOf('430000'))).then([certified('provincial')]);
    given(registered).when(certify('city', qualifying, officerOf('430000'))).thenForbids('brands:certify');
    given(registered, certified('city'), certified('provincial')).when(certify('national', qualifying, officerOf('000000'))).then([certified('national')]);
    given(registered, certified('city')).when(certify('provincial', qualifying, officerOf('000000'))).thenForbids('brands:certify');
  });
  it('refuses a bureau whose region does not contain the brand’s, a county bureau, and a caller of no bureau, before any rule', () => {
    // Changsha (430100) cannot touch a Zhuzhou brand; nor Hubei (420000) at the provincial tier.
    given(registered).when(certify('city', failing, officerOf('430100'))).thenForbids('brands:certify');
    given(registered, certified('city')).when(certify('provincial', qualifying, officerOf('420000'))).thenForbids('brands:certify');
    // A district bureau (430202) does not contain the city's brand, and decides no tier even of a brand of its own district.
    given(registered).when(certify('city', qualifying, officerOf('430202'))).thenForbids('brands:certify');
    const districtBrand = { ...registered, data: { ...registered.data, regionCode: '430202' } };
    given(districtBrand).when(certify('city', qualifying, officerOf('430202'))).thenForbids('brands:certify');
    given(districtBrand).when(certify('city', qualifying, officerOf('430200'))).then([certified('city')]);
    given(registered).when(certify('city', qualifying, officerOf(null))).thenForbids('brands:certify');
  });
  it('refuses a revocation by a bureau not containing the brand’s region or not of the tier’s level', () => {
    given(...all).when(revoke('city', { by: officerOf('430100') })).thenForbids('brands:revoke');
    given(...all).when(revoke('provincial', { by: officerOf('430200') })).thenForbids('brands:revoke');
    given(...all).when(revoke('national', { by: officerOf('430000') })).thenForbids('brands:revoke');
    given(...all).when(revoke('national', { by: officerOf('000000') })).then([revoked('national')]);
  });
});

describe('registering a brand', () => {
  const { registeredOn: _registeredOn, ...brand } = registered.data;
  const by = owner.city;
  /** Its building units as the handler found them: the one of the brand, a Zhuzhou school. */
  const ZHUZHOU_UNIT = { '91430200MA4L00001P': '430200' };
  const registering = (what: typeof brand, actor: BrandActor, buildingUnitRegions: Record<string, string> = ZHUZHOU_UNIT): RegisterBrand => ({
    type: 'RegisterBrand',
    brand: what,
    buildingUnitsAsSent: what.buildingUnits,
    buildingUnitRegions,
    by: actor,
  });
  /** A brand of the bureau of `regionCode` (its id `bu-<region>`, as officerOf's). */
  const brandOf = (regionCode: string, tier: BrandTier = 'city') => ({ ...brand, bureauId: `bu-${regionCode}`, regionCode, tier });
  it('records it as registered today by the clock', () => {
    given().when(registering(brand, by)).then([{ ...registered, data: { ...registered.data, registeredOn: '2025-03-03' } }]);
  });
  it("lets a bureau whose region contains the brand's, of the level of the brand's tier, register it, and refuses any other", () => {
    const registeredAt = (tier: BrandTier) => [{ ...registered, data: { ...registered.data, tier, registeredOn: '2025-03-03' } }];
    given().when(registering({ ...brand, tier: 'provincial' }, officerOf('430000'))).then(registeredAt('provincial'));
    given().when(registering({ ...brand, tier: 'national' }, officerOf('000000'))).then(registeredAt('national'));
    // A bureau containing the brand's region, but of another level: a province or the ministry a city brand, a city a national one.
    given().when(registering(brand, officerOf('430000'))).thenForbids('brands:register');
    given().when(registering(brand, officerOf('000000'))).thenForbids('brands:register');
    given().when(registering({ ...brand, tier: 'national' }, by)).thenForbids('brands:register');
    // A county bureau registers none, even of its own region.
    given().when(registering(brandOf('430202'), officerOf('430202'))).thenForbids('brands:register');
    given().when(registering(brand, officerOf('430100'))).thenForbids('brands:register');
    given().when(registering(brand, officerOf('430202'))).thenForbids('brands:register');
    given().when(registering(brand, officerOf(null))).thenForbids('brands:register');
  });
  it("refuses a brand whose region (its bureau's) is a province or the nation: no city bureau could certify it at the city tier", () => {
    // Hunan (430000) names itself for a provincial brand, the ministry (000000) itself for a national one.
    const provincial = given().when(registering(brandOf('430000', 'provincial'), officerOf('430000'))).thenRefuses('brand_region_above_city');
    expect(provincial).not.toBeInstanceOf(FieldRefusal);
    expect(provincial).toMatchObject({ context: { bureauId: 'bu-430000', regionCode: '430000', level: 'provincial' } });
    const national = given().when(registering(brandOf('000000', 'national'), officerOf('000000'))).thenRefuses('brand_region_above_city');
    expect(national).toMatchObject({ context: { regionCode: '000000', level: 'national' } });
    given().when(registering(brandOf('430000', 'national'), officerOf('000000'))).thenRefuses('brand_region_above_city');
    // The caller first: a city bureau does not contain a province's region.
    given().when(registering(brandOf('430000'), by)).thenForbids('brands:register');
    // A county's region is inside a city's, whose bureau certifies it (its unit inside the county).
    given()
      .when(registering(brandOf('430281'), by, { '91430200MA4L00001P': '430281' }))
      .then([{ ...registered, data: { ...registered.data, bureauId: 'bu-430281', regionCode: '430281', registeredOn: '2025-03-03' } }]);
  });
  it('refuses a policy window that ends before it starts, naming policy.windowEnd', () => {
    const refusal = given()
      .when(registering({ ...brand, policy: { ...policy, windowEnd: '2020-10-31' } }, by))
      .thenRefuses('policy_window_inverted');
    expect(refusal).toBeInstanceOf(FieldRefusal);
    expect(refusal).toMatchObject({ field: 'policy.windowEnd', context: { windowStart: '2020-11-01', windowEnd: '2020-10-31' } });
  });
  it('refuses a building unit that is no provider or employer held, naming it by its place in the body', () => {
    const units = { ...brand, buildingUnits: ['91430200MA4L00001P', '91350100M000100Y43'] };
    const refusal = given().when(registering(units, by)).thenRefuses('building_unit_unknown');
    expect(refusal).toBeInstanceOf(FieldRefusal);
    expect(refusal).toMatchObject({ field: 'buildingUnits.1', context: { creditCode: '91350100M000100Y43' } });
  });
  it("refuses a building unit outside the bureau's region, naming its region; one inside it, a district's, is taken", () => {
    const units = { ...brand, buildingUnits: ['91430200MA4L00001P', '91350100M000100Y43'] };
    const refusal = given()
      .when(registering(units, by, { ...ZHUZHOU_UNIT, '91350100M000100Y43': '440300' }))
      .thenRefuses('building_unit_outside_region');
    expect(refusal).toMatchObject({ field: 'buildingUnits.1', context: { creditCode: '91350100M000100Y43', unitRegionCode: '440300', bureauRegionCode: '430200' } });
    given().when(registering(units, by, { ...ZHUZHOU_UNIT, '91350100M000100Y43': '430202' })).then([{ ...registered, data: { ...registered.data, buildingUnits: units.buildingUnits, registeredOn: '2025-03-03' } }]);
  });
});

describe('correcting a brand registered with a mistake', () => {
  const ZHUZHOU_UNIT = { '91430200MA4L00001P': '430200' };
  const OTHER_SCHOOL = '91350100M000100Y43';
  const correcting = (correction: CorrectBrand['correction'], change: Partial<CorrectBrand> = {}): CorrectBrand => ({
    type: 'CorrectBrand',
    correction,
    buildingUnitsAsSent: correction.buildingUnits ?? [],
    buildingUnitRegions: ZHUZHOU_UNIT,
    reason: '录入时品牌名称打错',
    by: owner.city,
    ...change,
  });
  const corrected = (before: BrandCorrected['data']['before'], after: BrandCorrected['data']['after']): BrandCorrected => ({
    type: 'BrandCorrected',
    data: { brandId: 'b-1', before, after, reason: '录入时品牌名称打错', correctedOn: '2025-03-03' },
  });

  it('records the changed fields only, before and after, with the reason and the day', () => {
    given(registered)
      .when(correcting({ name: '株洲新希望铆焊工匠', industryCode: 'C37', occupationCodes: ['6-18-02-04', '6-18-02-05'] }))
      .then([corrected({ name: '株洲新希望铆焊工', occupationCodes: ['6-18-02-04'] }, { name: '株洲新希望铆焊工匠', occupationCodes: ['6-18-02-04', '6-18-02-05'] })]);
  });
  it('records nothing when every field given stands as recorded (a retried correction), the same codes in another order included', () => {
    given(registered).when(correcting({ name: '株洲新希望铆焊工', buildingUnits: ['91430200MA4L00001P'], policy: { ...policy } })).then([]);
    const twoCodes = corrected({ occupationCodes: ['6-18-02-04'] }, { occupationCodes: ['6-18-02-04', '6-18-02-05'] });
    given(registered, twoCodes).when(correcting({ occupationCodes: ['6-18-02-05', '6-18-02-04'] })).then([]);
  });
  it('reads the corrected values after the correction: a second correction is judged against them', () => {
    const renamed = corrected({ name: '株洲新希望铆焊工' }, { name: '株洲新希望焊工' });
    given(registered, renamed).when(correcting({ name: '株洲新希望焊工' })).then([]);
    given(registered, renamed).when(correcting({ name: '株洲新希望铆焊工' })).then([corrected({ name: '株洲新希望焊工' }, { name: '株洲新希望铆焊工' })]);
  });
  it('adds a building unit judged as registration judges it, named by its place in the body', () => {
    const units = ['91430200MA4L00001P', OTHER_SCHOOL];
    given(registered)
      .when(correcting({ buildingUnits: units }, { buildingUnitRegions: { ...ZHUZHOU_UNIT, [OTHER_SCHOOL]: '430202' } }))
      .then([corrected({ buildingUnits: ['91430200MA4L00001P'] }, { buildingUnits: units })]);
    const unknown = given(registered).when(correcting({ buildingUnits: units })).thenRefuses('building_unit_unknown');
    expect(unknown).toMatchObject({ field: 'buildingUnits.1', context: { creditCode: OTHER_SCHOOL } });
    const outside = given(registered)
      .when(correcting({ buildingUnits: units }, { buildingUnitRegions: { ...ZHUZHOU_UNIT, [OTHER_SCHOOL]: '440300' } }))
      .thenRefuses('building_unit_outside_region');
    expect(outside).toMatchObject({ field: 'buildingUnits.1', context: { creditCode: OTHER_SCHOOL, unitRegionCode: '440300', bureauRegionCode: '430200' } });
  });
  it('corrects the policy, refusing a window that ends before it starts; certifications decided keep their figures', () => {
    const stricter = { ...policy, minTrained: 500, minEmployed: 100 };
    given(registered, certified('city')).when(correcting({ policy: stricter })).then([corrected({ policy }, { policy: stricter })]);
    const refusal = given(registered).when(correcting({ policy: { ...policy, windowEnd: '2020-10-31' } })).thenRefuses('policy_window_inverted');
    expect(refusal).toMatchObject({ field: 'policy.windowEnd' });
    // The certification is a record of its decision: the correction leaves it and its figures as they were.
    const state = [registered, certified('city'), corrected({ policy }, { policy: stricter })].reduce(brandAggregate.evolve, brandAggregate.initialState());
    expect(state).toMatchObject({ brand: { policy: stricter, name: registered.data.name }, certifications: [{ tier: 'city', decidedOn: qualifying.asOf }] });
  });
  it('refuses a correction while a certification of a higher tier stands (another bureau judged the brand as it stood), not once it is revoked', () => {
    const certifiedUp = [registered, certified('city'), certified('provincial')];
    const refusal = given(...certifiedUp).when(correcting({ name: '株洲铆焊工' })).thenRefuses('brand_certified_above_tier');
    expect(refusal).toMatchObject({ context: { tier: 'provincial' } });
    // A retry of what stands records nothing, as ever; its own tier's certification alone refuses nothing.
    given(...certifiedUp).when(correcting({ name: '株洲新希望铆焊工' })).then([]);
    given(...certifiedUp, revoked('provincial')).when(correcting({ name: '株洲铆焊工' })).then([corrected({ name: '株洲新希望铆焊工' }, { name: '株洲铆焊工' })]);
  });
  it("lets the bureau that may register the brand correct it, and refuses any other before judging the correction", () => {
    given(registered).when(correcting({ name: '株洲铆焊工' }, { by: officerOf('430202') })).thenForbids('brands:register');
    given(registered).when(correcting({ name: '株洲铆焊工' }, { by: officerOf('430100') })).thenForbids('brands:register');
    given(registered).when(correcting({ name: '株洲铆焊工' }, { by: owner.provincial })).thenForbids('brands:register');
    given(registered).when(correcting({ name: '株洲铆焊工' }, { by: officerOf(null) })).thenForbids('brands:register');
    given(registered).when(correcting({ buildingUnits: ['91110108551385082Q'] }, { by: officerOf('430100') })).thenForbids('brands:register');
    const provincialBrand: BrandRegistered = { ...registered, data: { ...registered.data, tier: 'provincial' } };
    given(provincialBrand).when(correcting({ name: '株洲铆焊工' }, { by: owner.provincial })).then([corrected({ name: '株洲新希望铆焊工' }, { name: '株洲铆焊工' })]);
  });
});

describe('judging figures against a policy', () => {
  it('judges a rate on the exact fraction: 339 of 400 passed (0.8475) misses 0.85, 340 meets it', () => {
    expect(judge(policy, { trained: 400, passed: 339, employedInIndustry: 280, ethicsTrainingHeld: true }, 'd').unmet).toEqual([{ criterion: 'minPassRate', actual: 0.8475, required: 0.85 }]);
    expect(judge(policy, { trained: 400, passed: 340, employedInIndustry: 280, ethicsTrainingHeld: true }, 'd').qualifies).toBe(true);
  });
  it('gives a different verdict under a Linfen-style policy (300 trained, 30 % and 100 employed) on the same figures', () => {
    const figures = { trained: 420, passed: 361, employedInIndustry: 250, ethicsTrainingHeld: false };
    expect(judge(policy, figures, 'd').qualifies).toBe(false);
    expect(judge({ ...policy, minTrained: 300, minPassRate: 0, minEmploymentRate: 0.3, minEmployed: 100, requiresEthicsTraining: false }, figures, 'd')).toMatchObject({ qualifies: true, unmet: [] });
  });
});
