// The statistics and a course scheduled with a mistake whose school corrected its title or end date
// (CourseCorrected): a school's outcomes name the course by its corrected title and count employment from its
// corrected end, for the results recorded before the correction and for one retried after it (the correction
// of the highest course version standing); a correction delivered again, or of what the figures keep not (the
// capacity), changes nothing, and a rebuild arrives at the same. On a real Postgres, fed by the in-process bus.
import { CourseCorrectedV1, CourseFactsV1, TRAINING_TOPIC } from '@skills/contracts';
import { ServiceRegistry } from '@skills/service-runtime';
import { bearer, createTestDatabase, fact, Fact, http, publishFacts, startTestHost, TestDatabase, TestHost, testIssuer } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { BrandModule } from '../../brand.module';
import { Course, hired, organisations, providerRegistered, result, WELDER } from '../statistics-scenario';

const org = organisations();

const deliveredAgain = (message: Fact): Fact => ({ ...message, envelope: { ...message.envelope, eventId: randomUUID() } });

function corrected(course: Course, after: CourseCorrectedV1['after'], aggregateVersion: number): Fact {
  const facts: CourseFactsV1 = { title: after.title ?? course.title, providerId: course.school.id, providerCreditCode: course.school.creditCode, providerRegionCode: course.school.regionCode, occupationCode: course.occupationCode, occupationEdition: '2022', kind: 'skill', endDate: after.endDate ?? course.endDate };
  const before = Object.fromEntries(Object.keys(after).map((field) => [field, field === 'capacity' ? 30 : course[field as 'title' | 'endDate']]));
  const payload: CourseCorrectedV1 = { courseId: course.id, before, after, correctedOn: '2017-09-01', course: facts };
  return fact(TRAINING_TOPIC, 'CourseCorrected', payload, { key: course.id, aggregateVersion, occurredAt: '2017-09-01' });
}

describe('the statistics and a corrected course', () => {
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

  const outcomes = async (period: string) => {
    const answer = await http(host.baseUrl, 'GET', `/api/v1/statistics/providers/${school.id}/outcomes?period=${period}&consistent=true`, undefined, bearer(admin));
    expect(answer.status).toBe(200);
    const { graduates, employedWithin3Months, employedWithin6Months, courses } = answer.body;
    return { graduates, employedWithin3Months, employedWithin6Months, courses: courses.map(({ title, graduates: each, employedWithin3Months: in3 }: { title: string; graduates: number; employedWithin3Months: number }) => ({ title, graduates: each, employedWithin3Months: in3 })) };
  };

  it("names the course by its corrected title and counts employment from its corrected end, for results before the correction and one retried after it; delivered again or rebuilt, the same", async () => {
    const welding: Course = { id: randomUUID(), title: '焊工（中级）2017', school, occupationCode: WELDER, endDate: '2017-03-31' };
    const [a, b] = [randomUUID(), randomUUID()];
    // a passed and was hired 2017-06-15: within 3 months of an end of 2017-03-31, not of one of 2017-02-28.
    await publishFacts(host, [result(a, welding, '2017-03-10', true, { version: 3 }), hired(a, org.employerZhuzhou, '2017-06-15', 6000)]);
    expect(await outcomes('2017')).toEqual({ graduates: 1, employedWithin3Months: 1, employedWithin6Months: 1, courses: [{ title: '焊工（中级）2017', graduates: 1, employedWithin3Months: 1 }] });

    const correction = corrected(welding, { title: '焊工（高级）2017', endDate: '2017-02-28' }, 6);
    await publishFacts(host, [correction]);
    const afterCorrection = { graduates: 1, employedWithin3Months: 0, employedWithin6Months: 1, courses: [{ title: '焊工（高级）2017', graduates: 1, employedWithin3Months: 0 }] };
    expect(await outcomes('2017')).toEqual(afterCorrection);

    // b's result (v4, recorded before the correction) retried after it, b hired 2017-06-15 too: counted from the corrected end.
    await publishFacts(host, [hired(b, org.employerZhuzhou, '2017-06-15', 6000), result(b, welding, '2017-03-12', true, { version: 4 })]);
    const withB = { graduates: 2, employedWithin3Months: 0, employedWithin6Months: 2, courses: [{ title: '焊工（高级）2017', graduates: 2, employedWithin3Months: 0 }] };
    expect(await outcomes('2017')).toEqual(withB);

    // Delivered again (the inbox's to drop; under a new id), and a correction of the capacity alone: nothing changes.
    await publishFacts(host, [correction, deliveredAgain(correction), corrected(welding, { capacity: 20 }, 7)]);
    expect(await outcomes('2017')).toEqual(withB);
    const runner = host.app.get(ServiceRegistry).get('brand')!.projections;
    await runner.rebuild('provider-outcomes');
    expect(await outcomes('2017')).toEqual(withB);
  });

  it('keeps the correction of the highest course version: a result of a later version keeps its own facts over an older correction, a newer correction stands over both', async () => {
    const welding: Course = { id: randomUUID(), title: '电工 2016', school, occupationCode: WELDER, endDate: '2016-03-31' };
    const c = randomUUID();
    // c's result (v8) carries the title of a correction (v7) not yet seen here; an older correction (v5) arrives after it.
    await publishFacts(host, [result(c, { ...welding, title: '电工（中级）2016' }, '2016-03-10', true, { version: 8 })]);
    await publishFacts(host, [corrected(welding, { title: '电工（初级）2016' }, 5)]);
    expect((await outcomes('2016')).courses).toEqual([{ title: '电工（中级）2016', graduates: 1, employedWithin3Months: 0 }]);
    await publishFacts(host, [corrected(welding, { title: '电工（高级）2016' }, 9)]);
    expect((await outcomes('2016')).courses).toEqual([{ title: '电工（高级）2016', graduates: 1, employedWithin3Months: 0 }]);
  });
});
