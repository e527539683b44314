// Who may read a trainee's ladder (domain.md section 9, "read a trainee's archive and ladder": the
// trainee; related organisations; platform_admin), over HTTP on certification-service alone. An
// organisation is related by the facts other services publish (registered, enrolled, hired). Any
// evaluator's staff may read the levels too, to judge the next one before certifying (issue 16).
// Anybody else gets the 404 of a trainee that does not exist (api.md).
import { PLACEMENT_TOPIC, TRAINEE_TOPIC, TraineeRegisteredV1, TRAINING_TOPIC } from '@skills/contracts';
import { evaluatorCodeFor, fixedClock } from '@skills/domain-kernel';
import { ServiceRegistry } from '@skills/service-runtime';
import { bearer, fact, http, publishFacts, ServiceSpec, startServiceSpec, stream, TestUser, traineeRegisteredFact } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { CertificationModule } from './certification.module';
import { EvaluatorRegistered } from './evaluators/evaluator.aggregate';

const clock = fixedClock('2021-10-15T02:00:00.000Z');
const WELDER = '6-18-02-04';

describe("certification: who may read a trainee's ladder (section 9)", () => {
  let service: ServiceSpec;
  let nextEvaluatorCode = 1500;

  const as = async (user: TestUser) => bearer(await service.issuer.token(user));
  const ladder = async (traineeId: string, user: TestUser) => http(service.host.baseUrl, 'GET', `/api/v1/ladder/trainees/${traineeId}`, undefined, await as(user));
  const status = async (traineeId: string, user: TestUser) => (await ladder(traineeId, user)).status;
  const caughtUp = () => service.host.app.get(ServiceRegistry).get('certification')?.projections.caughtUp();
  const staff = (role: TestUser['role'], organisationId = randomUUID()): TestUser => ({ role, organisationId });

  /** A registered evaluator, as its own stream records it. */
  const evaluator = () => {
    const evaluatorId = randomUUID();
    const registered: EvaluatorRegistered = {
      type: 'EvaluatorRegistered',
      data: { evaluatorId, name: `评价机构 ${nextEvaluatorCode}`, creditCode: '91430200MA4L00001P', kind: 'social_organisation', regionCode: '430200', evaluatorCode: evaluatorCodeFor(nextEvaluatorCode++) },
    };
    return { evaluatorId, past: stream(`evaluator-${evaluatorId}`, registered) };
  };

  /** A trainee certified junior welder over HTTP by a fresh evaluator's staff. */
  const certifiedTrainee = async () => {
    const traineeId = randomUUID();
    const certifying = evaluator();
    await service.spec
      .given(certifying.past, traineeRegisteredFact(traineeId))
      .when('POST', '/api/v1/certifications', { traineeId, occupationCode: WELDER, level: 'junior', route: 'assessment', evaluatorId: certifying.evaluatorId, certifiedOn: '2021-06-01' }, await as(staff('evaluator_staff', certifying.evaluatorId)))
      .then(201, [{ type: 'LevelCertified' }]);
    await caughtUp();
    return { traineeId, evaluatorId: certifying.evaluatorId };
  };

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [CertificationModule], service: 'certification', replicaWaitMs: 200, clock });
  });

  afterAll(() => service?.close());

  it('lets the certifying evaluator, the trainee and platform_admin read it, each certificate with its verification URL, and answers strangers 404 as for an unknown trainee', async () => {
    const { traineeId, evaluatorId } = await certifiedTrainee();
    const read = await ladder(traineeId, staff('evaluator_staff', evaluatorId));
    expect(read).toMatchObject({ status: 200, body: [{ occupationCode: WELDER, level: 'junior', certificateNumber: expect.any(String), history: [{ level: 'junior' }] }] });
    // Each certificate of the history with the URL anyone verifies it at (its holder's page makes a QR code of it).
    const [{ certificateNumber }] = read.body;
    expect(read.body[0].history[0].verificationUrl).toMatch(new RegExp(`^https?://[^/]+/verify/${certificateNumber}$`));
    expect(await status(traineeId, { role: 'trainee', traineeId })).toBe(200);
    expect(await status(traineeId, { role: 'platform_admin' })).toBe(200);

    const strangers: [string, TestUser][] = [
      ['an unrelated school', staff('school_staff')],
      ['an unrelated employer', staff('employer_staff')],
      ['another trainee', { role: 'trainee', traineeId: randomUUID() }],
    ];
    for (const [who, user] of strangers) {
      const refused = await ladder(traineeId, user);
      expect({ who, status: refused.status, body: refused.body }).toMatchObject({ who, status: 404, body: { entity: 'trainee' } });
    }
  });

  it("lets any evaluator's staff read the current levels only (no numbers, no history), which it must judge before certifying someone it is not related to; a trainee nobody registered is 404 to it", async () => {
    const { traineeId } = await certifiedTrainee();
    const another = staff('evaluator_staff');
    expect(await ladder(traineeId, another)).toMatchObject({ status: 200, body: [{ occupationCode: WELDER, level: 'junior', certificateNumber: null, history: [] }] });

    // Registered, no certificate yet: an empty ladder.
    const unrated = randomUUID();
    await publishFacts(service.host, [traineeRegisteredFact(unrated)]);
    expect(await ladder(unrated, another)).toMatchObject({ status: 200, body: [] });

    const unknown = await ladder(randomUUID(), another);
    expect(unknown).toMatchObject({ status: 404, body: { entity: 'trainee' } });
  });

  it('answers 404 to everyone, platform_admin included, for a trainee nobody registered or whose registration was voided, and [] for one registered but not certified', async () => {
    const admin: TestUser = { role: 'platform_admin' };
    const unknownId = randomUUID();
    expect(await ladder(unknownId, admin)).toMatchObject({ status: 404, body: { type: 'urn:skills:not-found', entity: 'trainee', id: unknownId } });

    const school = staff('school_staff');
    const unrated = randomUUID();
    await publishFacts(service.host, [traineeRegisteredFact(unrated, { registeredBy: school.organisationId })]);
    expect(await ladder(unrated, admin)).toMatchObject({ status: 200, body: [] });
    expect(await ladder(unrated, school)).toMatchObject({ status: 200, body: [] });

    await publishFacts(service.host, [fact(TRAINEE_TOPIC, 'TraineeRegistrationVoided', { traineeId: unrated, voidedOn: '2021-10-15' }, { key: unrated })]);
    for (const [who, user] of [['platform_admin', admin], ['the school that registered them', school], ['the trainee', { role: 'trainee', traineeId: unrated }]] as [string, TestUser][]) {
      const voided = await ladder(unrated, user);
      expect({ who, status: voided.status, body: voided.body }).toMatchObject({ who, status: 404, body: { entity: 'trainee', id: unrated } });
    }
  });

  it('relates the school that enrolled the trainee once its TraineeEnrolled arrives', async () => {
    const { traineeId } = await certifiedTrainee();
    const school = staff('school_staff');
    expect(await status(traineeId, school)).toBe(404);
    const course = { title: '焊工', providerId: school.organisationId, providerCreditCode: '91430200MA4L000000', occupationCode: WELDER, occupationEdition: '2022', kind: 'skill' };
    await publishFacts(service.host, [fact(TRAINING_TOPIC, 'TraineeEnrolled', { enrollmentId: randomUUID(), courseId: randomUUID(), traineeId, enrolledOn: '2021-03-01', course })]);
    expect(await status(traineeId, school)).toBe(200);
  });

  it('relates the employer that hired the trainee once its TraineeHired arrives', async () => {
    const { traineeId } = await certifiedTrainee();
    const employer = staff('employer_staff');
    expect(await status(traineeId, employer)).toBe(404);
    await publishFacts(service.host, [
      fact(PLACEMENT_TOPIC, 'TraineeHired', {
        employmentId: randomUUID(),
        placementId: randomUUID(),
        traineeId,
        employerId: employer.organisationId,
        employerCreditCode: '91430200MA4L00002X',
        employerIndustryCode: 'C37',
        industryCode: 'C37',
        occupationCode: WELDER,
        regionCode: '430200',
        startDate: '2021-08-01',
        monthlyWage: 8000,
      }),
    ]);
    expect(await status(traineeId, employer)).toBe(200);
  });

  it('relates the school that registered the trainee (TraineeRegistered v2 registeredBy), and nobody for a v1 message', async () => {
    const school = staff('school_staff');
    const registeredBySchool = randomUUID();
    expect(await status(registeredBySchool, school)).toBe(404);
    await publishFacts(service.host, [traineeRegisteredFact(registeredBySchool, { registeredBy: school.organisationId })]);
    expect(await status(registeredBySchool, school)).toBe(200);

    // A v1 message, from before registeredBy travelled, relates no organisation.
    const registeredBefore = randomUUID();
    const v1: TraineeRegisteredV1 = { traineeId: registeredBefore, nameMasked: '张*', regionCode: '430202', birthDate: '1990-01-01', gender: 'male', categories: [], registeredOn: '2021-01-04' };
    await publishFacts(service.host, [fact(TRAINEE_TOPIC, 'TraineeRegistered', v1, { key: registeredBefore, schemaVersion: 1 })]);
    expect(await status(registeredBefore, school)).toBe(404);
  });
});
