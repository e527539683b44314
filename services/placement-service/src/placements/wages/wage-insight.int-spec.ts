// The wage and level insight of the placements board, and the employer's list of its employments, from
// hires recorded in placement-service's log and certificates as certification's facts. Over HTTP on
// placement-service alone.
import { CERTIFICATION_TOPIC, LevelCertifiedV1 } from '@skills/contracts';
import { SkillLevel } from '@skills/domain-kernel';
import { bearer, fact, http, ServiceSpec, startServiceSpec, testIssuer, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { placementStream, postedPlacement } from '../../placement-fixtures';
import { PlacementModule } from '../../placement.module';
import { PlacementPosted } from '../placement.aggregate';

const WELDER = '6-18-02-04';
const COOK = '4-03-02-01';

const certified = (traineeId: string, level: SkillLevel, certifiedOn: string, occupationCode = WELDER) => {
  const payload: LevelCertifiedV1 = {
    certificateNumber: `Z${randomUUID()}`,
    traineeId,
    occupationCode,
    level,
    previousLevel: null,
    route: 'assessment',
    evaluatorId: randomUUID(),
    evaluatorName: '协会',
    evaluatorCreditCode: '51430200MJJ000001X',
    certifiedOn,
  };
  return fact(CERTIFICATION_TOPIC, 'LevelCertified', payload, { key: `${traineeId}:${occupationCode}` });
};

interface Hire {
  traineeId: string;
  startDate: string;
  monthlyWage: number;
  endDate?: string;
}

/** A placement's stream with its hires (and the ends of those that ended), as the log would hold them. */
const withHires = (placement: PlacementPosted, hires: Hire[]) => {
  const { placementId } = placement.data;
  const hired = hires.map((hire) => ({ ...hire, employmentId: randomUUID() }));
  return {
    stream: placementStream(
      placement,
      ...hired.map(({ employmentId, traineeId, startDate, monthlyWage }) => ({ type: 'TraineeHired', data: { employmentId, placementId, traineeId, startDate, monthlyWage } })),
      ...hired
        .filter((hire) => hire.endDate)
        .map(({ employmentId, traineeId, startDate, endDate }) => ({ type: 'EmploymentEnded', data: { employmentId, placementId, traineeId, startDate, endDate, reason: '合同期满' } })),
    ),
    employmentIds: hired.map((hire) => hire.employmentId),
  };
};

const hires = (wages: number[], startDate = '2021-06-01') => wages.map((monthlyWage) => ({ traineeId: randomUUID(), startDate, monthlyWage }));

describe('wages hired at each skill level, and an employer’s employments', () => {
  let service: ServiceSpec;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [PlacementModule], service: 'placement', replicaWaitMs: 200 });
  });

  afterAll(async () => {
    await service?.close();
  });

  const get = (path: string, headers?: Record<string, string>) => http(service.host.baseUrl, 'GET', path, undefined, headers);
  const staffOf = async (employerId: string) => bearer(await (await testIssuer()).token({ role: 'employer_staff', organisationId: employerId }));

  describe('GET /api/v1/placements/wages', () => {
    // Chenzhou (431000): placements in its districts count; Zhuzhou's and another occupation's do not.
    const employerId = randomUUID();
    const inDistrict = postedPlacement({ employerId, regionCode: '431002', openings: 20 });
    const inCity = postedPlacement({ employerId, regionCode: '431000', openings: 20 });
    const elsewhere = postedPlacement({ employerId, regionCode: '430200', openings: 20 });
    const cooks = postedPlacement({ employerId, regionCode: '431002', occupationCode: COOK, openings: 20 });

    // Junior on the start date: six hires, wages 6000..9000, one of them ended since (it still counts).
    const juniors: Hire[] = [...hires([6000, 6200, 6500]), ...hires([7000, 7600, 9000])];
    juniors[5].endDate = '2021-09-01';
    // Four intermediates: too few to show.
    const intermediates = hires([8000, 8200, 8400, 8600]);
    // No certificate in the occupation on the start date: five hires, one certified only after its start.
    const uncertified = hires([4000, 4500, 5000, 5500, 6000]);
    const notCounted = [...hires([20000, 20000, 20000, 20000, 20000])];

    const answer = (path: string) => get(path).then(({ status, body }) => ({ status, body }));

    beforeAll(async () => {
      const facts = [
        // Certified before the start (one with a certificate dated before it that reached the service later).
        ...juniors.slice(0, 5).map((hire) => certified(hire.traineeId, 'junior', '2021-01-01')),
        certified(juniors[5].traineeId, 'junior', '2021-05-31'),
        // A junior certified senior after the start date still counts as junior.
        certified(juniors[0].traineeId, 'senior', '2021-07-01'),
        ...intermediates.map((hire) => certified(hire.traineeId, 'intermediate', '2020-03-01')),
        // Certified after the start: `none` on the start date.
        certified(uncertified[0].traineeId, 'senior', '2021-06-02'),
        // A certificate in another occupation is no level in this one.
        certified(uncertified[1].traineeId, 'chief_technician', '2019-01-01', COOK),
      ];
      await service.spec
        .given(
          withHires(inDistrict, [...juniors.slice(0, 3), ...intermediates, ...uncertified.slice(0, 2)]).stream,
          withHires(inCity, [...juniors.slice(3), ...uncertified.slice(2)]).stream,
          withHires(elsewhere, notCounted.slice(0, 3)).stream,
          withHires(cooks, notCounted.slice(3)).stream,
          ...facts,
        )
        .when('GET', '/health/live')
        .then(200);
    });

    it('answers the median and quartiles per level held on the start date, and hides a level of fewer than 5 hires', async () => {
      const expected = {
        occupationCode: WELDER,
        regionCode: '431000',
        minimumHires: 5,
        levels: [
          // 4000, 4500, 5000, 5500, 6000: positions 1, 2, 3 exactly.
          { level: 'none', shown: true, hires: 5, median: 5000, lowerQuartile: 4500, upperQuartile: 5500 },
          { level: 'apprentice', shown: false },
          // 6000, 6200, 6500, 7000, 7600, 9000: positions 1.25, 2.5, 3.75 between neighbours (type 7).
          { level: 'junior', shown: true, hires: 6, median: 6750, lowerQuartile: 6275, upperQuartile: 7450 },
          { level: 'intermediate', shown: false },
          { level: 'senior', shown: false },
          { level: 'technician', shown: false },
          { level: 'senior_technician', shown: false },
          { level: 'special_technician', shown: false },
          { level: 'chief_technician', shown: false },
        ],
      };
      const found = await waitFor(async () => {
        const { status, body } = await answer(`/api/v1/placements/wages?occupationCode=${WELDER}&regionCode=431000`);
        return status === 200 && body.levels[2].hires === 6 && body.levels[0].hires === 5 ? body : undefined;
      }, { description: 'the hires in the insight' });
      expect(found).toEqual(expected);
    });

    it('counts a district alone when asked for it', async () => {
      const { body } = await answer(`/api/v1/placements/wages?occupationCode=${WELDER}&regionCode=431002`);
      // The district holds 3 juniors, 4 intermediates and 2 uncertified: nothing reaches 5.
      expect(body.levels.every((cell: { shown: boolean }) => !cell.shown)).toBe(true);
      expect(body.levels[3]).toEqual({ level: 'intermediate', shown: false });
    });

    it('refuses a missing or malformed code, naming the field', async () => {
      expect(await answer(`/api/v1/placements/wages?occupationCode=${WELDER}`)).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field: 'regionCode' })] } });
      expect(await answer('/api/v1/placements/wages?occupationCode=welder&regionCode=431000')).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field: 'occupationCode' })] } });
      expect(await answer(`/api/v1/placements/wages?occupationCode=${WELDER}&regionCode=43`)).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field: 'regionCode' })] } });
    });
  });

  describe('GET /api/v1/employments', () => {
    const employerId = randomUUID();
    const placement = postedPlacement({ employerId, openings: 5 });
    const team: Hire[] = hires([7000, 7100, 7200], '2021-07-01');
    team[0].endDate = '2021-09-30';
    const made = withHires(placement, team);

    beforeAll(async () => {
      await service.spec.given(made.stream, placementStream(postedPlacement())).when('GET', '/health/live').then(200);
    });

    it("lists the employer's employments to its staff, newest first, by status, a page at a time", async () => {
      const staff = await staffOf(employerId);
      const all = await waitFor(async () => {
        const { body } = await get('/api/v1/employments', staff);
        return body.items?.length === 3 ? body : undefined;
      }, { description: 'the employments listed' });
      expect(all.items.map((item: { id: string }) => item.id)).toEqual([...made.employmentIds].reverse());
      expect(all.items[2]).toEqual({
        id: made.employmentIds[0],
        placementId: placement.data.placementId,
        traineeId: team[0].traineeId,
        employerId,
        startDate: '2021-07-01',
        monthlyWage: 7000,
        status: 'ended',
        endDate: '2021-09-30',
        endReason: '合同期满',
      });
      expect((await get(`/api/v1/employments?employerId=${employerId}&status=active`, staff)).body.items.map((item: { id: string }) => item.id)).toEqual([made.employmentIds[2], made.employmentIds[1]]);
      expect((await get('/api/v1/employments?status=ended', staff)).body.items.map((item: { id: string }) => item.id)).toEqual([made.employmentIds[0]]);

      const first = await get('/api/v1/employments?limit=2', staff);
      expect(first.body.items).toHaveLength(2);
      const second = await get(`/api/v1/employments?limit=2&cursor=${first.body.nextCursor}`, staff);
      expect(second.body).toEqual({ items: [expect.objectContaining({ id: made.employmentIds[0] })], nextCursor: null });
    });

    it("refuses another employer's staff and a platform admin (domain.md section 9: its employments, its staff), and a bad cursor", async () => {
      expect((await get(`/api/v1/employments?employerId=${employerId}`, await staffOf(randomUUID()))).status).toBe(403);
      const admin = bearer(await (await testIssuer()).token({ role: 'platform_admin' }));
      expect(await get(`/api/v1/employments?employerId=${employerId}`, admin)).toMatchObject({ status: 403, body: { permission: 'employments:read' } });
      expect(await get('/api/v1/employments', admin)).toMatchObject({ status: 403, body: { permission: 'employments:read' } });
      expect(await get('/api/v1/employments?cursor=nonsense', await staffOf(employerId))).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field: 'cursor' })] } });
      expect((await get('/api/v1/employments', await (async () => bearer(await (await testIssuer()).token({ role: 'school_staff', organisationId: randomUUID() })))())).status).toBe(403);
    });
  });

  it('filters the board by employer', async () => {
    const employerId = randomUUID();
    const mine = postedPlacement({ employerId });
    await service.spec.given(placementStream(mine), placementStream(postedPlacement())).when('GET', '/health/live').then(200);
    const items = await waitFor(async () => {
      const { body } = await get(`/api/v1/placements?employerId=${employerId}`);
      return body.items?.length ? body.items : undefined;
    }, { description: 'the placement on the board' });
    expect(items).toEqual([expect.objectContaining({ id: mine.data.placementId, employerId, openings: 2, openingsLeft: 2, status: 'open', wageMin: 7000, wageMax: 9000 })]);
    expect((await get('/api/v1/placements?employerId=nope')).status).toBe(400);
  });
});
