// PATCH /api/v1/brands/{id}: a brand registered with a mistake corrected by a bureau that may register it, on
// brand-service alone (real Postgres, HTTP): each refusal naming its field and rule, the brand and its list
// read back corrected, the name released and claimed, and the qualification counted again under the corrected
// building units while a certification already decided keeps its figures. Today is 2021-10-15 (a fixed clock).
import { fixedClock } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { bearer, http, publishFacts, ServiceSpec, startServiceSpec, testCreditCode } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { BrandModule } from '../../brand.module';
import { resultMessage } from '../../qualification/brand-facts';
import { providerRegistered, registerBuildingUnits } from '../register-brand/building-unit-facts';

const clock = fixedClock('2021-10-15T02:00:00.000Z');
const POLICY = { windowStart: '2020-11-01', windowEnd: '2021-09-30', minTrained: 0, minPassRate: 0, minEmploymentRate: 0, requiresEthicsTraining: false };
/** Two Zhuzhou schools, a Changsha one, and a credit code nobody registered. */
const SCHOOL_A = '91430200MA4L00001P';
const SCHOOL_B = testCreditCode(8101);
const SCHOOL_B_ID = randomUUID();
const CHANGSHA_SCHOOL = '91350100M000100Y43';
const NOBODY = '91110108551385082Q';
const WELDER = '6-18-02-04';

describe('brands: correcting a brand registered with a mistake', () => {
  let service: ServiceSpec;
  let zhuzhou: { id: string; officer: Record<string, string> };
  let changsha: Record<string, string>;
  let hunan: Record<string, string>;
  let brands = 0;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [BrandModule], service: 'brand', clock, token: { role: 'platform_admin' } });
    const bureau = async (regionCode: string) => {
      const { body } = await service.spec.when('POST', '/api/v1/bureaus', { name: `${regionCode} 人社局`, regionCode }).then(201);
      return { id: body.id as string, officer: bearer(await service.issuer.token({ role: 'bureau_officer', organisationId: body.id })) };
    };
    zhuzhou = await bureau('430200');
    changsha = (await bureau('430100')).officer;
    hunan = (await bureau('430000')).officer;
    await registerBuildingUnits(service.host, [SCHOOL_A]);
    await publishFacts(service.host, [providerRegistered(SCHOOL_B, '430200', SCHOOL_B_ID)]);
    await registerBuildingUnits(service.host, [CHANGSHA_SCHOOL], '430100');
  });

  afterAll(() => service?.close());

  const register = async (name = `株洲新希望铆焊工${++brands}`, policy: Record<string, unknown> = POLICY) => {
    const answer = await http(service.host.baseUrl, 'POST', '/api/v1/brands', { bureauId: zhuzhou.id, name, tier: 'city', industryCode: 'C37', occupationCodes: [WELDER], buildingUnits: [SCHOOL_A], policy }, zhuzhou.officer);
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };
  const correct = (brandId: string, body: Record<string, unknown>, headers = zhuzhou.officer) => service.spec.when('PATCH', `/api/v1/brands/${brandId}`, { reason: '登记时录入错误', ...body }, headers);
  const read = async (brandId: string, path = '') => (await http(service.host.baseUrl, 'GET', `/api/v1/brands/${brandId}${path}`, undefined, zhuzhou.officer)).body;
  const listed = async (brandId: string) => {
    const { body } = await http(service.host.baseUrl, 'GET', '/api/v1/brands?consistent=true&regionCode=430200&limit=100', undefined, zhuzhou.officer);
    return body.items.find((item: { id: string }) => item.id === brandId);
  };

  it('corrects the name of a brand registered before the names were claimed (claimed trimmed since), also to its trimmed spelling: one claim left, of the name as corrected', async () => {
    const brandId = await register('株洲焊工旧式');
    // As a brand of before BrandNameClaims: its name recorded with a trailing ideographic space, its claim trimmed.
    const database = service.host.app.get(Database, { strict: false });
    await database.query(`UPDATE events SET data = jsonb_set(data, '{name}', to_jsonb((data->>'name') || chr(12288))) WHERE stream_id = $1 AND event_type = 'BrandRegistered'`, [`brand-${brandId}`]);
    const claims = async () => (await database.query<{ name: string }>('SELECT name FROM brand_name_claims WHERE brand_id = $1', [brandId])).rows.map(({ name }) => name);

    await correct(brandId, { name: '株洲焊工旧式' }).then(200, [{ type: 'BrandCorrected' }], { corrected: ['name'] });
    expect(await claims()).toEqual(['株洲焊工旧式']);
    await correct(brandId, { name: '株洲焊工新式' }).then(200, [{ type: 'BrandCorrected' }], { corrected: ['name'] });
    expect(await claims()).toEqual(['株洲焊工新式']);
  });

  it('corrects the name, occupations and industry: the brand and its list read them, BrandCorrected holds before, after and the reason; given again, nothing is recorded', async () => {
    const brandId = await register('株洲新希望柳焊工');
    const fix = { name: '株洲新希望铆焊工X', occupationCodes: [WELDER, '6-18-02-05'], industryCode: 'C34' };
    await correct(brandId, fix).then(
      200,
      [
        {
          type: 'BrandCorrected',
          data: {
            brandId,
            before: { name: '株洲新希望柳焊工', occupationCodes: [WELDER], industryCode: 'C37' },
            after: fix,
            reason: '登记时录入错误',
            correctedOn: '2021-10-15',
          },
        },
      ],
      { id: brandId, corrected: ['name', 'occupationCodes', 'industryCode'] },
    );
    expect(await read(brandId)).toMatchObject({ ...fix, buildingUnits: [SCHOOL_A], tier: 'city', regionCode: '430200', policy: POLICY });
    expect(await listed(brandId)).toMatchObject(fix);
    // A retry: every field as it stands, the codes in another order; nothing changes, nothing is recorded.
    await correct(brandId, { ...fix, occupationCodes: ['6-18-02-05', WELDER], buildingUnits: [SCHOOL_A.toLowerCase()], policy: POLICY }).then(200, [], { id: brandId, corrected: [] });
  });

  it("refuses a name another brand of the region holds as registration does, and releases the old name", async () => {
    const holder = await register('醴陵陶瓷工匠');
    const brandId = await register('芦淞服饰人');
    await correct(brandId, { name: ' 醴陵陶瓷工匠 ' }).then(409, [], { rule: 'brand_name_taken', existingId: holder, name: '醴陵陶瓷工匠', regionCode: '430200' });
    expect((await read(brandId)).name).toBe('芦淞服饰人');
    await correct(brandId, { name: '芦淞服饰工' }).then(200, [{ type: 'BrandCorrected' }], { corrected: ['name'] });
    // The old name is free for another brand; the new one is held.
    expect(await register('芦淞服饰人')).toEqual(expect.any(String));
    const again = await http(service.host.baseUrl, 'POST', '/api/v1/brands', { bureauId: zhuzhou.id, name: '芦淞服饰工', tier: 'city', industryCode: 'C37', occupationCodes: [WELDER], buildingUnits: [SCHOOL_A], policy: POLICY }, zhuzhou.officer);
    expect(again).toMatchObject({ status: 409, body: { rule: 'brand_name_taken', existingId: brandId } });
  });

  it('counts the qualification again under the corrected building units; a certification decided before keeps its figures, and reads judge by the corrected policy', async () => {
    const brandId = await register();
    const schoolB = bearer(await service.issuer.token({ role: 'school_staff', organisationId: SCHOOL_B_ID }));
    const asSchoolB = (path: string) => http(service.host.baseUrl, 'GET', path, undefined, schoolB);
    expect((await asSchoolB(`/api/v1/brands/${brandId}`)).status).toBe(403);
    const trainees = [randomUUID(), randomUUID(), randomUUID()];
    await publishFacts(service.host, [
      resultMessage(SCHOOL_A, { traineeId: trainees[0], assessedOn: '2021-05-10', passed: true }),
      resultMessage(SCHOOL_B, { traineeId: trainees[1], assessedOn: '2021-05-10', passed: true }),
      resultMessage(SCHOOL_B, { traineeId: trainees[2], assessedOn: '2021-05-11', passed: false }),
    ]);
    expect(await read(brandId, '/qualification?asOf=2021-09-30')).toMatchObject({ trained: 1, passed: 1, passRate: 1, qualifies: true });
    const certified = await http(service.host.baseUrl, 'POST', `/api/v1/brands/${brandId}/certifications`, { tier: 'city', decidedOn: '2021-10-01' }, zhuzhou.officer);
    expect(certified).toMatchObject({ status: 201, body: { figures: { trained: 1, passed: 1 } } });

    const stricter = { ...POLICY, minTrained: 3, minPassRate: 0.8 };
    await correct(brandId, { buildingUnits: [SCHOOL_A, SCHOOL_B.toLowerCase()], policy: stricter }).then(
      200,
      [{ type: 'BrandCorrected', data: { before: { buildingUnits: [SCHOOL_A], policy: POLICY }, after: { buildingUnits: [SCHOOL_A, SCHOOL_B], policy: stricter } } }],
      { corrected: ['buildingUnits', 'policy'] },
    );
    expect(await read(brandId, '/qualification?asOf=2021-09-30')).toMatchObject({
      trained: 3,
      passed: 2,
      passRate: 0.6666,
      qualifies: false,
      unmet: [{ criterion: 'minPassRate', actual: 0.6666, required: 0.8 }],
    });
    // A result arriving after the correction in the added unit's course counts too.
    await publishFacts(service.host, [resultMessage(SCHOOL_B, { traineeId: randomUUID(), assessedOn: '2021-06-01', passed: true })]);
    expect(await read(brandId, '/qualification?asOf=2021-09-30')).toMatchObject({ trained: 4, passed: 3 });
    const brand = await read(brandId);
    expect(brand).toMatchObject({ buildingUnits: [SCHOOL_A, SCHOOL_B], policy: stricter, certifications: [{ tier: 'city', status: 'standing', figures: { trained: 1, passed: 1, qualifies: true } }] });
    // Staff of the added unit read the brand now, and find it in their list.
    expect((await asSchoolB(`/api/v1/brands/${brandId}`)).status).toBe(200);
    expect((await asSchoolB('/api/v1/brands?consistent=true&limit=100')).body.items.map((item: { id: string }) => item.id)).toContain(brandId);
  });

  it('refuses a correction naming nothing, a reason holding personal data, a field it does not correct, and invalid values, naming the field and the rule', async () => {
    const brandId = await register();
    await correct(brandId, {}).then(400, [], { errors: [{ field: 'name', rule: 'nothing_to_correct' }] });
    await correct(brandId, { name: '株洲焊工', reason: '学员430202199001011233的单位漏填' }).then(400, [], { errors: [{ field: 'reason', rule: 'personal_data_in_text' }] });
    await correct(brandId, { name: '株洲焊工', reason: '联系人手机13812345678' }).then(400, [], { errors: [{ field: 'reason', rule: 'personal_data_in_text' }] });
    await correct(brandId, { tier: 'provincial' }).then(400, [], { errors: [{ field: 'tier', rule: 'unknown_field' }] });
    await correct(brandId, { name: null }).then(400, [], { errors: expect.arrayContaining([expect.objectContaining({ field: 'name' })]) });
    await correct(brandId, { buildingUnits: [] }).then(400, [], { errors: [expect.objectContaining({ field: 'buildingUnits' })] });
    await correct(brandId, { buildingUnits: [SCHOOL_A, NOBODY] }).then(400, [], { rule: 'building_unit_unknown', creditCode: NOBODY, errors: [{ field: 'buildingUnits.1', rule: 'building_unit_unknown' }] });
    await correct(brandId, { buildingUnits: [CHANGSHA_SCHOOL] }).then(400, [], { rule: 'building_unit_outside_region', errors: [{ field: 'buildingUnits.0', rule: 'building_unit_outside_region' }] });
    await correct(brandId, { policy: { ...POLICY, windowEnd: '2020-10-31' } }).then(400, [], { errors: [{ field: 'policy.windowEnd', rule: 'policy_window_inverted' }] });
    await correct(brandId, { policy: { ...POLICY, minPassRate: 85 } }).then(400, [], { errors: [expect.objectContaining({ field: 'policy.minPassRate' })] });
    expect(await read(brandId)).toMatchObject({ buildingUnits: [SCHOOL_A], policy: POLICY, tier: 'city' });
  });

  it("refuses a bureau that may not register the brand (403 brands:register) and an unknown brand (404)", async () => {
    const brandId = await register();
    await correct(brandId, { name: '长沙焊工' }, changsha).then(403, [], { permission: 'brands:register' });
    await correct(brandId, { name: '湖南焊工' }, hunan).then(403, [], { permission: 'brands:register' });
    const school = bearer(await service.issuer.token({ role: 'school_staff', organisationId: randomUUID() }));
    await correct(brandId, { name: '学校焊工' }, school).then(403, []);
    await correct(randomUUID(), { name: '无此品牌' }).then(404, []);
  });
});
