// Who may certify and revoke (domain.md section 9, "certify, revoke a certificate": `evaluator_staff` of
// that evaluator; revoke: of the issuing evaluator), over HTTP on certification-service alone. The role
// is the AuthGuard's; the organisation is checked by the ladder against its state: the evaluator a
// certification names, the evaluator that issued the certificate being revoked. Each refusal is a 403
// naming the permission with nothing recorded, and the owner's own request goes through.
import { EvaluatorKind, evaluatorCodeFor, fixedClock, readCertificateNumber } from '@skills/domain-kernel';
import { ApiSpec, bearer, ServiceSpec, startServiceSpec, stream, testIssuer, traineeRegisteredFact, testCreditCode } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { CertificationModule } from './certification.module';
import { EvaluatorRegistered } from './evaluators/evaluator.aggregate';

const clock = fixedClock('2021-10-15T02:00:00.000Z');
const WELDER = '6-18-02-04';

let nextEvaluatorCode = 1300;

/** Authorization of a user of the evaluator's staff. */
const staffOf = async (evaluatorId: string) => bearer(await (await testIssuer()).token({ role: 'evaluator_staff', organisationId: evaluatorId }));

/** A registered evaluator, as its own stream records it. */
const evaluator = (kind: EvaluatorKind = 'social_organisation') => {
  const evaluatorId = randomUUID();
  const registered: EvaluatorRegistered = {
    type: 'EvaluatorRegistered',
    data: { evaluatorId, name: `评价机构 ${nextEvaluatorCode}`, creditCode: '91430200MA4L00001P', kind, regionCode: '430200', evaluatorCode: evaluatorCodeFor(nextEvaluatorCode++) },
  };
  return { evaluatorId, past: stream(`evaluator-${evaluatorId}`, registered) };
};

const certifyBody = (traineeId: string, evaluatorId: string, level: 'junior' | 'intermediate', certifiedOn: string) => ({
  traineeId,
  occupationCode: WELDER,
  level,
  route: 'assessment',
  evaluatorId,
  certifiedOn,
});

describe('certification: who may certify and revoke (section 9)', () => {
  let service: ServiceSpec;
  let spec: ApiSpec;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [CertificationModule], service: 'certification', replicaWaitMs: 200, clock });
    spec = service.spec;
  });

  afterAll(() => service?.close());

  it("certify: staff of another evaluator cannot certify in this evaluator's name; its own staff can", async () => {
    const trainee = randomUUID();
    const [named, other] = [evaluator(), evaluator()];
    await spec
      .given(named.past, other.past, traineeRegisteredFact(trainee))
      .when('POST', '/api/v1/certifications', certifyBody(trainee, named.evaluatorId, 'junior', '2021-06-01'), await staffOf(other.evaluatorId))
      .then(403, [], { permission: 'certificates:certify', rule: 'permission_denied' });
    const { body } = await spec
      .when('POST', '/api/v1/certifications', certifyBody(trainee, named.evaluatorId, 'junior', '2021-06-01'), await staffOf(named.evaluatorId))
      // Stamped with the evaluator's region as registered (certification figures count by it, domain.md section 6).
      .then(201, [{ type: 'LevelCertified', data: { evaluatorId: named.evaluatorId, evaluatorRegionCode: '430200', level: 'junior' } }], { level: 'junior', previousLevel: null });
    // The refused request took none of the evaluator's serials: its first certificate is number 1.
    expect(readCertificateNumber(body.certificateNumber)).toMatchObject({ ok: true, parts: { serial: 1 } });
  });

  it("revoke: an evaluator cannot revoke another evaluator's certificate, even on a ladder it certified too; the issuing one can", async () => {
    const trainee = randomUUID();
    const [issuing, other] = [evaluator(), evaluator()];
    const issuingStaff = await staffOf(issuing.evaluatorId);
    const otherStaff = await staffOf(other.evaluatorId);
    const junior = await spec
      .given(issuing.past, other.past, traineeRegisteredFact(trainee))
      .when('POST', '/api/v1/certifications', certifyBody(trainee, issuing.evaluatorId, 'junior', '2020-06-01'), issuingStaff)
      .then(201, [{ type: 'LevelCertified' }]);
    const intermediate = await spec
      .when('POST', '/api/v1/certifications', certifyBody(trainee, other.evaluatorId, 'intermediate', '2021-06-01'), otherStaff)
      .then(201, [{ type: 'LevelCertified', data: { evaluatorId: other.evaluatorId, previousLevel: 'junior' } }]);
    const juniorNumber = junior.body.certificateNumber as string;
    await spec
      .when('POST', `/api/v1/certificates/${juniorNumber}/revocation`, { reason: '材料造假', revokedOn: '2021-09-01' }, otherStaff)
      .then(403, [], { permission: 'certificates:revoke', rule: 'permission_denied' });
    await spec
      .when('POST', `/api/v1/certificates/${intermediate.body.certificateNumber}/revocation`, { reason: '材料造假', revokedOn: '2021-09-01' }, issuingStaff)
      .then(403, [], { permission: 'certificates:revoke', rule: 'permission_denied' });
    await spec
      .when('POST', `/api/v1/certificates/${juniorNumber}/revocation`, { reason: '材料造假', revokedOn: '2021-09-01' }, issuingStaff)
      .then(200, [{ type: 'CertificateRevoked', data: { certificateNumber: juniorNumber, revokedLevel: 'junior', levelAfter: 'intermediate' } }], { status: 'revoked', levelAfter: 'intermediate' });
  });

  it('evaluators:register — a bureau officer registers only inside its region (the Zhuzhou bureau in 430202, not the Changsha one)', async () => {
    const officerOf = async (regionCode: string) => bearer(await (await testIssuer()).token({ role: 'bureau_officer', organisationId: randomUUID(), regionCode }));
    const body = { name: '株洲技能评价中心', creditCode: testCreditCode(802), kind: 'social_organisation', regionCode: '430202' };
    await spec.when('POST', '/api/v1/evaluators', body, await officerOf('430100')).then(403, [], { permission: 'evaluators:register', rule: 'permission_denied' });
    await spec.when('POST', '/api/v1/evaluators', body, await officerOf('430200')).then(201, [{ type: 'EvaluatorRegistered', data: { regionCode: '430202' } }]);
  });
});
