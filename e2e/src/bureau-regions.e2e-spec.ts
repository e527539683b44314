// "Its region" (domain.md section 9) for services that do not keep bureaus: brand-service publishes each
// bureau's registration, identity keeps it in the organisations register and writes the region into its
// officers' access tokens, and every service judges a bureau officer by that region: registering
// providers, evaluators and employers, managing their users, reading courses and the ladder distribution.
import { BrandModule } from '@skills/brand-service';
import { CertificationModule } from '@skills/certification-service';
import { IdentityModule } from '@skills/identity-service';
import { PlacementModule } from '@skills/placement-service';
import { adminToken, bearer, createTestDatabase, http, signInAs, startTestHost, TestDatabase, TestHost, testCreditCode, waitFor } from '@skills/testing';
import { TrainingModule } from '@skills/training-service';

describe("a bureau officer acts inside its bureau's region", () => {
  let database: TestDatabase;
  let host: TestHost;
  let admin: Record<string, string>;
  const bureaus = { zhuzhou: '', changsha: '', hunan: '' };
  const officers = { zhuzhou: {} as Record<string, string>, changsha: {} as Record<string, string>, hunan: {} as Record<string, string> };

  const call = (method: string, path: string, body: unknown, as: Record<string, string>) => http(host.baseUrl, method, path, body, as);
  /** The register lists an organisation once its registration event has reached identity. */
  const registered = (id: string) =>
    waitFor(async () => (await http(host.baseUrl, 'GET', '/api/v1/organisations?limit=100')).body.items.some((item: { id: string }) => item.id === id), { description: `organisation ${id} in the register` });

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: [IdentityModule, TrainingModule, CertificationModule, PlacementModule, BrandModule], transport: 'in-process', databaseUrl: database.url });
    admin = bearer(await adminToken(host.baseUrl));
    const regions = { zhuzhou: ['株洲市人力资源和社会保障局', '430200'], changsha: ['长沙市人力资源和社会保障局', '430100'], hunan: ['湖南省人力资源和社会保障厅', '430000'] } as const;
    for (const [key, [name, regionCode]] of Object.entries(regions) as Array<[keyof typeof regions, readonly [string, string]]>) {
      bureaus[key] = (await call('POST', '/api/v1/bureaus', { name, regionCode }, admin)).body.id;
      await registered(bureaus[key]);
      officers[key] = bearer((await signInAs(host.baseUrl, { role: 'bureau_officer', organisationId: bureaus[key] })).token);
    }
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  it("lists bureaus in the public register, and puts the bureau's region into its officers' tokens", async () => {
    const listed = await http(host.baseUrl, 'GET', '/api/v1/organisations?kind=bureau&regionCode=430000');
    expect(listed.body.items).toEqual(
      expect.arrayContaining([
        { id: bureaus.zhuzhou, kind: 'bureau', name: '株洲市人力资源和社会保障局', creditCode: null, regionCode: '430200' },
        { id: bureaus.hunan, kind: 'bureau', name: '湖南省人力资源和社会保障厅', creditCode: null, regionCode: '430000' },
      ]),
    );
    // All but bureaus (a bureau officer's picker), cut to a page after they are left out.
    const others = await http(host.baseUrl, 'GET', '/api/v1/organisations?exceptKind=bureau&regionCode=430000&limit=100');
    expect(others.status).toBe(200);
    expect(others.body.items.map((item: { kind: string }) => item.kind)).not.toContain('bureau');
    expect((await http(host.baseUrl, 'GET', '/api/v1/organisations?exceptKind=ministry')).body).toMatchObject({ status: 400, errors: [{ field: 'exceptKind' }] });
    expect((await call('GET', '/api/v1/me', undefined, officers.zhuzhou)).body).toMatchObject({ role: 'bureau_officer', organisationId: bureaus.zhuzhou, regionCode: '430200' });
    // A user of an organisation the register does not hold gets no region, so no bureau officer's say anywhere.
    const stray = bearer((await signInAs(host.baseUrl, { role: 'bureau_officer', organisationId: '00000000-0000-4000-8000-000000000001' })).token);
    expect((await call('GET', '/api/v1/me', undefined, stray)).body.regionCode).toBeNull();
    expect((await call('POST', '/api/v1/providers', { name: '无名学校', creditCode: testCreditCode(7200), regionCode: '430202' }, stray)).status).toBe(403);
  });

  it('registers providers, evaluators and employers only inside its region', async () => {
    const rows = [
      ['/api/v1/providers', 'providers:register', (n: number, regionCode: string) => ({ name: `学校${n}`, creditCode: testCreditCode(n), regionCode })],
      ['/api/v1/evaluators', 'evaluators:register', (n: number, regionCode: string) => ({ name: `评价机构${n}`, creditCode: testCreditCode(n), kind: 'social_organisation', regionCode })],
      ['/api/v1/employers', 'employers:register', (n: number, regionCode: string) => ({ name: `企业${n}`, creditCode: testCreditCode(n), industryCode: 'C37', regionCode })],
    ] as const;
    let n = 7210;
    for (const [path, permission, body] of rows) {
      expect(await call('POST', path, body(n++, '430102'), officers.zhuzhou)).toMatchObject({ status: 403, body: { permission } });
      expect((await call('POST', path, body(n++, '430202'), officers.zhuzhou)).status).toBe(201);
      // The province contains both cities; the Changsha bureau neither Zhuzhou nor the province's own code.
      expect((await call('POST', path, body(n++, '430102'), officers.hunan)).status).toBe(201);
      expect(await call('POST', path, body(n++, '430000'), officers.changsha)).toMatchObject({ status: 403, body: { permission } });
    }
  });

  it('manages the users of the organisations of its region only, with a role of their kind', async () => {
    const zhuzhouSchool = (await call('POST', '/api/v1/providers', { name: '株洲新希望焊接培训学校', creditCode: testCreditCode(7301), regionCode: '430202' }, admin)).body.id;
    const changshaSchool = (await call('POST', '/api/v1/providers', { name: '长沙职业培训学校', creditCode: testCreditCode(7302), regionCode: '430102' }, admin)).body.id;
    await registered(zhuzhouSchool);
    await registered(changshaSchool);
    const user = (organisationId: string, role = 'school_staff') => ({ username: `clerk.${organisationId.slice(0, 8)}.${role}`, password: 'a-long-enough-password', role, organisationId });

    const created = await call('POST', '/api/v1/users', user(zhuzhouSchool), officers.zhuzhou);
    expect(created.status).toBe(201);
    expect(await call('POST', '/api/v1/users', user(changshaSchool), officers.zhuzhou)).toMatchObject({ status: 403, body: { permission: 'users:create' } });
    // The organisation is a provider: no evaluator user for it, even inside the region.
    expect(await call('POST', '/api/v1/users', user(zhuzhouSchool, 'evaluator_staff'), officers.zhuzhou)).toMatchObject({ status: 400, body: { rule: 'organisation_kind_mismatch' } });
    // Nor a platform admin.
    expect(await call('POST', '/api/v1/users', { username: 'would.be.admin', password: 'a-long-enough-password', role: 'platform_admin' }, officers.zhuzhou)).toMatchObject({ status: 403 });

    const clerk = created.body.id as string;
    expect(await call('POST', `/api/v1/users/${clerk}/password`, { password: 'another-long-password' }, officers.changsha)).toMatchObject({ status: 403, body: { permission: 'users:password' } });
    expect((await call('POST', `/api/v1/users/${clerk}/password`, { password: 'another-long-password' }, officers.hunan)).status).toBe(200);
    expect(await call('POST', `/api/v1/users/${clerk}/disable`, undefined, officers.changsha)).toMatchObject({ status: 403, body: { permission: 'users:disable' } });
    expect((await call('POST', `/api/v1/users/${clerk}/disable`, undefined, officers.zhuzhou)).status).toBe(200);
  });
});
