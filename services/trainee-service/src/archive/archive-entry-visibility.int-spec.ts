// Every related organisation reads a trainee's archive (domain.md section 9), but what an employer pays and
// why an employment ended are read only by those party to it: the trainee, platform_admin and that
// employer's staff. trainee-service alone; the enrolment, hires and end arrive as the other services'
// facts, which both relate the organisations and make the archive's entries.
import { PLACEMENT_TOPIC, TRAINING_TOPIC } from '@skills/contracts';
import { fixedClock } from '@skills/domain-kernel';
import { bearer, fact, http, publishFacts, ServiceSpec, startServiceSpec, testIdentityNumber } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { TraineeModule } from '../trainee.module';

const WELDER = '6-18-02-04';

describe('an employment’s wage and end reason in the archive: only to those party to it', () => {
  let service: ServiceSpec;
  const [registrar, school, employerA, employerB] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  let traineeId: string;
  const token = async (user: Parameters<ServiceSpec['issuer']['token']>[0]) => bearer(await service.issuer.token(user));

  /** An employment of the trainee at the employer, as both its facts carry it. */
  const employment = (employerId: string) => ({ employmentId: randomUUID(), traineeId, employerId, employerCreditCode: '91430200MA4L000002', employerIndustryCode: 'C', industryCode: 'C', occupationCode: WELDER });
  const hired = (job: ReturnType<typeof employment>, startDate: string, monthlyWage: number) =>
    fact(PLACEMENT_TOPIC, 'TraineeHired', { ...job, placementId: randomUUID(), regionCode: '430202', startDate, monthlyWage }, { key: job.employmentId });
  const ended = (job: ReturnType<typeof employment>, startDate: string, endDate: string, reason: string) =>
    fact(PLACEMENT_TOPIC, 'EmploymentEnded', { ...job, startDate, endDate, reason }, { key: job.employmentId });

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [TraineeModule], service: 'trainee', clock: fixedClock('2021-12-15T02:00:00.000Z'), token: { role: 'school_staff', organisationId: registrar } });
    traineeId = (await service.spec.when('POST', '/api/v1/trainees', { name: '张三', idNumber: testIdentityNumber(5400), phone: '13800000000' }).then(201)).body.id;
    const [atA, atB] = [employment(employerA), employment(employerB)];
    const course = { title: '焊工', providerId: school, providerCreditCode: '91430200MA4L000000', occupationCode: WELDER, occupationEdition: '2022', kind: 'skill' };
    await publishFacts(service.host, [
      fact(TRAINING_TOPIC, 'TraineeEnrolled', { enrollmentId: randomUUID(), courseId: randomUUID(), traineeId, enrolledOn: '2021-01-04', course }),
      hired(atB, '2021-03-01', 6500),
      ended(atB, '2021-03-01', '2021-06-30', '严重违反劳动纪律，解除劳动合同'),
      hired(atA, '2021-08-01', 9000),
    ]);
  });

  afterAll(() => service?.close());

  /** The archive's employment entries as `user` reads them, with what they were told of wage and end reason. */
  const employmentEntries = async (user: Parameters<ServiceSpec['issuer']['token']>[0]) => {
    const answer = await http(service.host.baseUrl, 'GET', `/api/v1/trainees/${traineeId}/archive?consistent=true`, undefined, await token(user));
    expect(answer.status).toBe(200);
    return (answer.body.entries as Record<string, unknown>[]).filter((entry) => entry['context'] === 'placement');
  };
  const told = { at: '2021-03-01', kind: 'hired', employerId: employerB, monthlyWage: 6500 };
  const toldEnd = { at: '2021-06-30', kind: 'employment_ended', employerId: employerB, reason: '严重违反劳动纪律，解除劳动合同' };
  const toldA = { at: '2021-08-01', kind: 'hired', employerId: employerA, monthlyWage: 9000 };

  it.each([
    ['the trainee', () => ({ role: 'trainee' as const, traineeId })],
    ['platform_admin', () => ({ role: 'platform_admin' as const })],
  ])('tells %s every wage and end reason', async (_who, user) => {
    const entries = await employmentEntries(user());
    expect(entries).toEqual([expect.objectContaining(told), expect.objectContaining(toldEnd), expect.objectContaining(toldA)]);
  });

  it('tells an employer the wage it pays, and not what another employer paid nor why that employment ended', async () => {
    const entries = await employmentEntries({ role: 'employer_staff', organisationId: employerA });
    expect(entries).toEqual([expect.objectContaining({ at: '2021-03-01', kind: 'hired', employerId: employerB }), expect.objectContaining({ at: '2021-06-30', kind: 'employment_ended', employerId: employerB }), expect.objectContaining(toldA)]);
    expect(entries[0]).not.toHaveProperty('monthlyWage');
    expect(entries[1]).not.toHaveProperty('reason');
    // The employer whose employment ended reads its own wage and end reason, not the one paid since.
    const formerEmployer = await employmentEntries({ role: 'employer_staff', organisationId: employerB });
    expect(formerEmployer).toEqual([expect.objectContaining(told), expect.objectContaining(toldEnd), expect.objectContaining({ at: '2021-08-01', kind: 'hired', employerId: employerA })]);
    expect(formerEmployer[2]).not.toHaveProperty('monthlyWage');
  });

  it.each([
    ['the school that enrolled them', school],
    ['the school that registered them', registrar],
  ])('tells %s of the hires and the end, without wage or reason (the fields absent)', async (_who, organisationId) => {
    const entries = await employmentEntries({ role: 'school_staff', organisationId });
    expect(entries.map(({ at, kind, employerId, occupationCode }) => ({ at, kind, employerId, occupationCode }))).toEqual([
      { at: '2021-03-01', kind: 'hired', employerId: employerB, occupationCode: WELDER },
      { at: '2021-06-30', kind: 'employment_ended', employerId: employerB, occupationCode: WELDER },
      { at: '2021-08-01', kind: 'hired', employerId: employerA, occupationCode: WELDER },
    ]);
    for (const entry of entries) {
      expect(entry).not.toHaveProperty('monthlyWage');
      expect(entry).not.toHaveProperty('reason');
    }
  });
});
