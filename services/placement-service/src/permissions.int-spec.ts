// Who may act on an employer's placements and employments (domain.md section 9: "post, close placements;
// hire; end employments — `employer_staff` of that employer"), over HTTP on placement-service alone.
// Every role check passes (all callers are `employer_staff`); what is refused is another employer's staff,
// by the placement aggregate against its state: 403 naming the permission, nothing recorded, and the
// owning employer's staff then doing the same thing.
import { ApiSpec, bearer, ServiceSpec, startServiceSpec, testIssuer, traineeRegisteredFact, testCreditCode } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { employerStream, placementStream, postedPlacement } from './placement-fixtures';
import { PlacementModule } from './placement.module';


const staffOf = async (employerId: string) => bearer(await (await testIssuer()).token({ role: 'employer_staff', organisationId: employerId }));

const employer = employerStream;
const posted = (employerId: string) => postedPlacement({ employerId });
const postBody = (employerId: string) => ({ employerId, title: '铆焊工', occupationCode: '6-18-02-04', openings: 2, wageMin: 7000, wageMax: 9000, regionCode: '430200' });

describe("placements: only the employer's own staff act on its placements and employments", () => {
  let service: ServiceSpec;
  let spec: ApiSpec;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [PlacementModule], service: 'placement', replicaWaitMs: 200 });
    spec = service.spec;
  });

  afterAll(() => service?.close());

  it("refuses to post a placement for an employer that is not the caller's organisation", async () => {
    const [owner, other] = [randomUUID(), randomUUID()];
    await spec.given(employer(owner), employer(other)).when('POST', '/api/v1/placements', postBody(owner), await staffOf(other)).then(403, [], { permission: 'placements:post', rule: 'permission_denied' });
    // Posted elsewhere than the employer is registered: the employer's own region is stamped beside the placement's.
    await spec
      .when('POST', '/api/v1/placements', { ...postBody(owner), regionCode: '430202' }, await staffOf(owner))
      .then(201, [{ type: 'PlacementPosted', data: { employerId: owner, regionCode: '430202', employerRegionCode: '430200' } }]);
  });

  it("refuses to close another employer's placement", async () => {
    const placement = posted(randomUUID());
    const path = `/api/v1/placements/${placement.data.placementId}/close`;
    await spec.given(placementStream(placement)).when('POST', path, undefined, await staffOf(randomUUID())).then(403, [], { permission: 'placements:close', rule: 'permission_denied' });
    await spec.when('POST', path, undefined, await staffOf(placement.data.employerId)).then(200, [{ type: 'PlacementClosed' }]);
  });

  it("refuses to hire into another employer's placement", async () => {
    const placement = posted(randomUUID());
    const traineeId = randomUUID();
    const path = `/api/v1/placements/${placement.data.placementId}/hires`;
    const body = { traineeId, startDate: '2021-07-01', monthlyWage: 8000 };
    await spec.given(placementStream(placement), traineeRegisteredFact(traineeId)).when('POST', path, body, await staffOf(randomUUID())).then(403, [], { permission: 'placements:hire', rule: 'permission_denied' });
    // Nothing was kept of the refused hire: no active employment stands in the owner's way.
    await spec.when('POST', path, body, await staffOf(placement.data.employerId)).then(201, [{ type: 'TraineeHired', data: { traineeId } }]);
  });

  it("refuses an employer to end another employer's employment", async () => {
    const placement = posted(randomUUID());
    const traineeId = randomUUID();
    const owner = await staffOf(placement.data.employerId);
    const { body } = await spec
      .given(placementStream(placement), traineeRegisteredFact(traineeId))
      .when('POST', `/api/v1/placements/${placement.data.placementId}/hires`, { traineeId, startDate: '2021-07-01', monthlyWage: 8000 }, owner)
      .then(201, [{ type: 'TraineeHired' }]);
    const path = `/api/v1/employments/${body.employmentId}/end`;
    await spec.when('POST', path, { endDate: '2021-09-01', reason: '合同期满' }, await staffOf(randomUUID())).then(403, [], { permission: 'employments:end', rule: 'permission_denied' });
    await spec.when('POST', path, { endDate: '2021-09-01', reason: '合同期满' }, owner).then(200, [{ type: 'EmploymentEnded', data: { employmentId: body.employmentId, endDate: '2021-09-01' } }]);
  });

  it('employers:register — a bureau officer registers only inside its region (the Zhuzhou bureau in 430202, not the Changsha one)', async () => {
    const officerOf = async (regionCode: string) => bearer(await (await testIssuer()).token({ role: 'bureau_officer', organisationId: randomUUID(), regionCode }));
    const body = { name: '株洲九方装备', creditCode: testCreditCode(803), industryCode: 'C37', regionCode: '430202' };
    await spec.when('POST', '/api/v1/employers', body, await officerOf('430100')).then(403, [], { permission: 'employers:register', rule: 'permission_denied' });
    await spec.when('POST', '/api/v1/employers', body, await officerOf('430200')).then(201, [{ type: 'EmployerRegistered', data: { regionCode: '430202' } }]);
  });
});
