// Public verification of a certificate over HTTP on certification-service alone (real Postgres): by
// number, and by number and holder's name as the national lookup asks (api.md), where another name is
// answered exactly as an unknown number; the verification URL under PUBLIC_ORIGIN; and the tighter
// per-address limit of VERIFY_RATE_LIMIT_PER_MINUTE. Names are trainee-service's: here its answer (the
// TraineeNames question) comes from a stand-in holding the names the trainee facts were registered with.
import { evaluatorCodeFor, fixedClock } from '@skills/domain-kernel';
import { TraineeNames } from '@skills/service-runtime';
import { ApiSpec, bearer, http, ServiceSpec, startServiceSpec, stream, testIssuer, traineeRegisteredFact } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { CertificationModule } from '../../certification.module';
import { EvaluatorRegistered } from '../../evaluators/evaluator.aggregate';

const clock = fixedClock('2021-10-15T02:00:00.000Z');
const ORIGIN = 'https://zhengshu.example.cn';
/** A number of the right shape that no evaluator here issued (the last serial of a year). */
const UNKNOWN_NUMBER = 'S000143430200215999999';

/** The holders' names as trainee-service holds them, asked through TraineeNames. */
const registeredNames = new Map<string, string>();
const standInRegistry = (service: ServiceSpec) => service.host.app.get(TraineeNames).register({ matches: async (traineeId, name) => registeredNames.get(traineeId) === name });

const verify = (service: ServiceSpec, number: string, holderName?: string) =>
  http(service.host.baseUrl, 'GET', `/api/v1/certificates/${number}${holderName === undefined ? '' : `?holderName=${encodeURIComponent(holderName)}`}`);

describe('certification: public verification by number and holder name', () => {
  let service: ServiceSpec;
  let spec: ApiSpec;
  let number: string;
  let holder: string;

  beforeAll(async () => {
    // The test issuer names the same origin as the host's issuer, so its tokens stay valid there.
    process.env.PUBLIC_ORIGIN = ORIGIN;
    service = await startServiceSpec({ modules: [CertificationModule], service: 'certification', replicaWaitMs: 200, clock, settings: { PUBLIC_ORIGIN: ORIGIN } });
    spec = service.spec;
    standInRegistry(service);

    holder = randomUUID();
    registeredNames.set(holder, '王建国');
    const evaluatorId = randomUUID();
    const registered: EvaluatorRegistered = {
      type: 'EvaluatorRegistered',
      data: { evaluatorId, name: '株洲市焊接协会', creditCode: '91430200MA4L00001P', kind: 'social_organisation', regionCode: '430200', evaluatorCode: evaluatorCodeFor(1400) },
    };
    const staff = bearer(await (await testIssuer()).token({ role: 'evaluator_staff', organisationId: evaluatorId }));
    const certified = await spec
      .given(stream(`evaluator-${evaluatorId}`, registered), traineeRegisteredFact(holder, { nameMasked: '王**' }))
      .when('POST', '/api/v1/certifications', { traineeId: holder, occupationCode: '6-18-02-04', level: 'junior', route: 'assessment', evaluatorId, certifiedOn: '2021-06-01' }, staff)
      .then(201, [{ type: 'LevelCertified' }]);
    number = certified.body.certificateNumber;
  });

  afterAll(async () => {
    delete process.env.PUBLIC_ORIGIN;
    await service?.close();
  });

  it('answers by number alone as before, with the verification URL under PUBLIC_ORIGIN', async () => {
    expect(await verify(service, number)).toMatchObject({
      status: 200,
      body: { number, holderName: '王**', occupationCode: '6-18-02-04', level: 'junior', route: 'assessment', evaluator: '株洲市焊接协会', certifiedOn: '2021-06-01', status: 'valid', verificationUrl: `${ORIGIN}/verify/${number}` },
    });
  });

  it("answers the holder's own name (spaces around it trimmed) as the number alone, never the full name", async () => {
    const byNumber = await verify(service, number);
    const byName = await verify(service, number, '王建国');
    expect(byName).toMatchObject({ status: 200, body: byNumber.body });
    expect(JSON.stringify(byName.body)).not.toContain('王建国');
    expect(await verify(service, number.toLowerCase(), '  王建国 ')).toMatchObject({ status: 200, body: { number, verificationUrl: `${ORIGIN}/verify/${number}` } });
  });

  it('answers another name 404, in the very words of an unknown number', async () => {
    const wrongName = await verify(service, number, '王建军');
    const unknownNumber = await verify(service, UNKNOWN_NUMBER, '王建国');
    expect(wrongName.status).toBe(404);
    expect(unknownNumber.status).toBe(404);
    // The same problem, but for the number each asked about.
    expect(JSON.stringify(wrongName.body).replaceAll(number, '{number}')).toBe(JSON.stringify(unknownNumber.body).replaceAll(UNKNOWN_NUMBER, '{number}'));
    expect(wrongName.headers.get('content-type')).toBe(unknownNumber.headers.get('content-type'));
    expect(await verify(service, UNKNOWN_NUMBER)).toMatchObject({ status: 404, body: unknownNumber.body });
  });

  it('takes a blank name as no name, and refuses a name too long or given twice, naming the field', async () => {
    expect(await verify(service, number, '  ')).toMatchObject({ status: 200, body: { number } });
    expect(await verify(service, number, '王'.repeat(101))).toMatchObject({ status: 400, body: { errors: [{ field: 'holderName', rule: 'maxLength' }] } });
    expect(await http(service.host.baseUrl, 'GET', `/api/v1/certificates/${number}?holderName=a&holderName=b`)).toMatchObject({
      status: 400,
      body: { errors: expect.arrayContaining([expect.objectContaining({ field: 'holderName', rule: 'isString' })]) },
    });
  });

  it('documents the holderName query, the verification URL and the tighter 429', async () => {
    const document = (await http(service.host.baseUrl, 'GET', '/api/docs-json')).body;
    const operation = document.paths['/api/v1/certificates/{number}'].get;
    expect(operation.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'holderName', in: 'query', required: false })]));
    expect(operation.responses['429'].description).toContain('VERIFY_RATE_LIMIT_PER_MINUTE');
    expect(operation.responses['429'].headers).toHaveProperty('Retry-After');
    expect(document.components.schemas.CertificateVerification.required).toContain('verificationUrl');
  });
});

describe('certification: the public verification has its own, tighter limit per client address', () => {
  const LIMIT = 3;
  let service: ServiceSpec;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [CertificationModule], service: 'certification', clock, settings: { VERIFY_RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
    standInRegistry(service);
  });

  afterAll(() => service?.close());

  it(`answers 429 with Retry-After after ${LIMIT} verifications in a minute, whatever they found; other routes go on`, async () => {
    const answers = [];
    for (let attempt = 0; attempt < LIMIT; attempt++) answers.push((await verify(service, UNKNOWN_NUMBER, '王建国')).status);
    expect(answers).toEqual([404, 404, 404]);

    const limited = await verify(service, UNKNOWN_NUMBER);
    expect(limited).toMatchObject({ status: 429, body: { status: 429, rule: 'rate_limited', limit: LIMIT, retryAfter: expect.any(Number) } });
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // A malformed number is counted too (the limit comes before anything is read).
    expect((await http(service.host.baseUrl, 'GET', '/api/v1/certificates/not-a-number')).status).toBe(429);

    // The host-wide limit (RATE_LIMIT_PER_ADDRESS_PER_MINUTE) is far from reached: other routes answer.
    expect((await http(service.host.baseUrl, 'GET', '/health/live')).status).toBe(200);
  });
});
