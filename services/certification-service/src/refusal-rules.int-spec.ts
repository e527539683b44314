// Every refusal rule of certification's aggregates, provoked over HTTP on certification-service alone,
// with the clock fixed: evaluators and a worker's existing levels given as their own events, trainees
// and employments as facts from trainee-service's and placement-service's topics. The table is checked
// against the rules the aggregates' source can raise, so a rule added without a scenario fails.
// Staff of the evaluator named in each certification make it, and revoke what that evaluator issued.
import { PLACEMENT_TOPIC } from '@skills/contracts';
import { EvaluatorKind, fixedClock, SkillLevel } from '@skills/domain-kernel';
import { ApiSpec, Fact, PastEvents, refusalRulesOf, ServiceSpec, startServiceSpec, traineeRegisteredFact } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';
import { CertificationModule } from './certification.module';
import { certifyBody, evaluator, hired, holding, staffOf } from './certification-fixtures';
import { LevelCertified } from './ladder/ladder.aggregate';
import { EMPLOYMENTS_CONSUMER } from './replicas/employments';

// "Today" for these specs: 2021-10-15 in China (the clock is fixed, so "in the future" is too).
const TODAY = '2021-10-15';
const clock = fixedClock('2021-10-15T02:00:00.000Z');

type Scenario = (spec: ApiSpec) => Promise<unknown>;

/**
 * A certification refused by `rule`: the evaluator of `kind`, a registered worker, whatever else the
 * past holds (levels, employments), the request, the 409 naming the rule, nothing recorded.
 */
const refusedCertification =
  (
    rule: string,
    kind: EvaluatorKind,
    level: SkillLevel,
    route: string,
    overrides: Record<string, unknown>,
    past: (trainee: string) => (PastEvents | Fact)[] = () => [],
    spelt: (traineeId: string) => string = (traineeId) => traineeId,
  ): Scenario =>
  async (spec) => {
    const trainee = randomUUID();
    const { evaluatorId, past: evaluatorPast } = evaluator(kind);
    await spec
      .given(evaluatorPast, traineeRegisteredFact(trainee), ...past(trainee))
      .when('POST', '/api/v1/certifications', certifyBody(spelt(trainee), evaluatorId, level, route, overrides), await staffOf(evaluatorId))
      .then(409, [], { rule, requestedLevel: level, route });
  };

/** One scenario per rule: the past, the request, the refusal (status and rule), nothing recorded. */
/** A junior certificate, issued on 2021-06-01 by a new evaluator to a new trainee, and that evaluator's staff. */
async function certifiedJunior(spec: ApiSpec): Promise<{ number: string; staff: Record<string, string> }> {
  const trainee = randomUUID();
  const { evaluatorId, past } = evaluator('social_organisation');
  const staff = await staffOf(evaluatorId);
  const { body } = await spec
    .given(past, traineeRegisteredFact(trainee))
    .when('POST', '/api/v1/certifications', certifyBody(trainee, evaluatorId, 'junior', 'assessment'), staff)
    .then(201, [{ type: 'LevelCertified', data: { level: 'junior', certifiedOn: '2021-06-01' } }]);
  return { number: body.certificateNumber as string, staff };
}

const scenarios: Record<string, Scenario> = {
  target_not_above_current_level: async (spec) => {
    const heldJunior = (trainee: string) => [holding(trainee, 'junior')];
    await refusedCertification('target_not_above_current_level', 'social_organisation', 'junior', 'assessment', {}, heldJunior)(spec);
    // The worker's id in capitals is the same worker's ladder, not a second one with a second junior.
    await refusedCertification('target_not_above_current_level', 'social_organisation', 'junior', 'assessment', {}, heldJunior, (id) => id.toUpperCase())(spec);
  },
  assessment_above_senior_technician: refusedCertification('assessment_above_senior_technician', 'social_organisation', 'special_technician', 'assessment', {}),
  assessment_first_level_apprentice_or_junior: refusedCertification('assessment_first_level_apprentice_or_junior', 'social_organisation', 'intermediate', 'assessment', {}),
  assessment_one_rung_at_a_time: refusedCertification('assessment_one_rung_at_a_time', 'social_organisation', 'senior', 'assessment', {}, (trainee) => [holding(trainee, 'junior')]),
  direct_requires_employer_evaluator: refusedCertification('direct_requires_employer_evaluator', 'social_organisation', 'senior', 'direct', { justification: '八年一线焊接，工艺攻关' }, (trainee) => [
    hired(trainee),
  ]),
  direct_requires_current_employer: refusedCertification('direct_requires_current_employer', 'employer', 'senior', 'direct', { justification: '八年一线焊接，工艺攻关' }),
  direct_only_while_unrated: refusedCertification('direct_only_while_unrated', 'employer', 'senior', 'direct', { justification: '八年一线焊接，工艺攻关' }, (trainee) => [
    hired(trainee),
    holding(trainee, 'junior'),
  ]),
  direct_target_junior_to_senior_technician: refusedCertification('direct_target_junior_to_senior_technician', 'employer', 'special_technician', 'direct', { justification: '八年一线焊接，工艺攻关' }, (trainee) => [
    hired(trainee),
  ]),
  direct_requires_justification: refusedCertification('direct_requires_justification', 'employer', 'senior', 'direct', {}, (trainee) => [hired(trainee)]),
  exceptional_above_senior_technician: refusedCertification('exceptional_above_senior_technician', 'social_organisation', 'special_technician', 'exceptional', { reason: 'competition_award', evidence: '全国焊工大赛一等奖' }, (trainee) => [
    holding(trainee, 'technician'),
  ]),
  exceptional_more_than_two_rungs: refusedCertification('exceptional_more_than_two_rungs', 'social_organisation', 'technician', 'exceptional', { reason: 'competition_award', evidence: '全国焊工大赛一等奖' }, (trainee) => [
    holding(trainee, 'junior'),
  ]),
  exceptional_requires_reason: refusedCertification('exceptional_requires_reason', 'social_organisation', 'senior', 'exceptional', { evidence: '全国焊工大赛一等奖' }, (trainee) => [holding(trainee, 'junior')]),
  exceptional_requires_evidence: refusedCertification('exceptional_requires_evidence', 'social_organisation', 'senior', 'exceptional', { reason: 'competition_award' }, (trainee) => [holding(trainee, 'junior')]),
  appointment_only_special_or_chief_technician: refusedCertification('appointment_only_special_or_chief_technician', 'employer', 'senior_technician', 'appointment', {}, (trainee) => [
    hired(trainee),
    holding(trainee, 'technician'),
  ]),
  appointment_requires_employer_evaluator: refusedCertification('appointment_requires_employer_evaluator', 'social_organisation', 'special_technician', 'appointment', {}, (trainee) => [
    hired(trainee),
    holding(trainee, 'senior_technician'),
  ]),
  appointment_requires_current_employer: refusedCertification('appointment_requires_current_employer', 'employer', 'special_technician', 'appointment', {}, (trainee) => [
    hired(trainee, '2021-06-02'),
    holding(trainee, 'senior_technician'),
  ]),
  appointment_requires_rung_below: refusedCertification('appointment_requires_rung_below', 'employer', 'chief_technician', 'appointment', {}, (trainee) => [
    hired(trainee),
    holding(trainee, 'senior_technician'),
  ]),
  // A junior of 2020 entered under the worker's junior of 2021-03-01, which would no longer be above it.
  later_certificate_not_above: async (spec) => {
    const trainee = randomUUID();
    const { evaluatorId, past } = evaluator('social_organisation');
    const laterJunior = holding(trainee, 'junior', '2021-03-01');
    const { certificateNumber } = (laterJunior.events[0] as LevelCertified).data;
    await spec
      .given(past, traineeRegisteredFact(trainee), laterJunior)
      .when('POST', '/api/v1/certifications', certifyBody(trainee, evaluatorId, 'junior', 'assessment', { certifiedOn: '2020-06-01' }), await staffOf(evaluatorId))
      .then(409, [], {
        rule: 'later_certificate_not_above',
        currentLevel: null,
        requestedLevel: 'junior',
        laterCertificateNumber: certificateNumber,
        laterLevel: 'junior',
        laterCertifiedOn: '2021-03-01',
      });
  },
  // An apprentice of 2020 entered under the worker's direct junior of 2021-03-01, made while they had no level.
  later_direct_requires_unrated: async (spec) => {
    const trainee = randomUUID();
    const { evaluatorId, past } = evaluator('social_organisation');
    const laterDirect = holding(trainee, 'junior', '2021-03-01', 'direct');
    const { certificateNumber } = (laterDirect.events[0] as LevelCertified).data;
    await spec
      .given(past, traineeRegisteredFact(trainee), laterDirect)
      .when('POST', '/api/v1/certifications', certifyBody(trainee, evaluatorId, 'apprentice', 'assessment', { certifiedOn: '2020-06-01' }), await staffOf(evaluatorId))
      .then(409, [], {
        rule: 'later_direct_requires_unrated',
        currentLevel: null,
        requestedLevel: 'apprentice',
        laterCertificateNumber: certificateNumber,
        laterLevel: 'junior',
        laterCertifiedOn: '2021-03-01',
      });
  },
  certificate_already_revoked: async (spec) => {
    const { number, staff } = await certifiedJunior(spec);
    await spec.when('POST', `/api/v1/certificates/${number}/revocation`, { reason: '材料造假', revokedOn: '2021-09-01' }, staff).then(200, [{ type: 'CertificateRevoked', data: { revokedOn: '2021-09-01' } }]);
    await spec.when('POST', `/api/v1/certificates/${number}/revocation`, { reason: '再次' }, staff).then(409, [], { rule: 'certificate_already_revoked', certificateNumber: number });
  },
  revoked_before_certification: async (spec) => {
    const { number, staff } = await certifiedJunior(spec);
    await spec
      .when('POST', `/api/v1/certificates/${number}/revocation`, { reason: '材料造假', revokedOn: '2021-05-31' }, staff)
      .then(409, [], { rule: 'revoked_before_certification', revokedOn: '2021-05-31', certifiedOn: '2021-06-01' });
  },
  later_certificate_stands_on_it: async (spec) => {
    const trainee = randomUUID();
    const { evaluatorId, past } = evaluator('social_organisation');
    const staff = await staffOf(evaluatorId);
    const junior = await spec.given(past, traineeRegisteredFact(trainee)).when('POST', '/api/v1/certifications', certifyBody(trainee, evaluatorId, 'junior', 'assessment'), staff).then(201);
    const intermediate = await spec.when('POST', '/api/v1/certifications', certifyBody(trainee, evaluatorId, 'intermediate', 'assessment', { certifiedOn: '2021-09-01' }), staff).then(201);
    await spec
      .when('POST', `/api/v1/certificates/${junior.body.certificateNumber}/void`, { reason: '录入错误' }, staff)
      .then(409, [], { rule: 'later_certificate_stands_on_it', laterCertificateNumber: intermediate.body.certificateNumber, laterLevel: 'intermediate', laterCertifiedOn: '2021-09-01' });
  },
  date_in_future: async (spec) => {
    const trainee = randomUUID();
    const { evaluatorId, past } = evaluator('social_organisation');
    await spec
      .given(past, traineeRegisteredFact(trainee))
      .when('POST', '/api/v1/certifications', certifyBody(trainee, evaluatorId, 'junior', 'assessment', { certifiedOn: '2021-10-16' }), await staffOf(evaluatorId))
      .then(400, [], { rule: 'date_in_future', errors: [{ field: 'certifiedOn', rule: 'date_in_future' }] });
  },
};

/**
 * Rules judged on what only trainee-service knows (TraineeAges), which a host of certification alone
 * cannot ask: their scenarios run with trainee-service beside it, in e2e/src/input-validation.e2e-spec.ts
 * (one process) and tools/launcher/distributed.e2e-spec.ts (over HTTP, services apart).
 */
const PROVED_WITH_TRAINEE_SERVICE = ['certified_before_birth'];
/** Rules of imported certificates' numbers and dates, which no HTTP route records: proved in ladder/import-certificates/import-certificates.int-spec.ts. */
const PROVED_BY_IMPORTS = ['certificate_number_does_not_match', 'certificate_of_another_evaluator', 'imported_after_certifying_here'];

describe('certification: every refusal rule over HTTP', () => {
  let service: ServiceSpec;
  let spec: ApiSpec;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [CertificationModule], service: 'certification', replicaWaitMs: 200, clock });
    spec = service.spec;
  });

  afterAll(() => service?.close());

  it("has a scenario for exactly the rules certification's aggregates can raise", () => {
    expect([...Object.keys(scenarios), ...PROVED_WITH_TRAINEE_SERVICE, ...PROVED_BY_IMPORTS].sort()).toEqual(refusalRulesOf(path.join(__dirname)));
  });

  it.each(Object.keys(scenarios))('refuses by %s', async (rule) => {
    await scenarios[rule](spec);
  });

  it('certifies no one by direct certification or appointment while one of their placement facts waits here as a dead letter (503, nothing recorded), and does once it is applied', async () => {
    const trainee = randomUUID();
    const { evaluatorId, past } = evaluator('employer');
    const staff = await staffOf(evaluatorId);
    // An end of employment certification-service could not apply: the replica may say employed of someone who left.
    const sql = new Client({ connectionString: service.database.url, options: '-c search_path=certification' });
    await sql.connect();
    try {
      const { rows } = await sql.query<{ id: string }>(
        `INSERT INTO dead_letters (consumer, topic, message_id, envelope, error) VALUES ($1, $2, gen_random_uuid(), $3, 'probe') RETURNING message_id::text AS id`,
        [EMPLOYMENTS_CONSUMER, PLACEMENT_TOPIC, { type: 'EmploymentEnded', aggregateId: trainee }],
      );
      const direct = certifyBody(trainee, evaluatorId, 'junior', 'direct', { justification: '八年一线焊接，工艺攻关' });
      await spec.given(past, traineeRegisteredFact(trainee), hired(trainee)).when('POST', '/api/v1/certifications', direct, staff).then(503, [], { rule: 'facts_not_caught_up' });
      // An assessment does not stand on employments.
      const other = evaluator('social_organisation');
      await spec
        .given(other.past)
        .when('POST', '/api/v1/certifications', certifyBody(trainee, other.evaluatorId, 'apprentice', 'assessment', { occupationCode: '6-18-02-01' }), await staffOf(other.evaluatorId))
        .then(201, [{ type: 'LevelCertified' }]);
      // Applied by a later retry (the inbox says so): judged again.
      await sql.query('INSERT INTO inbox (consumer, message_id) VALUES ($1, $2)', [EMPLOYMENTS_CONSUMER, rows[0].id]);
      await spec.when('POST', '/api/v1/certifications', direct, staff).then(201, [{ type: 'LevelCertified', data: { level: 'junior', route: 'direct' } }]);
    } finally {
      await sql.end();
    }
  });

  it('refuses personal data in the evidence of an exceptional promotion, kept with the record for good as a justification is', async () => {
    const trainee = randomUUID();
    const { evaluatorId, past } = evaluator('social_organisation');
    const body = certifyBody(trainee, evaluatorId, 'senior', 'exceptional', { reason: 'competition_award', evidence: '获奖人 身份证430202198002071014' });
    await spec
      .given(past, traineeRegisteredFact(trainee), holding(trainee, 'junior'))
      .when('POST', '/api/v1/certifications', body, await staffOf(evaluatorId))
      .then(400, [], { errors: [{ field: 'evidence', rule: 'personal_data_in_text' }] });
  });

  it('dates a revocation sent without a date by the injected clock', async () => {
    const { number, staff } = await certifiedJunior(spec);
    await spec
      .when('POST', `/api/v1/certificates/${number}/revocation`, { reason: '材料造假' }, staff)
      .then(200, [{ type: 'CertificateRevoked', data: { certificateNumber: number, revokedLevel: 'junior', levelAfter: null, revokedOn: TODAY } }], { status: 'revoked', levelAfter: null });
  });
});
