// The past of a certification, as the HTTP specs of certification-service give it: evaluators and a
// worker's existing levels as their own events, employments as placement-service's facts. Shared by the
// refusal-rules spec and the dry-run spec, so both provoke each rule the same way.
import { PLACEMENT_TOPIC, TraineeHiredV1 } from '@skills/contracts';
import { EvaluatorKind, evaluatorCodeFor, SkillLevel } from '@skills/domain-kernel';
import { bearer, fact, stream, testIssuer } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { EvaluatorRegistered } from './evaluators/evaluator.aggregate';
import { CertificationRoute, ladderStreamId, LevelCertified } from './ladder/ladder.aggregate';

export const WELDER = '6-18-02-04';
export const CREDIT_CODE = '91430200MA4L00001P';

// Each evaluator its own code, so that certificates issued by different evaluators never share a number;
// levels given as past events get serials of their own.
let nextEvaluatorCode = 1200;
let nextGivenSerial = 1;

/** Authorization of the evaluator's staff, who certify for it and revoke the certificates it issued. */
export const staffOf = async (evaluatorId: string) => bearer(await (await testIssuer()).token({ role: 'evaluator_staff', organisationId: evaluatorId }));

/** An evaluator as its own stream records it: `employer` (用人单位) or `social_organisation` (社会培训评价组织). */
export const evaluator = (kind: EvaluatorKind, evaluatorId = randomUUID()) => {
  const registered: EvaluatorRegistered = {
    type: 'EvaluatorRegistered',
    data: {
      evaluatorId,
      name: kind === 'employer' ? '株洲中车' : '湖南省焊接协会',
      creditCode: CREDIT_CODE,
      kind,
      regionCode: '430200',
      evaluatorCode: evaluatorCodeFor(nextEvaluatorCode++),
    },
  };
  return { evaluatorId, past: stream(`evaluator-${evaluatorId}`, registered) };
};
/** The evaluator's credit code employs the worker from `startDate` on. */
export const hired = (traineeId: string, startDate = '2021-01-04') =>
  fact(PLACEMENT_TOPIC, 'TraineeHired', {
    employmentId: randomUUID(),
    placementId: randomUUID(),
    traineeId,
    employerId: randomUUID(),
    employerCreditCode: CREDIT_CODE,
    employerIndustryCode: 'C37',
    industryCode: 'C37',
    occupationCode: WELDER,
    regionCode: '430200',
    startDate,
    monthlyWage: 8000,
  } satisfies TraineeHiredV1);
/** The worker already holds `level` in the welder's occupation, as their ladder's stream records it (by assessment, unless `route` says otherwise). */
export const holding = (traineeId: string, level: SkillLevel, certifiedOn = '2020-01-10', route: CertificationRoute = 'assessment') => {
  const certified: LevelCertified = {
    type: 'LevelCertified',
    data: {
      certificateNumber: `S000143430200${certifiedOn.slice(2, 4)}0${String(nextGivenSerial++).padStart(6, '0')}`,
      traineeId,
      occupationCode: WELDER,
      regionCode: '430202',
      level,
      previousLevel: null,
      route,
      ...(route === 'direct' ? { justification: '八年一线焊接，工艺攻关' } : {}),
      evaluatorId: randomUUID(),
      evaluatorName: '湖南省焊接协会',
      evaluatorKind: 'social_organisation',
      evaluatorCreditCode: CREDIT_CODE,
      certifiedOn,
    },
  };
  return stream(ladderStreamId(traineeId, WELDER), certified);
};
export const certifyBody = (traineeId: string, evaluatorId: string, level: SkillLevel, route: string, overrides: Record<string, unknown> = {}) => ({
  traineeId,
  occupationCode: WELDER,
  level,
  route,
  evaluatorId,
  certifiedOn: '2021-06-01',
  ...overrides,
});
