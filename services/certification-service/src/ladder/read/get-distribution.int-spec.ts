// The ladder's distribution (domain.md section 6: per occupation and region, how many people stand on
// each rung), over HTTP on certification-service alone: certificates given as the ladders' own events,
// each from an evaluator of its region. A person counts once, at their current level, in the region of
// the certificate that gives it, whichever regions their lower certificates came from.
import { fixedClock, SkillLevel } from '@skills/domain-kernel';
import { bearer, http, ServiceSpec, startServiceSpec, stream } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { CertificationModule } from '../../certification.module';
import { CREDIT_CODE, WELDER } from '../../certification-fixtures';
import { CertificateRevoked, ladderStreamId, LevelCertified } from '../ladder.aggregate';

const clock = fixedClock('2021-10-15T02:00:00.000Z');

describe('certification: the ladder distribution by region (section 6)', () => {
  let service: ServiceSpec;
  let admin: Record<string, string>;
  let nextSerial = 1;

  /** A certificate of `level` (a welder's unless told) issued on `certifiedOn` by an evaluator of `regionCode`. */
  const certified = (traineeId: string, level: SkillLevel, regionCode: string, certifiedOn: string, occupationCode = WELDER): LevelCertified => ({
    type: 'LevelCertified',
    data: {
      certificateNumber: `S000143430200${certifiedOn.slice(2, 4)}0${String(nextSerial++).padStart(6, '0')}`,
      traineeId,
      occupationCode,
      regionCode,
      level,
      previousLevel: null,
      route: 'assessment',
      evaluatorId: randomUUID(),
      evaluatorName: `评价机构 ${regionCode}`,
      evaluatorKind: 'social_organisation',
      evaluatorCreditCode: CREDIT_CODE,
      evaluatorRegionCode: regionCode,
      certifiedOn,
    },
  });
  const revoked = (certificate: LevelCertified, levelAfter: SkillLevel | null): CertificateRevoked => ({
    type: 'CertificateRevoked',
    data: { certificateNumber: certificate.data.certificateNumber, traineeId: certificate.data.traineeId, occupationCode: WELDER, revokedLevel: certificate.data.level, levelAfter, reason: '材料造假', revokedOn: '2021-09-01' },
  });
  /** The counts in `regionCode` (the whole country without one), the ladders' projection caught up. */
  const distribution = async (regionCode?: string) => {
    const region = regionCode ? `&regionCode=${regionCode}` : '';
    const answer = await http(service.host.baseUrl, 'GET', `/api/v1/ladder/distribution?occupationCode=${WELDER}${region}&consistent=true`, undefined, admin);
    expect(answer.status).toBe(200);
    const { levels, highSkill, total } = answer.body;
    return { levels: Object.fromEntries(Object.entries(levels as Record<string, number>).filter(([, people]) => people > 0)), highSkill, total };
  };

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [CertificationModule], service: 'certification', replicaWaitMs: 200, clock });
    admin = bearer(await service.issuer.token({ role: 'platform_admin' }));
  });

  afterAll(() => service?.close());

  it("counts each person at their current level in that certificate's region, not at a lower rung a region's evaluators gave them", async () => {
    // Junior from a Zhuzhou evaluator (430202), then intermediate from a Changsha one (430100).
    const movedOn = randomUUID();
    // Junior in Zhuzhou only.
    const stayed = randomUUID();
    // Junior in Zhuzhou, senior in Changsha revoked: back at junior, which Zhuzhou gave.
    const fellBack = randomUUID();
    const fellBackSenior = certified(fellBack, 'senior', '430100', '2021-03-01');
    await service.spec
      .given(
        stream(ladderStreamId(movedOn, WELDER), certified(movedOn, 'junior', '430202', '2019-05-20'), certified(movedOn, 'intermediate', '430100', '2021-06-01')),
        stream(ladderStreamId(stayed, WELDER), certified(stayed, 'junior', '430203', '2020-05-20')),
        stream(ladderStreamId(fellBack, WELDER), certified(fellBack, 'junior', '430202', '2019-05-20'), fellBackSenior, revoked(fellBackSenior, 'junior')),
      )
      .when('GET', `/api/v1/ladder/distribution?consistent=true`, undefined, admin)
      .then(200);

    expect(await distribution('430200')).toEqual({ levels: { junior: 2 }, highSkill: 0, total: 2 });
    expect(await distribution('430202')).toEqual({ levels: { junior: 1 }, highSkill: 0, total: 1 });
    expect(await distribution('430100')).toEqual({ levels: { intermediate: 1 }, highSkill: 0, total: 1 });
    // The province holds both cities: each person once.
    expect(await distribution('430000')).toEqual({ levels: { junior: 2, intermediate: 1 }, highSkill: 0, total: 3 });
    expect(await distribution()).toEqual(await distribution('430000'));
  });

  it('counts each person once across occupations: in highSkill and total, and at each level they hold', async () => {
    const WELDING_CUTTER = '6-18-02-01';
    const ELECTRICIAN = '6-31-01-03';
    // Senior in two occupations: one high-skill person, once at senior.
    const seniorTwice = randomUUID();
    // Technician welder and junior electrician: one person, at both levels.
    const twoLevels = randomUUID();
    await service.spec
      .given(
        stream(ladderStreamId(seniorTwice, WELDER), certified(seniorTwice, 'senior', '430405', '2021-03-01')),
        stream(ladderStreamId(seniorTwice, WELDING_CUTTER), certified(seniorTwice, 'senior', '430405', '2021-04-01', WELDING_CUTTER)),
        stream(ladderStreamId(twoLevels, WELDER), certified(twoLevels, 'technician', '430405', '2021-03-01')),
        stream(ladderStreamId(twoLevels, ELECTRICIAN), certified(twoLevels, 'junior', '430405', '2021-05-01', ELECTRICIAN)),
      )
      .when('GET', `/api/v1/ladder/distribution?consistent=true`, undefined, admin)
      .then(200);

    const everyOccupation = await http(service.host.baseUrl, 'GET', '/api/v1/ladder/distribution?regionCode=430400&consistent=true', undefined, admin);
    expect(everyOccupation.status).toBe(200);
    expect(everyOccupation.body).toMatchObject({ levels: { junior: 1, senior: 1, technician: 1, intermediate: 0 }, highSkill: 2, total: 2 });
    // In one occupation nothing changes: one current level a person.
    expect(await distribution('430400')).toEqual({ levels: { senior: 1, technician: 1 }, highSkill: 2, total: 2 });
  });
});
