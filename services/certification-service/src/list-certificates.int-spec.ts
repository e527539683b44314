// GET /api/v1/certificates (issue 16): the certificates an evaluator issued, or a trainee holds, newest
// first, a page at a time, by occupation, level, dates and status; over HTTP on certification-service
// alone. No personal data in the items; another evaluator's list is a 403 naming the permission, another
// trainee's a 404 as for a trainee that does not exist; a bad filter a 400 naming its field.
import { evaluatorCodeFor, fixedClock } from '@skills/domain-kernel';
import { ServiceRegistry } from '@skills/service-runtime';
import { bearer, http, ServiceSpec, startServiceSpec, stream, TestUser, traineeRegisteredFact } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { CertificationModule } from './certification.module';
import { EvaluatorRegistered } from './evaluators/evaluator.aggregate';

const clock = fixedClock('2021-10-15T02:00:00.000Z');
const WELDER = '6-18-02-04';
const ELECTRICIAN = '6-31-01-03';

describe('certification: listing certificates (GET /api/v1/certificates)', () => {
  let service: ServiceSpec;
  let nextEvaluatorCode = 1700;

  const as = async (user: TestUser) => bearer(await service.issuer.token(user));
  const list = async (query: string, user: TestUser) => http(service.host.baseUrl, 'GET', `/api/v1/certificates${query}`, undefined, await as(user));
  const caughtUp = () => service.host.app.get(ServiceRegistry).get('certification')?.projections.caughtUp();

  /** A registered evaluator and its staff. */
  const evaluator = () => {
    const evaluatorId = randomUUID();
    const registered: EvaluatorRegistered = {
      type: 'EvaluatorRegistered',
      data: { evaluatorId, name: `评价机构 ${nextEvaluatorCode}`, creditCode: '91430200MA4L00001P', kind: 'social_organisation', regionCode: '430200', evaluatorCode: evaluatorCodeFor(nextEvaluatorCode++) },
    };
    return { evaluatorId, past: stream(`evaluator-${evaluatorId}`, registered), staff: { role: 'evaluator_staff', organisationId: evaluatorId } as TestUser };
  };

  const certify = async (by: ReturnType<typeof evaluator>, traineeId: string, occupationCode: string, level: string, certifiedOn: string): Promise<string> => {
    const answer = await http(
      service.host.baseUrl,
      'POST',
      '/api/v1/certifications',
      { traineeId, occupationCode, level, route: 'assessment', evaluatorId: by.evaluatorId, certifiedOn },
      await as(by.staff),
    );
    expect(answer.status).toBe(201);
    return answer.body.certificateNumber as string;
  };

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [CertificationModule], service: 'certification', replicaWaitMs: 200, clock });
  });

  afterAll(() => service?.close());

  it("lists the evaluator's own certificates newest first, page by page and by filter, a revoked one with its date and reason", async () => {
    const issuer = evaluator();
    const [first, second] = [randomUUID(), randomUUID()];
    await service.spec.given(issuer.past, traineeRegisteredFact(first), traineeRegisteredFact(second)).when('GET', '/api/v1/certificates', undefined, await as(issuer.staff)).then(200);
    const juniorFirst = await certify(issuer, first, WELDER, 'junior', '2021-03-01');
    const intermediateFirst = await certify(issuer, first, WELDER, 'intermediate', '2021-06-01');
    const juniorSecond = await certify(issuer, second, ELECTRICIAN, 'junior', '2021-05-01');
    const revoked = await http(service.host.baseUrl, 'POST', `/api/v1/certificates/${intermediateFirst}/revocation`, { reason: '材料造假', revokedOn: '2021-07-01' }, await as(issuer.staff));
    expect(revoked.status).toBe(200);
    // Another evaluator's certificate of the same trainee is not in this one's list.
    const other = evaluator();
    await service.spec.given(other.past).when('GET', '/api/v1/certificates', undefined, await as(other.staff)).then(200);
    await certify(other, first, ELECTRICIAN, 'junior', '2021-04-01');
    await caughtUp();

    const all = await list('', issuer.staff);
    expect(all.status).toBe(200);
    expect(all.body).toEqual({
      items: [
        { number: intermediateFirst, traineeId: first, occupationCode: WELDER, level: 'intermediate', route: 'assessment', evaluatorId: issuer.evaluatorId, certifiedOn: '2021-06-01', recordedAt: expect.any(String), status: 'revoked', revokedOn: '2021-07-01', revocationReason: '材料造假' },
        { number: juniorSecond, traineeId: second, occupationCode: ELECTRICIAN, level: 'junior', route: 'assessment', evaluatorId: issuer.evaluatorId, certifiedOn: '2021-05-01', recordedAt: expect.any(String), status: 'valid' },
        { number: juniorFirst, traineeId: first, occupationCode: WELDER, level: 'junior', route: 'assessment', evaluatorId: issuer.evaluatorId, certifiedOn: '2021-03-01', recordedAt: expect.any(String), status: 'valid' },
      ],
      nextCursor: null,
    });

    // Page by page: the same order, each once.
    const pageOne = await list('?limit=2', issuer.staff);
    expect(pageOne.body.items.map((item: { number: string }) => item.number)).toEqual([intermediateFirst, juniorSecond]);
    const pageTwo = await list(`?limit=2&cursor=${pageOne.body.nextCursor}`, issuer.staff);
    expect(pageTwo.body).toEqual({ items: [expect.objectContaining({ number: juniorFirst })], nextCursor: null });

    const numbers = async (query: string) => (await list(query, issuer.staff)).body.items.map((item: { number: string }) => item.number);
    expect(await numbers(`?occupationCode=${WELDER}`)).toEqual([intermediateFirst, juniorFirst]);
    expect(await numbers('?level=junior')).toEqual([juniorSecond, juniorFirst]);
    expect(await numbers('?status=valid')).toEqual([juniorSecond, juniorFirst]);
    expect(await numbers('?status=revoked')).toEqual([intermediateFirst]);
    expect(await numbers('?from=2021-04-01&to=2021-05-31')).toEqual([juniorSecond]);
    expect(await numbers(`?traineeId=${first}`)).toEqual([intermediateFirst, juniorFirst]);
    expect(await numbers(`?evaluatorId=${issuer.evaluatorId}`)).toEqual([intermediateFirst, juniorSecond, juniorFirst]);

    // The holder lists their own, from every evaluator; the platform admin any evaluator's.
    expect((await list('', { role: 'trainee', traineeId: first })).body.items.map((item: { number: string }) => item.number)).toEqual([intermediateFirst, expect.any(String), juniorFirst]);
    expect((await list(`?evaluatorId=${issuer.evaluatorId}&limit=100`, { role: 'platform_admin' })).body.items).toHaveLength(3);
  });

  it("refuses another evaluator's list (403 naming certificates:read) and another trainee's (404), and roles that list none", async () => {
    const issuer = evaluator();
    const foreign = await list(`?evaluatorId=${issuer.evaluatorId}`, { role: 'evaluator_staff', organisationId: randomUUID() });
    expect(foreign).toMatchObject({ status: 403, body: { permission: 'certificates:read' } });
    const anotherTrainee = await list(`?traineeId=${randomUUID()}`, { role: 'trainee', traineeId: randomUUID() });
    expect(anotherTrainee).toMatchObject({ status: 404, body: { entity: 'trainee' } });
    for (const role of ['school_staff', 'employer_staff', 'bureau_officer'] as const) {
      expect(await list('', { role, organisationId: randomUUID() })).toMatchObject({ status: 403, body: { permission: 'certificates:read' } });
    }
  });

  it.each([
    ['level', '?level=master'],
    ['status', '?status=lost'],
    ['from', '?from=2021-02-30'],
    ['to', '?from=2021-05-01&to=2021-04-30'],
    ['evaluatorId', '?evaluatorId=not-a-uuid'],
    ['traineeId', '?traineeId=42'],
    ['occupationCode', '?occupationCode=welder'],
    ['limit', '?limit=0'],
    ['cursor', '?cursor=bm90LWEtY3Vyc29y'],
  ])('answers a bad %s with a 400 naming it', async (field, query) => {
    const answer = await list(query, { role: 'platform_admin' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });
});
