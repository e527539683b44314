// The wage and level insight of the placements board, and the employer's list of its employments, from
// hires recorded in placement-service's log and certificates as certification's facts. Over HTTP on
// placement-service alone.
import { CERTIFICATION_TOPIC, LevelCertifiedV1 } from '@skills/contracts';
import { SkillLevel } from '@skills/domain-kernel';
import { bearer, fact, http, parkDeadLetter, ServiceSpec, startServiceSpec, testIssuer, traineeRegisteredFact, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { TRAINEE_CERTIFICATES_CONSUMER } from '../../replicas/trainee-levels';
import { placementStream, postedPlacement } from '../../placement-fixtures';
import { PlacementModule } from '../../placement.module';
import { PlacementPosted } from '../placement.aggregate';

const WELDER = '6-18-02-04';
const COOK = '4-03-02-01';
const BAKER = '6-01-03-01';

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

/**
 * Each hire at a placement in `regionCode` of an employer of its own, so no employer hired more than half
 * of a cell's people (a cell is shown only then).
 */
const atEmployersOfTheirOwn = (regionCode: string, hired: Hire[], occupationCode = WELDER) =>
  hired.map((hire) => withHires(postedPlacement({ regionCode, occupationCode, openings: 1 }), [hire]).stream);

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
    // Each hire at an employer of its own, except where a test says otherwise.
    const employerId = randomUUID();
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

    // A differencing attempt: in Hengyang and in Shaoyang one district with five hires and another with one.
    const fiveHires = () => hires([4000, 4500, 5000, 5500, 6000]);
    const nested = [
      { regionCode: '430405', hired: fiveHires() },
      { regionCode: '430406', hired: hires([5200]) },
      { regionCode: '430502', hired: fiveHires() },
      { regionCode: '430503', hired: hires([5290]) },
    ];

    // One worker renewed five times at one wage in Yueyang's Yueyanglou district (and four others beside them in
    // Yunxi), as contract after contract: one person, not five hires.
    const renewed = randomUUID();
    const renewals: Hire[] = ['2021-01-01', '2021-03-01', '2021-05-01', '2021-07-01', '2021-09-01'].map((startDate, n, all) => ({
      traineeId: renewed,
      startDate,
      monthlyWage: 9140,
      ...(n < all.length - 1 ? { endDate: all[n + 1] } : {}),
    }));
    const renewedPlacement = postedPlacement({ employerId, regionCode: '430602', openings: 20 });
    const others = hires([6000, 6100, 6200, 6300]);

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
          ...atEmployersOfTheirOwn('431002', [...juniors.slice(0, 3), ...intermediates, ...uncertified.slice(0, 2)]),
          ...atEmployersOfTheirOwn('431000', [...juniors.slice(3), ...uncertified.slice(2)]),
          withHires(elsewhere, notCounted.slice(0, 3)).stream,
          withHires(cooks, notCounted.slice(3)).stream,
          // Twenty uncertified bakers in Changde: 5000, 5150, …, 7850.
          ...atEmployersOfTheirOwn('430702', hires(Array.from({ length: 20 }, (_, index) => 5000 + 150 * index)), BAKER),
          ...nested.flatMap(({ regionCode, hired }) => atEmployersOfTheirOwn(regionCode, hired)),
          withHires(renewedPlacement, renewals).stream,
          ...atEmployersOfTheirOwn('430603', others),
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
        quartileMinimumHires: 20,
        maximumShareOfOneEmployer: 0.5,
        levels: [
          // 4000, 4500, 5000, 5500, 6000: the median is the 3rd wage; the quartiles (the 2nd and 4th) are not given under 20 hires.
          { level: 'none', shown: true, hires: 5, median: 5000, lowerQuartile: null, upperQuartile: null },
          { level: 'apprentice', shown: false },
          // 6000, 6200, 6500, 7000, 7600, 9000: the median 6750, to the nearest 100.
          { level: 'junior', shown: true, hires: 6, median: 6800, lowerQuartile: null, upperQuartile: null },
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

    it('rounds every figure to the nearest 100 yuan and gives the quartiles from 20 hires', async () => {
      const found = await waitFor(async () => {
        const { status, body } = await answer(`/api/v1/placements/wages?occupationCode=${BAKER}&regionCode=430700`);
        return status === 200 && body.levels[0].hires === 20 ? body : undefined;
      }, { description: 'the 20 hires in the insight' });
      // 5000, 5150, …, 7850: percentile_cont at positions 4.75, 9.5, 14.25 gives 5712.5, 6425, 7137.5.
      expect(found.levels[0]).toEqual({ level: 'none', shown: true, hires: 20, median: 6400, lowerQuartile: 5700, upperQuartile: 7100 });
    });

    it("does not give a hire's wage by difference between a district and its city (the district's 5 hires and one more elsewhere in the city)", async () => {
      const noneCell = async (regionCode: string, hiresExpected: number) =>
        waitFor(async () => {
          const { status, body } = await answer(`/api/v1/placements/wages?occupationCode=${WELDER}&regionCode=${regionCode}`);
          return status === 200 && body.levels[0].hires === hiresExpected ? body.levels[0] : undefined;
        }, { description: `the ${hiresExpected} hires of ${regionCode}` });
      // Each district alone: 4000 4500 5000 5500 6000, the median the 3rd wage, no quartiles.
      for (const district of ['430405', '430502']) expect(await noneCell(district, 5)).toEqual({ level: 'none', shown: true, hires: 5, median: 5000, lowerQuartile: null, upperQuartile: null });
      // The cities add one hire in another district, 5200 in Hengyang and 5290 in Shaoyang: exact medians
      // 5100 and 5145 would give 2 × 5100 − 5000 = 5200 and 2 × 5145 − 5000 = 5290. Rounded, both are 5100:
      // the answers cannot tell the two wages apart.
      const hengyang = await noneCell('430400', 6);
      const shaoyang = await noneCell('430500', 6);
      expect(hengyang).toEqual({ level: 'none', shown: true, hires: 6, median: 5100, lowerQuartile: null, upperQuartile: null });
      expect(shaoyang).toEqual(hengyang);
    });

    it('counts a person hired again (contracts renewed) once, at their latest wage: five renewals of one worker are no cell of five', async () => {
      // With the four others in the city: five people, the renewed worker's wage once (6000 6100 6200 6300 9140).
      const city = await waitFor(async () => {
        const { status, body } = await answer(`/api/v1/placements/wages?occupationCode=${WELDER}&regionCode=430600`);
        return status === 200 && body.levels[0].shown ? body : undefined;
      }, { description: 'the five people of Yueyang' });
      expect(city.levels[0]).toEqual({ level: 'none', shown: true, hires: 5, median: 6200, lowerQuartile: null, upperQuartile: null });
      // The renewed worker's district alone: one person, however many hires.
      expect((await answer(`/api/v1/placements/wages?occupationCode=${WELDER}&regionCode=430602`)).body.levels[0]).toEqual({ level: 'none', shown: false });
    });

    it('hides a level one employer hired half the people of or more: its hires around one other person’s wage give that wage away', async () => {
      // Xiangtan's Yuhu district: one person hired at 7340 by an employer; another employer then hires four at extreme wages.
      const region = '430302';
      const attacker = randomUUID();
      const own = postedPlacement({ employerId: attacker, regionCode: region, openings: 4 });
      const dummies = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      await service.spec
        .given(...atEmployersOfTheirOwn(region, hires([7340])), placementStream(own), ...dummies.map((traineeId) => traineeRegisteredFact(traineeId)))
        .when('GET', '/health/live')
        .then(200);
      const staff = await staffOf(attacker);
      for (const [n, traineeId] of dummies.entries()) {
        const hired = await http(service.host.baseUrl, 'POST', `/api/v1/placements/${own.data.placementId}/hires`, { traineeId, startDate: '2021-07-01', monthlyWage: n < 2 ? 1 : 1_000_000 }, staff);
        expect(hired.status).toBe(201);
      }
      const wages = `/api/v1/placements/wages?occupationCode=${WELDER}&regionCode=${region}&consistent=true`;
      // Five people, four of them the attacker's: not shown (the median would be the fifth person's wage, 7300).
      const attacked = await answer(wages);
      expect(attacked).toMatchObject({ status: 200, body: { maximumShareOfOneEmployer: 0.5 } });
      expect(attacked.body.levels[0]).toEqual({ level: 'none', shown: false });
      // Three more people at three other employers: the attacker's four are half of eight, still not shown.
      await service.spec.given(...atEmployersOfTheirOwn(region, hires([7000, 7200, 7400]))).when('GET', '/health/live').then(200);
      expect((await answer(wages)).body.levels[0]).toEqual({ level: 'none', shown: false });
      // One more at another: four of nine, less than half: shown, the median the middle of the five others.
      await service.spec.given(...atEmployersOfTheirOwn(region, hires([7600]))).when('GET', '/health/live').then(200);
      expect((await answer(wages)).body.levels[0]).toEqual({ level: 'none', shown: true, hires: 9, median: 7300, lowerQuartile: null, upperQuartile: null });
    });

    it('with consistent=true, answers once every hire and certificate accepted before the request is in, and says so', async () => {
      // Xiangxiang: five seniors at five employers, their hires and certificates given a moment ago.
      const region = '430381';
      const seniors = hires([6000, 6100, 6200, 6300, 6400]);
      await service.spec
        .given(...atEmployersOfTheirOwn(region, seniors), ...seniors.map((hire) => certified(hire.traineeId, 'senior', '2021-01-01')))
        .when('GET', '/health/live')
        .then(200);
      const consistent = await get(`/api/v1/placements/wages?occupationCode=${WELDER}&regionCode=${region}&consistent=true`);
      expect(consistent.status).toBe(200);
      expect(consistent.body.levels[4]).toEqual({ level: 'senior', shown: true, hires: 5, median: 6200, lowerQuartile: null, upperQuartile: null });
      expect(consistent.headers.get('complete-up-to')).toEqual(expect.any(String));
      expect(consistent.headers.get('pending-facts')).toBe('0');
      expect(await answer(`/api/v1/placements/wages?occupationCode=${WELDER}&regionCode=${region}&consistent=maybe`)).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field: 'consistent' })] } });
    });

    it('with consistent=true, says it lacks a certification fact that waits here as a dead letter, and is complete once it is applied', async () => {
      const path = `/api/v1/placements/wages?occupationCode=${WELDER}&regionCode=431000&consistent=true`;
      const sql = new Client({ connectionString: service.database.url, options: '-c search_path=placement' });
      await sql.connect();
      try {
        const eventId = await parkDeadLetter(sql, TRAINEE_CERTIFICATES_CONSUMER, CERTIFICATION_TOPIC, { type: 'CertificateRevoked', aggregateId: randomUUID(), payload: {} });
        // No wait brings it (an operator's retry does): answered, never called complete.
        const lacking = await get(path);
        expect({ status: lacking.status, complete: lacking.headers.get('complete-up-to'), pending: lacking.headers.get('pending-facts') }).toEqual({ status: 200, complete: null, pending: '1' });
        await sql.query('INSERT INTO inbox (consumer, message_id) VALUES ($1, $2)', [TRAINEE_CERTIFICATES_CONSUMER, eventId]);
        const complete = await get(path);
        expect({ complete: complete.headers.get('complete-up-to'), pending: complete.headers.get('pending-facts') }).toEqual({ complete: expect.any(String), pending: '0' });
      } finally {
        await sql.end();
      }
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
