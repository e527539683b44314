// Every refusal rule of placement-service's aggregates, provoked over HTTP on placement-service alone,
// with the clock fixed: employers and placements given as their own events, trainees as facts from
// trainee-service's topic. The table is checked against the rules the aggregates' source can raise.
// Every request is made by staff of the employer concerned (the placement's, the employment's).
import { fixedClock } from '@skills/domain-kernel';
import { ApiSpec, bearer, refusalRulesOf, ServiceSpec, startServiceSpec, testIssuer, traineeRegisteredFact } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { employerStream, placementStream, postedPlacement } from './placement-fixtures';
import { PlacementPosted } from './placements/placement.aggregate';
import { PlacementModule } from './placement.module';

const TODAY = '2021-10-15';
const clock = fixedClock('2021-10-15T02:00:00.000Z');

/** Authorization of the employer's staff, who post and close its placements, hire and end employments. */
const staffOf = async (employerId: string) => bearer(await (await testIssuer()).token({ role: 'employer_staff', organisationId: employerId }));

const employer = employerStream;
const posted = postedPlacement;
const closed = (placement: PlacementPosted) => ({ type: 'PlacementClosed', data: { placementId: placement.data.placementId, closedOn: '2021-09-01' } });
const postBody = (employerId: string, overrides: Record<string, unknown>) => ({
  employerId,
  title: '铆焊工',
  occupationCode: '6-18-02-04',
  openings: 2,
  wageMin: 7000,
  wageMax: 9000,
  regionCode: '430200',
  ...overrides,
});
const hire = async (placement: PlacementPosted, traineeId: string, startDate = '2021-07-01') =>
  ['POST', `/api/v1/placements/${placement.data.placementId}/hires`, { traineeId, startDate, monthlyWage: 8000 }, await staffOf(placement.data.employerId)] as const;

describe('placements: every refusal rule over HTTP', () => {
  let service: ServiceSpec;
  let spec: ApiSpec;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [PlacementModule], service: 'placement', replicaWaitMs: 200, clock });
    spec = service.spec;
  });

  afterAll(() => service?.close());

  /** The authorization of the staff of each hire's employer, by employment id. */
  const employerStaffOf = new Map<string, Record<string, string>>();
  /** A hire through the API (it keeps the employment index and the active employments), answering its id. */
  const hired = async (placement: PlacementPosted, traineeId: string) => {
    const { body } = await spec.given(placementStream(placement), traineeRegisteredFact(traineeId)).when(...(await hire(placement, traineeId))).then(201, [{ type: 'TraineeHired' }]);
    employerStaffOf.set(body.employmentId, await staffOf(placement.data.employerId));
    return body.employmentId as string;
  };
  const end = (employmentId: string, endDate: string) => spec.when('POST', `/api/v1/employments/${employmentId}/end`, { endDate, reason: '合同期满' }, employerStaffOf.get(employmentId));

  const scenarios: Record<string, (spec: ApiSpec) => Promise<unknown>> = {
    wage_must_be_positive: async (spec) => {
      const employerId = randomUUID();
      await spec.given(employer(employerId)).when('POST', '/api/v1/placements', postBody(employerId, { wageMin: 0 }), await staffOf(employerId)).then(400, [], { errors: [{ field: 'wageMin', rule: 'wage_must_be_positive' }] });
    },
    openings_must_be_positive: async (spec) => {
      const employerId = randomUUID();
      await spec.given(employer(employerId)).when('POST', '/api/v1/placements', postBody(employerId, { openings: 0 }), await staffOf(employerId)).then(400, [], { errors: [{ field: 'openings', rule: 'openings_must_be_positive' }] });
    },
    wage_range_inverted: async (spec) => {
      const employerId = randomUUID();
      await spec.given(employer(employerId)).when('POST', '/api/v1/placements', postBody(employerId, { wageMin: 9000, wageMax: 7000 }), await staffOf(employerId)).then(409, [], { rule: 'wage_range_inverted' });
    },
    placement_already_closed: async (spec) => {
      const placement = posted();
      await spec.given(placementStream(placement, closed(placement))).when('POST', `/api/v1/placements/${placement.data.placementId}/close`, undefined, await staffOf(placement.data.employerId)).then(409, [], { rule: 'placement_already_closed' });
    },
    placement_closed: async (spec) => {
      // Judged on the start date: closed on 2021-09-01, a hire starting that day is refused (one before it is not, see hire-on-start-date).
      const placement = posted();
      const trainee = randomUUID();
      await spec
        .given(placementStream(placement, closed(placement)), traineeRegisteredFact(trainee))
        .when(...(await hire(placement, trainee, '2021-09-01')))
        .then(409, [], { rule: 'placement_closed', closedOn: '2021-09-01', startDate: '2021-09-01' });
    },
    no_openings_left: async (spec) => {
      const placement = posted({ openings: 1 });
      const trainee = randomUUID();
      const other = { type: 'TraineeHired', data: { employmentId: randomUUID(), placementId: placement.data.placementId, traineeId: randomUUID(), startDate: '2021-07-01', monthlyWage: 8000 } };
      await spec.given(placementStream(placement, other), traineeRegisteredFact(trainee)).when(...(await hire(placement, trainee))).then(409, [], { rule: 'no_openings_left', openings: 1 });
    },
    level_too_low: async (spec) => {
      const placement = posted({ minLevel: 'junior' });
      const trainee = randomUUID();
      await spec.given(placementStream(placement), traineeRegisteredFact(trainee)).when(...(await hire(placement, trainee))).then(409, [], { rule: 'level_too_low', minLevel: 'junior', traineeLevel: null });
    },
    under_minimum_age: async (spec) => {
      // Registered at 15 (the message names only the 16th birthday); hired the day before it: refused, on it: hired.
      const placement = posted({ openings: 1 });
      const trainee = randomUUID();
      await spec
        .given(placementStream(placement), traineeRegisteredFact(trainee, { registeredOn: '2021-06-01', workingAgeFrom: '2021-10-15' }))
        .when(...(await hire(placement, trainee, '2021-10-14')))
        .then(409, [], { rule: 'under_minimum_age', startDate: '2021-10-14' });
      await spec.when(...(await hire(placement, trainee, '2021-10-15'))).then(201, [{ type: 'TraineeHired' }]);
    },
    already_employed_by_employer: async (spec) => {
      const employerId = randomUUID();
      const [first, second] = [posted({ employerId }), posted({ employerId })];
      const trainee = randomUUID();
      const employmentId = await hired(first, trainee);
      await spec.given(placementStream(second)).when(...(await hire(second, trainee))).then(409, [], { rule: 'already_employed_by_employer', traineeId: trainee });
      expect(employmentId).toBeDefined();
    },
    employment_already_ended: async () => {
      const employmentId = await hired(posted(), randomUUID());
      await end(employmentId, '2021-09-01').then(200, [{ type: 'EmploymentEnded', data: { endDate: '2021-09-01' } }]);
      await end(employmentId, '2021-09-02').then(409, [], { rule: 'employment_already_ended', endDate: '2021-09-01' });
    },
    ended_before_start: async () => {
      const employmentId = await hired(posted(), randomUUID());
      await end(employmentId, '2021-06-30').then(409, [], { rule: 'ended_before_start', startDate: '2021-07-01' });
    },
    date_in_future: async () => {
      const employmentId = await hired(posted(), randomUUID());
      await end(employmentId, '2021-10-16').then(400, [], { errors: [{ field: 'endDate', rule: 'date_in_future' }] });
    },
  };

  it("has a scenario for exactly the rules placement-service's aggregates can raise", () => {
    expect(Object.keys(scenarios).sort()).toEqual(refusalRulesOf(path.join(__dirname)));
  });

  it.each(Object.keys(scenarios))('refuses by %s', async (rule) => {
    await scenarios[rule](spec);
  });

  it('names every wrong number of a placement in one answer, by the rules the aggregate would name them', async () => {
    const employerId = randomUUID();
    await spec
      .given(employer(employerId))
      .when('POST', '/api/v1/placements', postBody(employerId, { openings: 0, wageMin: 0, wageMax: 100 }), await staffOf(employerId))
      .then(400, [], { errors: [{ field: 'openings', rule: 'openings_must_be_positive' }, { field: 'wageMin', rule: 'wage_must_be_positive' }] });
  });

  it('posts and closes a placement on the day of the injected clock, and ends an employment on that day', async () => {
    const employerId = randomUUID();
    const { body } = await spec.given(employer(employerId)).when('POST', '/api/v1/placements', postBody(employerId, {}), await staffOf(employerId)).then(201, [{ type: 'PlacementPosted', data: { postedOn: TODAY } }]);
    await spec.when('POST', `/api/v1/placements/${body.id}/close`, undefined, await staffOf(employerId)).then(200, [{ type: 'PlacementClosed', data: { closedOn: TODAY } }]);
    const employmentId = await hired(posted(), randomUUID());
    await end(employmentId, TODAY).then(200, [{ type: 'EmploymentEnded', data: { endDate: TODAY } }]);
  });
});
