// placement's EmploymentVoided (a hire recorded in error) takes the employment out of certification's replica:
// direct certification and appointment need a worker the evaluator's employer employs, and a voided hire
// never employed anyone. A void that arrives before its hire or end (a dead letter retried) leaves them voided.
// Over HTTP on certification-service alone (real Postgres); placement's messages given as facts.
import { EmploymentEndedV1, EmploymentVoidedV1, PLACEMENT_TOPIC, TraineeHiredV1 } from '@skills/contracts';
import { ApiSpec, fact, ServiceSpec, startServiceSpec, traineeRegisteredFact } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { CertificationModule } from '../certification.module';
import { certifyBody, evaluator, hired, staffOf } from '../certification-fixtures';

const direct = (traineeId: string, evaluatorId: string) => certifyBody(traineeId, evaluatorId, 'junior', 'direct', { justification: '八年一线焊接，工艺攻关' });

/** placement's void of the hire `hire`, as placementIntegrationEvents publishes it (keyed by trainee, no reason). */
const voidedOf = (hire: ReturnType<typeof hired>) => {
  const { employmentId, placementId, traineeId, employerId, employerCreditCode, employerIndustryCode, industryCode, occupationCode, regionCode, startDate } = hire.envelope.payload as TraineeHiredV1;
  const payload: EmploymentVoidedV1 = { employmentId, placementId, traineeId, employerId, employerCreditCode, employerIndustryCode, industryCode, occupationCode, regionCode, startDate, voidedOn: '2021-05-01' };
  return fact(PLACEMENT_TOPIC, 'EmploymentVoided', payload, { key: traineeId });
};
const endedOf = (hire: ReturnType<typeof hired>, endDate: string) => {
  const { employmentId, traineeId, employerId, employerCreditCode, employerIndustryCode, industryCode, occupationCode, startDate } = hire.envelope.payload as TraineeHiredV1;
  const payload: EmploymentEndedV1 = { employmentId, traineeId, employerId, employerCreditCode, employerIndustryCode, industryCode, occupationCode, startDate, endDate, reason: '合同期满' };
  return fact(PLACEMENT_TOPIC, 'EmploymentEnded', payload, { key: traineeId });
};

describe("certification: a voided hire is no employment of the evaluator's employer", () => {
  let service: ServiceSpec;
  let spec: ApiSpec;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [CertificationModule], service: 'certification', replicaWaitMs: 200 });
    spec = service.spec;
  });

  afterAll(() => service?.close());

  /** An employer evaluator and its staff, and a registered worker with no level. */
  const arranged = async () => {
    const { evaluatorId, past } = evaluator('employer');
    const traineeId = randomUUID();
    return { evaluatorId, past, traineeId, staff: await staffOf(evaluatorId), hire: hired(traineeId) };
  };

  it('certifies directly a worker the employer hired (the hire alone)', async () => {
    const { evaluatorId, past, traineeId, staff, hire } = await arranged();
    await spec.given(past, traineeRegisteredFact(traineeId), hire).when('POST', '/api/v1/certifications', direct(traineeId, evaluatorId), staff).then(201, [{ type: 'LevelCertified' }]);
  });

  it('refuses direct certification once the hire is voided, the void redelivered changing nothing', async () => {
    const { evaluatorId, past, traineeId, staff, hire } = await arranged();
    const voided = voidedOf(hire);
    await spec.given(past, traineeRegisteredFact(traineeId), hire, voided, voided).when('POST', '/api/v1/certifications', direct(traineeId, evaluatorId), staff).then(409, [], { rule: 'direct_requires_current_employer' });
  });

  it('leaves the hire voided when its void came first, and its end after both', async () => {
    const { evaluatorId, past, traineeId, staff, hire } = await arranged();
    await spec
      .given(past, traineeRegisteredFact(traineeId), voidedOf(hire), hire, endedOf(hire, '2030-01-01'))
      .when('POST', '/api/v1/certifications', direct(traineeId, evaluatorId), staff)
      .then(409, [], { rule: 'direct_requires_current_employer' });
  });

  it("takes only the voided employment: the worker's other hire there still counts", async () => {
    const { evaluatorId, past, traineeId, staff, hire } = await arranged();
    await spec.given(past, traineeRegisteredFact(traineeId), hired(traineeId, '2021-02-01'), hire, voidedOf(hire)).when('POST', '/api/v1/certifications', direct(traineeId, evaluatorId), staff).then(201, [{ type: 'LevelCertified' }]);
  });
});
