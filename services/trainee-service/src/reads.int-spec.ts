// Who may read a trainee in full and their archive (domain.md section 9), over HTTP on trainee-service
// alone: the trainee, staff of a related organisation (registered, enrolled, certified or employed them)
// and platform_admin; anybody else gets the 404 of a trainee that does not exist.
import { CERTIFICATION_TOPIC, PLACEMENT_TOPIC, TRAINING_TOPIC } from '@skills/contracts';
import { Database } from '@skills/postgres';
import { bearer, fact, http, publishFacts, ServiceSpec, startServiceSpec, testIdentityNumber, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { TraineeModule } from './trainee.module';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('reading a trainee and their archive: the trainee, related organisations, platform_admin', () => {
  let service: ServiceSpec;
  const school = randomUUID();
  let registrar: Record<string, string>;
  const token = async (user: Parameters<ServiceSpec['issuer']['token']>[0]) => bearer(await service.issuer.token(user));
  const read = (path: string, headers: Record<string, string>) => http(service.host.baseUrl, 'GET', path, undefined, headers);
  const reads = async (traineeId: string, headers: Record<string, string>) => [
    (await read(`/api/v1/trainees/${traineeId}`, headers)).status,
    (await read(`/api/v1/trainees/${traineeId}/archive`, headers)).status,
  ];
  let n = 7100;
  const registerTrainee = async (headers = registrar) => {
    const answer = await http(service.host.baseUrl, 'POST', '/api/v1/trainees', { name: '赵六', idNumber: testIdentityNumber(n++), phone: '13800000000' }, headers);
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };
  const course = (providerId: string) => ({ title: '焊工', providerId, providerCreditCode: '91430200MA4L000000', occupationCode: '6-18-02-04', occupationEdition: '2022', kind: 'skill' });

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [TraineeModule], service: 'trainee' });
    registrar = await token({ role: 'school_staff', organisationId: school });
  });

  afterAll(() => service?.close());

  it('lets the registering school read in full, and answers another school 404 as for an unknown trainee', async () => {
    const traineeId = await registerTrainee();
    const shown = await read(`/api/v1/trainees/${traineeId}`, registrar);
    expect(shown).toMatchObject({ status: 200, body: { id: traineeId, name: '赵六', phone: '13800000000' } });
    expect(await reads(traineeId, registrar)).toEqual([200, 200]);
    const stranger = await token({ role: 'school_staff', organisationId: randomUUID() });
    const refused = await read(`/api/v1/trainees/${traineeId}`, stranger);
    const unknown = await read(`/api/v1/trainees/${UNKNOWN_ID}`, stranger);
    expect(refused).toMatchObject({ status: 404, body: { entity: 'trainee' } });
    expect(unknown).toMatchObject({ status: 404, body: { entity: 'trainee' } });
    expect(Object.keys(refused.body).sort()).toEqual(Object.keys(unknown.body).sort());
    expect(await reads(traineeId, stranger)).toEqual([404, 404]);
    expect(await reads(traineeId, await token({ role: 'employer_staff', organisationId: randomUUID() }))).toEqual([404, 404]);
  });

  it('lets a trainee see their own archive and gives 404 for another trainee', async () => {
    const own = await registerTrainee();
    const another = await registerTrainee();
    const self = await token({ role: 'trainee', traineeId: own });
    expect(await reads(own, self)).toEqual([200, 200]);
    expect(await reads(another, self)).toEqual([404, 404]);
  });

  it("relates the registering school with the registration itself, so its own TraineeRegistered coming back claims no inbox row (other topics' facts do)", async () => {
    const database = service.host.app.get(Database, { strict: false });
    const claims = async () => (await database.query<{ n: number }>("SELECT count(*)::int AS n FROM inbox WHERE consumer = 'trainee.trainee-relations'")).rows[0].n;
    const before = await claims();
    const traineeId = await registerTrainee();
    // The relay deletes a message once it is published, and the in-process transport publishes by delivering it.
    await waitFor(async () => (await database.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0].n === 0);
    expect(await reads(traineeId, registrar)).toEqual([200, 200]);
    expect(await claims()).toBe(before);
    await publishFacts(service.host, [
      fact(TRAINING_TOPIC, 'TraineeEnrolled', { enrollmentId: randomUUID(), courseId: randomUUID(), traineeId, enrolledOn: '2021-03-01', course: course(randomUUID()) }),
    ]);
    expect(await claims()).toBe(before + 1);
  });

  it('relates an enrolling provider once its enrolment arrives', async () => {
    const traineeId = await registerTrainee();
    const provider = randomUUID();
    const providerStaff = await token({ role: 'school_staff', organisationId: provider });
    expect(await reads(traineeId, providerStaff)).toEqual([404, 404]);
    await publishFacts(service.host, [
      fact(TRAINING_TOPIC, 'TraineeEnrolled', { enrollmentId: randomUUID(), courseId: randomUUID(), traineeId, enrolledOn: '2021-03-01', course: course(provider) }),
    ]);
    expect(await reads(traineeId, providerStaff)).toEqual([200, 200]);
  });

  it('relates a certifying evaluator once its certificate arrives', async () => {
    const traineeId = await registerTrainee();
    const evaluator = randomUUID();
    const evaluatorStaff = await token({ role: 'evaluator_staff', organisationId: evaluator });
    expect(await reads(traineeId, evaluatorStaff)).toEqual([404, 404]);
    await publishFacts(service.host, [
      fact(CERTIFICATION_TOPIC, 'LevelCertified', {
        certificateNumber: 'S000000000000001',
        traineeId,
        occupationCode: '6-18-02-04',
        level: 'junior',
        previousLevel: null,
        route: 'direct',
        evaluatorId: evaluator,
        evaluatorName: '某评价机构',
        evaluatorCreditCode: '91430200MA4L000001',
        certifiedOn: '2021-04-01',
      }),
    ]);
    expect(await reads(traineeId, evaluatorStaff)).toEqual([200, 200]);
  });

  it('relates an employer once its hire arrives', async () => {
    const traineeId = await registerTrainee();
    const employer = randomUUID();
    const employerStaff = await token({ role: 'employer_staff', organisationId: employer });
    expect(await reads(traineeId, employerStaff)).toEqual([404, 404]);
    await publishFacts(service.host, [
      fact(PLACEMENT_TOPIC, 'TraineeHired', {
        employmentId: randomUUID(),
        placementId: randomUUID(),
        traineeId,
        employerId: employer,
        employerCreditCode: '91430200MA4L000002',
        employerIndustryCode: 'C',
        industryCode: 'C',
        occupationCode: '6-18-02-04',
        regionCode: '430202',
        startDate: '2021-05-01',
        monthlyWage: 5000,
      }),
    ]);
    expect(await reads(traineeId, employerStaff)).toEqual([200, 200]);
  });

  it('lets platform_admin read every trainee, also one it registered itself (which relates no organisation)', async () => {
    const admin = await token({ role: 'platform_admin' });
    expect(await reads(await registerTrainee(), admin)).toEqual([200, 200]);
    const byAdmin = await registerTrainee(admin);
    expect(await reads(byAdmin, admin)).toEqual([200, 200]);
    expect(await reads(byAdmin, registrar)).toEqual([404, 404]);
    expect(await reads(UNKNOWN_ID, admin)).toEqual([404, 404]);
  });
});
