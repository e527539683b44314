// A dry run of a certification (`?dryRun=true`, issue 16) answers exactly what the certification would,
// and records nothing: for every rule the ladder can refuse a certification by, the dry run and then the
// real command get the same status and problem body, and the dry run left the store as it found it
// (events, outbox and audit lines, certificate numbers and serials, Idempotency-Keys, nothing published).
import { MESSAGE_PUBLISHER } from '@skills/messaging';
import { EvaluatorKind, fixedClock, SkillLevel } from '@skills/domain-kernel';
import { MessagePublisher, OutboxMessage } from '@skills/event-sourcing';
import { TraineeAges } from '@skills/service-runtime';
import { Fact, http, PastEvents, refusalRulesOf, ServiceSpec, startServiceSpec, traineeRegisteredFact } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';
import { CertificationModule } from './certification.module';
import { certifyBody, evaluator, hired, holding, staffOf } from './certification-fixtures';

const clock = fixedClock('2021-10-15T02:00:00.000Z');
const JUSTIFIED = { justification: '八年一线焊接，工艺攻关' };
const AWARDED = { reason: 'competition_award', evidence: '全国焊工大赛一等奖' };

interface Case {
  status: number;
  kind: EvaluatorKind;
  level: SkillLevel;
  route: string;
  overrides?: Record<string, unknown>;
  past?: (trainee: string) => (PastEvents | Fact)[];
}

/** Each rule of the certification command, provoked as refusal-rules.int-spec.ts does. */
const refusals: Record<string, Case> = {
  target_not_above_current_level: { status: 409, kind: 'social_organisation', level: 'junior', route: 'assessment', past: (t) => [holding(t, 'junior')] },
  assessment_above_senior_technician: { status: 409, kind: 'social_organisation', level: 'special_technician', route: 'assessment' },
  assessment_first_level_apprentice_or_junior: { status: 409, kind: 'social_organisation', level: 'intermediate', route: 'assessment' },
  assessment_one_rung_at_a_time: { status: 409, kind: 'social_organisation', level: 'senior', route: 'assessment', past: (t) => [holding(t, 'junior')] },
  direct_requires_employer_evaluator: { status: 409, kind: 'social_organisation', level: 'senior', route: 'direct', overrides: JUSTIFIED, past: (t) => [hired(t)] },
  direct_requires_current_employer: { status: 409, kind: 'employer', level: 'senior', route: 'direct', overrides: JUSTIFIED },
  direct_only_while_unrated: { status: 409, kind: 'employer', level: 'senior', route: 'direct', overrides: JUSTIFIED, past: (t) => [hired(t), holding(t, 'junior')] },
  direct_target_junior_to_senior_technician: { status: 409, kind: 'employer', level: 'special_technician', route: 'direct', overrides: JUSTIFIED, past: (t) => [hired(t)] },
  direct_requires_justification: { status: 409, kind: 'employer', level: 'senior', route: 'direct', past: (t) => [hired(t)] },
  exceptional_above_senior_technician: { status: 409, kind: 'social_organisation', level: 'special_technician', route: 'exceptional', overrides: AWARDED, past: (t) => [holding(t, 'technician')] },
  exceptional_more_than_two_rungs: { status: 409, kind: 'social_organisation', level: 'technician', route: 'exceptional', overrides: AWARDED, past: (t) => [holding(t, 'junior')] },
  exceptional_requires_reason: { status: 409, kind: 'social_organisation', level: 'senior', route: 'exceptional', overrides: { evidence: AWARDED.evidence }, past: (t) => [holding(t, 'junior')] },
  exceptional_requires_evidence: { status: 409, kind: 'social_organisation', level: 'senior', route: 'exceptional', overrides: { reason: AWARDED.reason }, past: (t) => [holding(t, 'junior')] },
  appointment_only_special_or_chief_technician: { status: 409, kind: 'employer', level: 'senior_technician', route: 'appointment', past: (t) => [hired(t), holding(t, 'technician')] },
  appointment_requires_employer_evaluator: { status: 409, kind: 'social_organisation', level: 'special_technician', route: 'appointment', past: (t) => [hired(t), holding(t, 'senior_technician')] },
  appointment_requires_current_employer: { status: 409, kind: 'employer', level: 'special_technician', route: 'appointment', past: (t) => [hired(t, '2021-06-02'), holding(t, 'senior_technician')] },
  appointment_requires_rung_below: { status: 409, kind: 'employer', level: 'chief_technician', route: 'appointment', past: (t) => [hired(t), holding(t, 'senior_technician')] },
  later_certificate_not_above: { status: 409, kind: 'social_organisation', level: 'junior', route: 'assessment', overrides: { certifiedOn: '2020-06-01' }, past: (t) => [holding(t, 'junior', '2021-03-01')] },
  later_direct_requires_unrated: { status: 409, kind: 'social_organisation', level: 'apprentice', route: 'assessment', overrides: { certifiedOn: '2020-06-01' }, past: (t) => [holding(t, 'junior', '2021-03-01', 'direct')] },
  // trainee-service's answer is given here by a local answerer (see beforeAll): this trainee was not born yet.
  certified_before_birth: { status: 409, kind: 'social_organisation', level: 'junior', route: 'assessment', overrides: { certifiedOn: '1985-06-01' } },
  date_in_future: { status: 400, kind: 'social_organisation', level: 'junior', route: 'assessment', overrides: { certifiedOn: '2021-10-16' } },
};
/** Rules of the revocation and the void, other commands (they have no dry run). */
const REVOCATION_RULES = ['certificate_already_revoked', 'revoked_before_certification', 'later_certificate_stands_on_it'];
/** Rules of imported certificates' numbers and dates, another command (an import job's, judged by its own dry run: mode judge). */
const IMPORT_RULES = ['certificate_number_does_not_match', 'certificate_of_another_evaluator', 'imported_after_certifying_here'];
const UNBORN_ON = '1985-06-01';

describe('certification: a dry run answers what the certification would, and records nothing', () => {
  let service: ServiceSpec;
  let observer: Client;
  /** Every message the host published (the relay's publisher), to see that a dry run published none. */
  const published: OutboxMessage[] = [];

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [CertificationModule], service: 'certification', replicaWaitMs: 200, clock });
    // As trainee-service would answer: everyone was born before 1985-06-01, except on that very question.
    service.host.app.get(TraineeAges, { strict: false }).register({ ageOn: async (_trainee, date) => (date === UNBORN_ON ? 'not_yet_born' : 'of_working_age') });
    const publisher = service.host.app.get<MessagePublisher>(MESSAGE_PUBLISHER, { strict: false });
    const publish = publisher.publish.bind(publisher);
    publisher.publish = async (messages, stopping) => {
      published.push(...messages);
      return publish(messages, stopping);
    };
    observer = new Client({ connectionString: service.database.url, options: '-c search_path=certification' });
    await observer.connect();
  });

  afterAll(async () => {
    await observer?.end();
    await service?.close();
  });

  /** What the store holds, and what a request with this correlation id wrote or published. */
  const store = async (correlationId: string) => {
    const one = async (sql: string, values: unknown[] = []) => (await observer.query<{ n: string }>(sql, values)).rows[0].n;
    return {
      events: await one('SELECT count(*)::text AS n FROM events'),
      head: await one('SELECT coalesce(max(global_position), 0)::text AS n FROM events'),
      eventsOfRequest: await one("SELECT count(*)::text AS n FROM events WHERE metadata->>'correlationId' = $1", [correlationId]),
      outboxOfRequest: await one("SELECT count(*)::text AS n FROM outbox WHERE envelope->>'correlationId' = $1", [correlationId]),
      auditLinesOfRequest: await one("SELECT count(*)::text AS n FROM outbox WHERE topic = 'audit' AND envelope->>'correlationId' = $1", [correlationId]),
      publishedOfRequest: published.filter((message) => message.envelope.correlationId === correlationId).length,
      certificateNumbers: await one('SELECT count(*)::text AS n FROM certificate_numbers'),
      serials: await one('SELECT coalesce(sum(last_serial), 0)::text AS n FROM certificate_serials'),
      idempotencyKeys: await one('SELECT count(*)::text AS n FROM idempotency_keys'),
    };
  };

  /** The dry run, then the real command, of the same certification; the store before and after the dry run. */
  const dryRunThenCertify = async (body: Record<string, unknown>, headers: Record<string, string>) => {
    const correlationId = randomUUID();
    const before = await store(correlationId);
    // An Idempotency-Key on a dry run is ignored: neither stored nor answered to the real command later.
    const key = randomUUID();
    const dry = await http(service.host.baseUrl, 'POST', '/api/v1/certifications?dryRun=true', body, { ...headers, 'x-correlation-id': correlationId, 'idempotency-key': key });
    const after = await store(correlationId);
    const real = await http(service.host.baseUrl, 'POST', '/api/v1/certifications', body, { ...headers, 'idempotency-key': key });
    return { dry, real, before, after };
  };

  const nothingWritten = (before: Awaited<ReturnType<typeof store>>, after: Awaited<ReturnType<typeof store>>) => {
    expect(after).toEqual(before);
    expect(after).toMatchObject({ eventsOfRequest: '0', outboxOfRequest: '0', auditLinesOfRequest: '0', publishedOfRequest: 0 });
  };

  it('has a case for every rule the certification command can be refused by', () => {
    expect([...Object.keys(refusals), ...REVOCATION_RULES, ...IMPORT_RULES].sort()).toEqual(refusalRulesOf(path.join(__dirname)));
  });

  it.each(Object.keys(refusals))('answers %s as the certification does, and records nothing', async (rule) => {
    const { status, kind, level, route, overrides, past } = refusals[rule];
    const trainee = randomUUID();
    const { evaluatorId, past: evaluatorPast } = evaluator(kind);
    const body = certifyBody(trainee, evaluatorId, level, route, overrides);
    const staff = await staffOf(evaluatorId);
    // The past is arranged with a first request that changes nothing.
    await service.spec.given(evaluatorPast, traineeRegisteredFact(trainee), ...(past?.(trainee) ?? [])).when('GET', '/health/live').then(200, []);
    const { dry, real, before, after } = await dryRunThenCertify(body, staff);
    expect(dry.status).toBe(status);
    expect(dry.body).toMatchObject({ rule });
    expect({ status: dry.status, body: dry.body }).toEqual({ status: real.status, body: real.body });
    expect(dry.headers.get('content-type')).toBe(real.headers.get('content-type'));
    nothingWritten(before, after);
  });

  it('answers 200 with the certificate it would issue, number included, and the certification then issues that one', async () => {
    const trainee = randomUUID();
    const { evaluatorId, past } = evaluator('social_organisation');
    const staff = await staffOf(evaluatorId);
    await service.spec.given(past, traineeRegisteredFact(trainee), holding(trainee, 'junior')).when('GET', '/health/live').then(200, []);
    const body = certifyBody(trainee, evaluatorId, 'intermediate', 'assessment');
    const { dry, real, before, after } = await dryRunThenCertify(body, staff);
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({ dryRun: true, certificateNumber: expect.any(String), level: 'intermediate', previousLevel: 'junior' });
    expect(dry.headers.get('publication')).toBeNull();
    nothingWritten(before, after);
    // The serial was not used up: the certification gets the very number the dry run showed.
    expect(real.status).toBe(201);
    expect(real.body).toEqual({ certificateNumber: dry.body.certificateNumber, level: 'intermediate', previousLevel: 'junior' });
  });

  it('answers the 403 and 404 of the certification', async () => {
    const trainee = randomUUID();
    const { evaluatorId, past } = evaluator('social_organisation');
    await service.spec.given(past, traineeRegisteredFact(trainee)).when('GET', '/health/live').then(200, []);
    const foreign = await dryRunThenCertify(certifyBody(trainee, evaluatorId, 'junior', 'assessment'), await staffOf(randomUUID()));
    expect(foreign.dry.status).toBe(403);
    expect({ status: foreign.dry.status, body: foreign.dry.body }).toEqual({ status: foreign.real.status, body: foreign.real.body });
    nothingWritten(foreign.before, foreign.after);
    const unknownEvaluator = randomUUID();
    const unknown = await dryRunThenCertify(certifyBody(trainee, unknownEvaluator, 'junior', 'assessment'), await staffOf(unknownEvaluator));
    expect(unknown.dry.status).toBe(404);
    expect({ status: unknown.dry.status, body: unknown.dry.body }).toEqual({ status: unknown.real.status, body: unknown.real.body });
  });

  it('refuses a dryRun that is neither true nor false, naming it; dryRun=false is the command itself', async () => {
    const trainee = randomUUID();
    const { evaluatorId, past } = evaluator('social_organisation');
    const staff = await staffOf(evaluatorId);
    await service.spec.given(past, traineeRegisteredFact(trainee)).when('GET', '/health/live').then(200, []);
    const body = certifyBody(trainee, evaluatorId, 'junior', 'assessment');
    const maybe = await http(service.host.baseUrl, 'POST', '/api/v1/certifications?dryRun=maybe', body, staff);
    expect(maybe).toMatchObject({ status: 400, body: { errors: [{ field: 'dryRun', rule: 'isIn' }] } });
    const twice = await http(service.host.baseUrl, 'POST', '/api/v1/certifications?dryRun=true&dryRun=true', body, staff);
    expect(twice).toMatchObject({ status: 400, body: { errors: [{ field: 'dryRun', rule: 'isIn' }] } });
    // A command without a dry run refuses one rather than doing it for real.
    const revocation = await http(service.host.baseUrl, 'POST', '/api/v1/certificates/S000143430200215000001/revocation?dryRun=true', { reason: '材料造假' }, staff);
    expect(revocation).toMatchObject({ status: 400, body: { errors: [{ field: 'dryRun', rule: 'dry_run_unsupported' }] } });
    const real = await http(service.host.baseUrl, 'POST', '/api/v1/certifications?dryRun=false', body, staff);
    expect(real).toMatchObject({ status: 201, body: { level: 'junior', previousLevel: null } });
    expect(real.body.dryRun).toBeUndefined();
  });
});
