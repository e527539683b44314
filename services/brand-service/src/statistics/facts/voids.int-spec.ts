// The statistics and hires and enrolments recorded in error, voided: a voided hire (ended or not) leaves the
// hires, the wages and the schools' outcomes; a voided enrolment's results (a correction among them) leave
// the sessions, the people trained and passed, and the graduates; in every period, whichever arrives first
// (a void applied before the facts it voids keeps them out), and redelivering any of them changes nothing.
// On a real Postgres, fed by the in-process bus, read as the region statistics and school outcomes answer.
import { EmploymentEndedV1, PLACEMENT_TOPIC, TraineeHiredV1 } from '@skills/contracts';
import { ServiceRegistry } from '@skills/service-runtime';
import { bearer, createTestDatabase, fact, Fact, http, publishFacts, startTestHost, TestDatabase, TestHost, testIssuer } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { BrandModule } from '../../brand.module';
import { Course, enrollmentVoided, hired, hireVoided, organisations, providerRegistered, result, WELDER } from '../statistics-scenario';

const org = organisations();

/** The same message under a new id, as a replay from another source brings it (the inbox drops the same id). */
const deliveredAgain = (message: Fact): Fact => ({ ...message, envelope: { ...message.envelope, eventId: randomUUID() } });

function ended(hire: Fact, endDate: string): Fact {
  const { placementId: _placement, regionCode: _region, monthlyWage: _wage, employerRegionCode: _employerRegion, ...employment } = hire.envelope.payload as TraineeHiredV1;
  const payload: EmploymentEndedV1 = { ...employment, endDate, reason: '合同期满' };
  return fact(PLACEMENT_TOPIC, 'EmploymentEnded', payload, { key: employment.traineeId, occurredAt: endDate });
}

describe('the statistics and voided hires and enrolments', () => {
  let database: TestDatabase;
  let host: TestHost;
  let admin: string;
  const school = org.schoolZhuzhou;

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: [BrandModule], transport: 'in-process', databaseUrl: database.url });
    admin = await (await testIssuer()).token({ role: 'platform_admin' });
    await publishFacts(host, [providerRegistered(school)]);
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  const get = async (path: string) => {
    const answer = await http(host.baseUrl, 'GET', `${path}${path.includes('?') ? '&' : '?'}consistent=true`, undefined, bearer(admin));
    expect(answer.status).toBe(200);
    return answer.body;
  };
  /** The school's district in a period (each test its own year: the sums are everyone's), and the school's outcomes. */
  const figures = async (period: string) => {
    const { trainingSessions, trained, passed, hires, medianMonthlyWageByLevel } = await get(`/api/v1/statistics/regions/${school.regionCode}?period=${period}`);
    const { graduates, employedWithin3Months, employedWithin6Months } = await get(`/api/v1/statistics/providers/${school.id}/outcomes?period=${period}`);
    return { trainingSessions, trained, passed, hires, wageOfNone: medianMonthlyWageByLevel.none, graduates, employedWithin3Months, employedWithin6Months };
  };
  /** Four more people hired in the district in `year` (none trained), so that the median wage is shown (5 hires or more). */
  const otherHires = (year: string) => [6000, 6000, 8000, 8000].map((wage) => hired(randomUUID(), org.employerZhuzhou, `${year}-07-01`, wage));
  const course = (year: string): Course => ({ id: randomUUID(), title: `焊工（中级）${year}`, school, occupationCode: WELDER, endDate: `${year}-03-31` });

  it("takes a voided hire (ended) and a voided enrolment's results out of every figure, in every period, whatever is delivered again, and counts the person's new enrolment", async () => {
    const welding = course('2019');
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const enrollmentId = randomUUID();
    const bResults = [result(b, welding, '2019-03-10', false, { enrollmentId, version: 3 }), result(b, welding, '2019-03-20', true, { enrollmentId, version: 4 })];
    const aHire = hired(a, org.employerZhuzhou, '2019-04-01', 9000);
    const aEnd = ended(aHire, '2019-06-01');
    await publishFacts(host, [
      result(a, welding, '2019-03-10', true),
      ...bResults,
      result(c, welding, '2019-03-10', true),
      aHire,
      aEnd,
      hired(b, org.employerZhuzhou, '2019-05-01', 5000),
      ...otherHires('2019'),
    ]);
    // Wages 5000, 6000, 6000, 8000, 8000 and a's 9000.
    expect(await figures('2019')).toEqual({ trainingSessions: 3, trained: 3, passed: 3, hires: 6, wageOfNone: 7000, graduates: 3, employedWithin3Months: 2, employedWithin6Months: 2 });
    expect(await figures('2019-04')).toMatchObject({ hires: 1 });

    const hireVoid = hireVoided(aHire, '2019-10-10');
    await publishFacts(host, [hireVoid]);
    expect(await figures('2019')).toEqual({ trainingSessions: 3, trained: 3, passed: 3, hires: 5, wageOfNone: 6000, graduates: 3, employedWithin3Months: 1, employedWithin6Months: 1 });
    expect(await figures('2019-04')).toMatchObject({ hires: 0 });

    const enrollmentVoid = enrollmentVoided(bResults, '2019-10-10');
    await publishFacts(host, [enrollmentVoid]);
    const afterVoids = { trainingSessions: 2, trained: 2, passed: 2, hires: 5, wageOfNone: 6000, graduates: 2, employedWithin3Months: 0, employedWithin6Months: 0 };
    expect(await figures('2019')).toEqual(afterVoids);
    expect(await figures('2019-Q1')).toMatchObject({ trainingSessions: 2, trained: 2, passed: 2, graduates: 2 });

    // The voids delivered again (the same messages; as replays), and what they voided replayed after them.
    await publishFacts(host, [hireVoid, enrollmentVoid, ...[hireVoid, enrollmentVoid, aHire, aEnd, ...bResults].map(deliveredAgain)]);
    expect(await figures('2019')).toEqual(afterVoids);
    const runner = host.app.get(ServiceRegistry).get('brand')!.projections;
    await runner.rebuild('region-statistics');
    await runner.rebuild('provider-outcomes');
    expect(await figures('2019')).toEqual(afterVoids);

    // Enrolled in the course again (a new enrolment): its result counts, and b's hire makes b a graduate who worked.
    await publishFacts(host, [result(b, welding, '2019-03-25', true)]);
    expect(await figures('2019')).toEqual({ ...afterVoids, trainingSessions: 3, trained: 3, passed: 3, graduates: 3, employedWithin3Months: 1, employedWithin6Months: 1 });
  });

  it('keeps out the results and the hire a void was applied before (dead letters retried late)', async () => {
    const welding = course('2018');
    const [d, e, f] = [randomUUID(), randomUUID(), randomUUID()];
    const enrollmentId = randomUUID();
    const dResults = [result(d, welding, '2018-03-10', false, { enrollmentId, version: 3 }), result(d, welding, '2018-03-20', true, { enrollmentId, version: 4 })];
    const eHire = hired(e, org.employerZhuzhou, '2018-04-01', 9000);
    await publishFacts(host, [enrollmentVoided(dResults, '2018-10-10'), hireVoided(eHire, '2018-10-10')]);
    await publishFacts(host, [
      ...dResults,
      eHire,
      ended(eHire, '2018-06-01'),
      result(e, welding, '2018-03-10', true),
      result(f, welding, '2018-03-10', true),
      hired(f, org.employerZhuzhou, '2018-05-01', 5000),
      ...otherHires('2018'),
    ]);
    expect(await figures('2018')).toEqual({ trainingSessions: 2, trained: 2, passed: 2, hires: 5, wageOfNone: 6000, graduates: 2, employedWithin3Months: 1, employedWithin6Months: 1 });
  });
});
