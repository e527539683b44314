// What a bureau officer's dashboard reads: the brands it may read (domain.md section 9, "read a brand and
// its qualification": a bureau officer its region, staff of a building unit, the platform admin), a page
// at a time by name, and a brand's qualification month by month through its policy window, each point
// the answer GET …/qualification?asOf= gives for that day. Today is 2021-10-15 here.
import { EmployerRegisteredV1, PLACEMENT_TOPIC, ProviderRegisteredV1, TRAINING_TOPIC } from '@skills/contracts';
import { fixedClock } from '@skills/domain-kernel';
import { bearer, fact, publishFacts, ServiceSpec, startServiceSpec, stream, testCreditCode } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { BrandModule } from './brand.module';
import { registerBuildingUnits } from './brands/register-brand/building-unit-facts';
import { brandScenario, ZHUZHOU_2021 } from './qualification/brand-scenario';

const clock = fixedClock('2021-10-15T02:00:00.000Z');
/** A policy every brand meets, even with no facts: the list is about who reads, not on what. */
const ANYTHING = { windowStart: '2020-11-01', windowEnd: '2021-09-30', minTrained: 0, minPassRate: 0, minEmploymentRate: 0, requiresEthicsTraining: false };

type Bureau = 'zhuzhou' | 'liling' | 'changsha' | 'hunan';
interface ListItem {
  id: string;
  name: string;
  regionCode: string;
  certifications: Array<{ tier: string; status: string }>;
}

describe('brands: what a bureau officer’s dashboard reads', () => {
  let service: ServiceSpec;
  /** Each bureau's id and an officer's authorization header. */
  const bureaus = {} as Record<Bureau, { id: string; officer: Record<string, string> }>;
  /** Brand ids by name. */
  const brands: Record<string, string> = {};
  const school = { id: randomUUID(), creditCode: testCreditCode(8101) };
  /** An employer that builds no brand. */
  const employer = { id: randomUUID(), creditCode: testCreditCode(8103) };
  let schoolStaff: Record<string, string>;
  let employerStaff: Record<string, string>;

  /** As the platform admin unless a caller is named. */
  const get = (path: string, caller?: Record<string, string>) => service.spec.when('GET', path, undefined, caller);
  /** Every brand's name of one page, read once the list holds every brand registered before. */
  const names = async (query: string, caller?: Record<string, string>) =>
    ((await get(`/api/v1/brands?consistent=true${query}`, caller).then(200)).body.items as ListItem[]).map((item) => item.name);

  const CHANGSHA_UNIT = testCreditCode(8104);
  const register = async (name: string, bureau: Bureau, registeredBy: Bureau, extra: Record<string, unknown> = {}) => {
    const body = { bureauId: bureaus[bureau].id, name, tier: 'city', industryCode: 'C37', occupationCodes: ['6-18-02-04'], buildingUnits: [testCreditCode(8100)], policy: ANYTHING, ...extra };
    brands[name] = (await service.spec.when('POST', '/api/v1/brands', body, bureaus[registeredBy].officer).then(201)).body.id;
    return brands[name];
  };
  /**
   * A brand as registered before one name a region and units of its region (it stays as it is): its
   * registration in its stream, read back once.
   */
  const registeredBefore = async (name: string, bureau: Bureau, extra: Record<string, unknown> = {}) => {
    const brandId = randomUUID();
    const data = { brandId, bureauId: bureaus[bureau].id, name, regionCode: regionOf[bureau], tier: 'city', industryCode: 'C37', occupationCodes: ['6-18-02-04'], buildingUnits: [testCreditCode(8100)], policy: ANYTHING, registeredOn: '2021-10-01', ...extra };
    await service.spec.given(stream(`brand-${brandId}`, { type: 'BrandRegistered', data })).when('GET', `/api/v1/brands/${brandId}`).then(200);
    return brandId;
  };
  const regionOf: Record<Bureau, string> = { zhuzhou: '430200', liling: '430281', changsha: '430100', hunan: '430000' };

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [BrandModule], service: 'brand', clock, token: { role: 'platform_admin' } });
    const regions: Record<Bureau, [string, string]> = {
      zhuzhou: ['株洲市人力资源和社会保障局', '430200'],
      liling: ['醴陵市人力资源和社会保障局', '430281'],
      changsha: ['长沙市人力资源和社会保障局', '430100'],
      hunan: ['湖南省人力资源和社会保障厅', '430000'],
    };
    for (const [key, [name, regionCode]] of Object.entries(regions)) {
      const { body } = await service.spec.when('POST', '/api/v1/bureaus', { name, regionCode }).then(201);
      bureaus[key as Bureau] = { id: body.id, officer: bearer(await service.issuer.token({ role: 'bureau_officer', organisationId: body.id })) };
    }
    await publishFacts(service.host, [
      fact(TRAINING_TOPIC, 'ProviderRegistered', { providerId: school.id, name: '株洲新希望焊接培训学校', creditCode: school.creditCode, regionCode: '430200' } satisfies ProviderRegisteredV1, { key: school.id }),
      fact(PLACEMENT_TOPIC, 'EmployerRegistered', { employerId: employer.id, name: '株洲中车时代电气', creditCode: employer.creditCode, industryCode: 'C37', regionCode: '430200' } satisfies EmployerRegisteredV1, { key: employer.id }),
    ]);
    // The brands' other building units: a Zhuzhou school and a Changsha one.
    await registerBuildingUnits(service.host, [testCreditCode(8100)]);
    await registerBuildingUnits(service.host, [CHANGSHA_UNIT], '430100');
    schoolStaff = bearer(await service.issuer.token({ role: 'school_staff', organisationId: school.id }));
    employerStaff = bearer(await service.issuer.token({ role: 'employer_staff', organisationId: employer.id }));
  });

  afterAll(() => service?.close());

  describe('GET /api/v1/brands', () => {
    beforeAll(async () => {
      await register('株洲新希望铆焊工', 'zhuzhou', 'zhuzhou', { buildingUnits: [school.creditCode] });
      // A provincial brand, registered by the province's officer (domain.md section 9: the tier of its level).
      await register('株洲轨道交通装备制造工', 'zhuzhou', 'hunan', { tier: 'provincial' });
      // For the bureau of Liling, a county-level city inside Zhuzhou, with units in Zhuzhou outside Liling: as
      // registered before building units had to be inside the brand's region (it stays as it is).
      await registeredBefore('醴陵陶瓷工匠', 'liling', { buildingUnits: [testCreditCode(8102), school.creditCode] });
      await register('长沙家政服务员', 'changsha', 'changsha', { buildingUnits: [CHANGSHA_UNIT] });
      // Two brands of one name, the second registered before one name a region: the id orders them.
      await register('芦淞服饰人', 'zhuzhou', 'zhuzhou');
      await registeredBefore('芦淞服饰人', 'zhuzhou');
    });

    it("gives a bureau officer the brands of its region, every code inside it, by name, and none outside", async () => {
      const zhuzhou = await names('', bureaus.zhuzhou.officer);
      expect(zhuzhou).toEqual(['株洲新希望铆焊工', '株洲轨道交通装备制造工', '芦淞服饰人', '芦淞服饰人', '醴陵陶瓷工匠'].sort());
      expect(zhuzhou).not.toContain('长沙家政服务员');
      expect(await names('', bureaus.liling.officer)).toEqual(['醴陵陶瓷工匠']);
      expect(await names('', bureaus.changsha.officer)).toEqual(['长沙家政服务员']);
      expect(await names('', bureaus.hunan.officer)).toHaveLength(6);
    });

    it('narrows to a region inside the officer’s own, and refuses a region outside it with a 403 naming brands:read', async () => {
      expect(await names('&regionCode=430281', bureaus.zhuzhou.officer)).toEqual(['醴陵陶瓷工匠']);
      expect(await names('&regionCode=430200', bureaus.hunan.officer)).toHaveLength(5);
      await get('/api/v1/brands?regionCode=430100', bureaus.zhuzhou.officer).then(403, [], { permission: 'brands:read', rule: 'permission_denied' });
      // A region containing the officer's is outside it too.
      await get('/api/v1/brands?regionCode=430000', bureaus.zhuzhou.officer).then(403, [], { permission: 'brands:read' });
      await get('/api/v1/brands?regionCode=430200', bureaus.liling.officer).then(403, [], { permission: 'brands:read' });
    });

    it('gives staff of a school the brands it builds, and the platform admin every brand, by region and tier', async () => {
      expect(await names('', schoolStaff)).toEqual(['株洲新希望铆焊工', '醴陵陶瓷工匠'].sort());
      expect(await names('&regionCode=430281', schoolStaff)).toEqual(['醴陵陶瓷工匠']);
      await get('/api/v1/brands', employerStaff).then(200, [], { items: [], nextCursor: null });
      expect(await names('')).toHaveLength(6);
      expect(await names('&tier=provincial')).toEqual(['株洲轨道交通装备制造工']);
      expect(await names('&tier=city&regionCode=430100')).toEqual(['长沙家政服务员']);
    });

    it('returns every brand exactly once, in the same order, a page of one at a time', async () => {
      const whole = (await get('/api/v1/brands?consistent=true&limit=100').then(200)).body;
      expect(whole.nextCursor).toBeNull();
      const paged: ListItem[] = [];
      for (let cursor: string | null = null, pages = 0; pages === 0 || cursor !== null; pages++) {
        expect(pages).toBeLessThan(10);
        const page: { items: ListItem[]; nextCursor: string | null } = (await get(`/api/v1/brands?limit=1${cursor ? `&cursor=${cursor}` : ''}`).then(200)).body;
        expect(page.items).toHaveLength(1);
        paged.push(...page.items);
        cursor = page.nextCursor;
      }
      expect(paged).toEqual(whole.items);
      expect(new Set(paged.map((item) => item.id)).size).toBe(6);
      // The two of one name, by id.
      const twins = paged.filter((item) => item.name === '芦淞服饰人').map((item) => item.id);
      expect(twins).toEqual([...twins].sort());
    });

    it('shows each brand with the field names and certification decisions GET /api/v1/brands/{id} answers', async () => {
      const id = brands['株洲新希望铆焊工'];
      await service.spec.when('POST', `/api/v1/brands/${id}/certifications`, { tier: 'city', decidedOn: '2021-10-01' }, bureaus.zhuzhou.officer).then(201);
      await service.spec.when('POST', `/api/v1/brands/${id}/certifications/city/revocation`, { reason: '复核不达标', revokedOn: '2021-10-10' }, bureaus.zhuzhou.officer).then(200);
      await service.spec.when('POST', `/api/v1/brands/${id}/certifications`, { tier: 'city', decidedOn: '2021-10-12' }, bureaus.zhuzhou.officer).then(201);
      const listed = ((await get('/api/v1/brands?consistent=true&regionCode=430200&limit=100').then(200)).body.items as ListItem[]).find((item) => item.id === id);
      const brand = (await get(`/api/v1/brands/${id}`).then(200)).body;
      const { buildingUnits: _units, policy: _policy, certifications, ...fields } = brand;
      expect(listed).toEqual({
        ...fields,
        certifications: certifications.map(({ tier, decidedOn, status, revokedOn }: Record<string, string>) => ({ tier, decidedOn, status, ...(revokedOn ? { revokedOn } : {}) })),
      });
      expect(listed?.certifications).toEqual([
        { tier: 'city', decidedOn: '2021-10-01', status: 'revoked', revokedOn: '2021-10-10' },
        { tier: 'city', decidedOn: '2021-10-12', status: 'standing' },
      ]);
      // Found by the tier it is certified in, standing: not by one revoked, nor by a tier it does not hold.
      const certifiedIn = async (tier: string) => ((await get(`/api/v1/brands?consistent=true&regionCode=430200&limit=100&certifiedTier=${tier}`).then(200)).body.items as ListItem[]).map((item) => item.id);
      expect(await certifiedIn('city')).toContain(id);
      expect(await certifiedIn('provincial')).not.toContain(id);
      await service.spec.when('POST', `/api/v1/brands/${id}/certifications/city/revocation`, { reason: '复核不达标', revokedOn: '2021-10-13' }, bureaus.zhuzhou.officer).then(200);
      expect(await certifiedIn('city')).not.toContain(id);
    });

    it('lists a tier certified again on the day its certification was revoked, as GET /api/v1/brands/{id} does', async () => {
      const id = brands['株洲轨道交通装备制造工'];
      await service.spec.when('POST', `/api/v1/brands/${id}/certifications`, { tier: 'city', decidedOn: '2021-10-14' }, bureaus.zhuzhou.officer).then(201);
      await service.spec.when('POST', `/api/v1/brands/${id}/certifications/city/revocation`, { reason: '材料有误', revokedOn: '2021-10-14' }, bureaus.zhuzhou.officer).then(200);
      await service.spec.when('POST', `/api/v1/brands/${id}/certifications`, { tier: 'city', decidedOn: '2021-10-14' }, bureaus.zhuzhou.officer).then(201);
      const listed = ((await get('/api/v1/brands?consistent=true&regionCode=430200&limit=100').then(200)).body.items as ListItem[]).find((item) => item.id === id);
      const decided = [
        { tier: 'city', decidedOn: '2021-10-14', status: 'revoked', revokedOn: '2021-10-14' },
        { tier: 'city', decidedOn: '2021-10-14', status: 'standing' },
      ];
      expect(listed?.certifications).toEqual(decided);
      expect((await get(`/api/v1/brands/${id}`).then(200)).body.certifications).toEqual(decided.map((decision) => expect.objectContaining(decision)));
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=ten', 'limit'],
      ['cursor=not*a*cursor', 'cursor'],
      // Passes the pattern, but is no position of a page.
      [`cursor=${Buffer.from('["x", "not-a-uuid"]').toString('base64url')}`, 'cursor'],
      ['cursor=abc', 'cursor'],
      ['tier=county', 'tier'],
      ['certifiedTier=county', 'certifiedTier'],
      ['regionCode=4302', 'regionCode'],
      ['consistent=yes', 'consistent'],
    ])('answers ?%s with a 400 naming %s', async (query, field) => {
      const answer = await get(`/api/v1/brands?${query}`, bureaus.zhuzhou.officer).then(400);
      expect([...new Set(answer.body.errors.map((error: { field: string }) => error.field))]).toEqual([field]);
    });
  });

  describe('GET /api/v1/brands/{id}/qualification/series', () => {
    const scenario = brandScenario(testCreditCode(8201));
    let zhuzhou: string;
    const series = (brandId: string, query = '', caller = bureaus.zhuzhou.officer) => get(`/api/v1/brands/${brandId}/qualification/series${query}`, caller);
    const qualification = async (brandId: string, asOf: string) => {
      const { freshness: _freshness, ...figures } = (await get(`/api/v1/brands/${brandId}/qualification?asOf=${asOf}`, bureaus.zhuzhou.officer).then(200)).body;
      return figures;
    };

    beforeAll(async () => {
      await registerBuildingUnits(service.host, [scenario.provider]);
      zhuzhou = await register('株洲新希望铆焊工（2021）', 'zhuzhou', 'zhuzhou', { buildingUnits: [scenario.provider], policy: ZHUZHOU_2021 });
      await scenario.publish(service.host);
    }, 60_000);

    it('charts every month end of the policy window, with its thresholds, each point the qualification of that day', async () => {
      const { body } = await series(zhuzhou).then(200);
      expect(body).toMatchObject({ brandId: zhuzhou, from: '2020-11-01', to: '2021-09-30', policy: ZHUZHOU_2021 });
      expect(body.points.map((point: { asOf: string }) => point.asOf)).toEqual([
        '2020-11-30', '2020-12-31', '2021-01-31', '2021-02-28', '2021-03-31', '2021-04-30', '2021-05-31', '2021-06-30', '2021-07-31', '2021-08-31', '2021-09-30',
      ]);
      for (const point of body.points) expect(point).toEqual(await qualification(zhuzhou, point.asOf));
    });

    it('ends on the qualification of the window’s last day, on which the brand qualifies', async () => {
      const { body } = await series(zhuzhou).then(200);
      expect(body.points.at(-1)).toEqual(await qualification(zhuzhou, '2021-09-30'));
      expect(body.points.at(-1)).toEqual(scenario.expected['2021-09-30']);
    });

    it('does not qualify on a month end before enough people were trained', async () => {
      const { body } = await series(zhuzhou, '?from=2020-11-01&to=2021-03-31').then(200);
      // Only #0 was assessed before March (on the window's first day).
      expect(body.points[0]).toMatchObject({ asOf: '2020-11-30', trained: 1, passed: 1, passRate: 1, qualifies: false });
      expect(body.points[0].unmet).toContainEqual({ criterion: 'minTrained', actual: 1, required: 400 });
      expect(body.points.at(-1)).toMatchObject({ asOf: '2021-03-31', trained: 418 });
    });

    it('stops at today inside a window still running, on that day', async () => {
      const running = await register('株洲新希望铆焊工（2022）', 'zhuzhou', 'zhuzhou', { buildingUnits: [scenario.provider], policy: { ...ZHUZHOU_2021, windowEnd: '2022-12-31' } });
      const { body } = await series(running).then(200);
      expect(body).toMatchObject({ from: '2020-11-01', to: '2021-10-15' });
      expect(body.points.map((point: { asOf: string }) => point.asOf).slice(-3)).toEqual(['2021-08-31', '2021-09-30', '2021-10-15']);
      expect(body.points.at(-1)).toEqual(await qualification(running, '2021-10-15'));
    });

    it('waits with ?consistent=true and says how complete the figures are', async () => {
      const answer = await series(zhuzhou, '?consistent=true&from=2021-09-01&to=2021-09-30').then(200);
      expect(answer.body.freshness).toEqual({ completeUpTo: expect.any(String), pendingFacts: 0 });
      expect(answer.body.points).toHaveLength(1);
    });

    it('is read as the qualification is: by its building units and the bureaus around it, not by Changsha (403)', async () => {
      await series(zhuzhou, '', bureaus.hunan.officer).then(200);
      await series(zhuzhou, '', bearer(await service.issuer.token({ role: 'platform_admin' }))).then(200);
      await series(zhuzhou, '', bureaus.changsha.officer).then(403, [], { permission: 'brands:read-qualification', rule: 'permission_denied' });
      await series(zhuzhou, '', schoolStaff).then(403, [], { permission: 'brands:read-qualification' });
      await series(randomUUID()).then(404);
    });

    it.each([
      ['?from=2021-13-01', 'from', 'isBusinessDate'],
      ['?to=2021-02-30', 'to', 'isBusinessDate'],
      ['?from=2021-09-30&to=2021-09-01', 'from', 'from_after_to'],
      // Before the window's start, the default from.
      ['?to=2020-10-31', 'to', 'from_after_to'],
      ['?from=2016-01-01&to=2021-09-30', 'from', 'too_many_points'],
      // Facts of later days are not known yet: a point after today would read as a complete zero.
      ['?from=2021-09-30&to=2021-10-16', 'to', 'date_in_future'],
    ])('answers %s with a 400 naming %s (%s)', async (query, field, rule) => {
      const answer = await series(zhuzhou, query).then(400);
      expect(answer.body.errors).toEqual([expect.objectContaining({ field, rule })]);
    });

    it('answers 60 month ends, five years, at most', async () => {
      const { body } = await series(zhuzhou, '?from=2016-10-01&to=2021-09-30').then(200);
      expect(body.points).toHaveLength(60);
      expect(body.points.at(-1)).toEqual(scenario.expected['2021-09-30']);
    });
  });
});
