// GET /api/v1/evaluators/{id}: one evaluator as registered, with its kind (the console offers direct
// certification and appointment only to an employer's staff), over HTTP on certification-service alone.
// Its own staff, a bureau officer of its region and the platform admin read it; any other caller who may
// read evaluators at all is answered as for an evaluator that does not exist, so nobody learns ids by asking.
import { EvaluatorKind, evaluatorCodeFor, fixedClock } from '@skills/domain-kernel';
import { ApiSpec, bearer, ServiceSpec, startServiceSpec, stream, TestUser, testIssuer } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { CertificationModule } from '../../certification.module';
import { EvaluatorRegistered } from '../evaluator.aggregate';

const clock = fixedClock('2021-10-15T02:00:00.000Z');
let nextEvaluatorCode = 1900;

const as = async (user: TestUser) => bearer(await (await testIssuer()).token(user));

/** A registered evaluator of Zhuzhou's Hetang district (430202), as its own stream records it. */
const evaluator = (kind: EvaluatorKind) => {
  const evaluatorId = randomUUID();
  const data: EvaluatorRegistered['data'] = { evaluatorId, name: `评价机构 ${nextEvaluatorCode}`, creditCode: '91430200MA4L00001P', kind, regionCode: '430202', evaluatorCode: evaluatorCodeFor(nextEvaluatorCode++) };
  const registered: EvaluatorRegistered = { type: 'EvaluatorRegistered', data };
  return { evaluatorId, data, past: stream(`evaluator-${evaluatorId}`, registered), staff: { role: 'evaluator_staff', organisationId: evaluatorId } as TestUser };
};

describe('certification: reading an evaluator (GET /api/v1/evaluators/{id})', () => {
  let service: ServiceSpec;
  let spec: ApiSpec;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [CertificationModule], service: 'certification', replicaWaitMs: 200, clock });
    spec = service.spec;
  });

  afterAll(() => service?.close());

  it('answers its own staff, a bureau officer of its region and the platform admin the evaluator with its kind', async () => {
    const [employer, social] = [evaluator('employer'), evaluator('social_organisation')];
    await spec.given(employer.past, social.past).when('GET', `/api/v1/evaluators/${employer.evaluatorId}`, undefined, await as(employer.staff)).then(200, [], { ...employer.data, kind: 'employer' });
    await spec.when('GET', `/api/v1/evaluators/${social.evaluatorId}`, undefined, await as(social.staff)).then(200, [], { ...social.data, kind: 'social_organisation' });
    await spec.when('GET', `/api/v1/evaluators/${social.evaluatorId}`, undefined, await as({ role: 'platform_admin' })).then(200, [], social.data);
    // The Zhuzhou bureau (430200) contains Hetang (430202).
    await spec.when('GET', `/api/v1/evaluators/${social.evaluatorId}`, undefined, await as({ role: 'bureau_officer', organisationId: randomUUID(), regionCode: '430200' })).then(200, [], social.data);
  });

  it("refuses another evaluator's staff and a bureau officer outside its region (403 naming evaluators:read), and answers an unknown id 404", async () => {
    const [named, other] = [evaluator('employer'), evaluator('social_organisation')];
    const refused = { permission: 'evaluators:read', rule: 'permission_denied' };
    await spec.given(named.past, other.past).when('GET', `/api/v1/evaluators/${named.evaluatorId}`, undefined, await as(other.staff)).then(403, [], refused);
    // The Changsha bureau (430100) does not contain Hetang.
    await spec.when('GET', `/api/v1/evaluators/${named.evaluatorId}`, undefined, await as({ role: 'bureau_officer', organisationId: randomUUID(), regionCode: '430100' })).then(403, [], refused);
    await spec.when('GET', `/api/v1/evaluators/${randomUUID()}`, undefined, await as({ role: 'platform_admin' })).then(404);
  });

  it('refuses an id that is no UUID (400) and a role that reads no evaluator (403 naming the permission)', async () => {
    const named = evaluator('employer');
    await spec.given(named.past).when('GET', '/api/v1/evaluators/not-a-uuid', undefined, await as(named.staff)).then(400);
    await spec.when('GET', `/api/v1/evaluators/${named.evaluatorId}`, undefined, await as({ role: 'school_staff', organisationId: randomUUID() })).then(403, [], { permission: 'evaluators:read', rule: 'permission_denied' });
  });
});
