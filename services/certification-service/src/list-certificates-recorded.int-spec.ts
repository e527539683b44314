// GET /api/v1/certificates by when each certificate was entered: `recordedAt` on each item, the entry
// days recordedFrom/recordedTo (the business day in China), sort=recorded (newest entered first) with its
// own cursor, and one certificate by its number. An evaluator who today enters a certificate dated years
// back finds it first by entry, where by certifiedOn it lies among that year's.
import { businessDateOf, evaluatorCodeFor, fixedClock } from '@skills/domain-kernel';
import { ServiceRegistry } from '@skills/service-runtime';
import { bearer, http, ServiceSpec, startServiceSpec, stream, TestUser, traineeRegisteredFact } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { CertificationModule } from './certification.module';
import { EvaluatorRegistered } from './evaluators/evaluator.aggregate';

const clock = fixedClock('2021-10-15T02:00:00.000Z');
const WELDER = '6-18-02-04';
const DAY_MS = 86_400_000;

describe('certification: listing certificates by when they were entered', () => {
  let service: ServiceSpec;
  const evaluatorId = randomUUID();
  const staff = { role: 'evaluator_staff', organisationId: evaluatorId } as TestUser;
  // Entered in this order, each in its own transaction: the dates they bear are not in it.
  const entered: Array<{ number: string; certifiedOn: string; before: string; after: string }> = [];

  const list = async (query: string) => http(service.host.baseUrl, 'GET', `/api/v1/certificates${query}`, undefined, bearer(await service.issuer.token(staff)));
  const numbers = async (query: string) => {
    const answer = await list(query);
    expect(answer.status).toBe(200);
    return (answer.body.items as Array<{ number: string }>).map((item) => item.number);
  };
  const byDate = (certifiedOn: string) => entered.find((one) => one.certifiedOn === certifiedOn)!.number;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [CertificationModule], service: 'certification', replicaWaitMs: 200, clock });
    const registered: EvaluatorRegistered = {
      type: 'EvaluatorRegistered',
      data: { evaluatorId, name: '评价机构 录入', creditCode: '91430200MA4L00001P', kind: 'social_organisation', regionCode: '430200', evaluatorCode: evaluatorCodeFor(1801) },
    };
    const trainees = [randomUUID(), randomUUID(), randomUUID()];
    await service.spec
      .given(stream(`evaluator-${evaluatorId}`, registered), ...trainees.map((traineeId) => traineeRegisteredFact(traineeId)))
      .when('GET', '/api/v1/certificates', undefined, bearer(await service.issuer.token(staff)))
      .then(200);
    for (const [index, certifiedOn] of ['2021-09-01', '2021-06-01', '2021-01-15'].entries()) {
      const before = new Date().toISOString();
      const answer = await http(
        service.host.baseUrl,
        'POST',
        '/api/v1/certifications',
        { traineeId: trainees[index], occupationCode: WELDER, level: 'junior', route: 'assessment', evaluatorId, certifiedOn },
        bearer(await service.issuer.token(staff)),
      );
      expect(answer.status).toBe(201);
      entered.push({ number: answer.body.certificateNumber, certifiedOn, before, after: new Date().toISOString() });
    }
    await service.host.app.get(ServiceRegistry).get('certification')?.projections.caughtUp();
  });

  afterAll(() => service?.close());

  it('answers when each certificate was entered (the time of its event), whatever the date it bears', async () => {
    const answer = await list('');
    expect(answer.status).toBe(200);
    for (const one of entered) {
      const item = (answer.body.items as Array<{ number: string; recordedAt: string; certifiedOn: string }>).find((candidate) => candidate.number === one.number)!;
      expect(item.certifiedOn).toBe(one.certifiedOn);
      expect(item.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      // The database's time of the transaction: within a second of the request, whatever the service's clock says (2021).
      expect(Date.parse(item.recordedAt)).toBeGreaterThan(Date.parse(one.before) - 1000);
      expect(Date.parse(item.recordedAt)).toBeLessThan(Date.parse(one.after) + 1000);
    }
  });

  it('lists newest entered first with sort=recorded, page by page on its own cursor, and by certifiedOn by default', async () => {
    const [first, second, third] = entered.map((one) => one.number);
    expect(await numbers('')).toEqual([byDate('2021-09-01'), byDate('2021-06-01'), byDate('2021-01-15')]);
    expect(await numbers('?sort=certified')).toEqual([byDate('2021-09-01'), byDate('2021-06-01'), byDate('2021-01-15')]);
    expect(await numbers('?sort=recorded')).toEqual([third, second, first]);

    const pageOne = await list('?sort=recorded&limit=2');
    expect(pageOne.body.items.map((item: { number: string }) => item.number)).toEqual([third, second]);
    const pageTwo = await list(`?sort=recorded&limit=2&cursor=${pageOne.body.nextCursor}`);
    expect(pageTwo.body).toEqual({ items: [expect.objectContaining({ number: first })], nextCursor: null });

    // A cursor of one order is refused by the other, never read as a position in it.
    const byDatePage = await list('?limit=1');
    expect(await list(`?sort=recorded&cursor=${byDatePage.body.nextCursor}`)).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field: 'cursor' })] } });
    expect(await list(`?cursor=${pageOne.body.nextCursor}`)).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field: 'cursor' })] } });
  });

  it('finds by the day entered, the business day in China, both ends included', async () => {
    // Entered now: today in China (UTC+8), whatever the UTC day.
    const today = businessDateOf(new Date(entered[0].before));
    const dayAround = (offset: number) => businessDateOf(new Date(Date.parse(entered[0].before) + offset * DAY_MS));
    const all = [...(await numbers('?sort=recorded'))];
    expect(await numbers(`?sort=recorded&recordedFrom=${today}&recordedTo=${today}`)).toEqual(all);
    expect(await numbers(`?recordedFrom=${dayAround(-7)}`)).toEqual(await numbers(''));
    expect(await numbers(`?recordedTo=${dayAround(-1)}`)).toEqual([]);
    expect(await numbers(`?recordedFrom=${dayAround(1)}`)).toEqual([]);
    // The dates the certificates bear do not count: 2021 finds nothing entered today.
    expect(await numbers('?recordedFrom=2021-01-01&recordedTo=2021-12-31')).toEqual([]);
  });

  it('finds one certificate by its number, exactly', async () => {
    const [, second] = entered.map((one) => one.number);
    expect(await numbers(`?number=${second}`)).toEqual([second]);
    expect(await numbers(`?number=${second.slice(0, -1)}`)).toEqual([]);
  });

  it.each([
    ['number', '?number=S0001%20bad'],
    ['sort', '?sort=newest'],
    ['recordedFrom', '?recordedFrom=2026-02-30'],
    ['recordedTo', '?recordedFrom=2026-12-07&recordedTo=2026-12-06'],
  ])('answers a bad %s with a 400 naming it', async (field, query) => {
    const answer = await list(query);
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  // Last: it moves the certificates' entry instant, which the tests above read.
  it('pages through certificates entered in the same instant (an import batch, one transaction) without losing any', async () => {
    const sql = new Client({ connectionString: service.database.url });
    await sql.connect();
    try {
      // As a batch writes them: one instant, to the microsecond, which a cursor cut to milliseconds would pass.
      await sql.query("UPDATE certification.certificates SET recorded_at = '2026-12-07 02:00:00.123456+00' WHERE certificate_number = ANY($1)", [entered.map((one) => one.number)]);
      const seen: string[] = [];
      let cursor: string | null = '';
      while (cursor !== null) {
        const page = await list(`?sort=recorded&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((item: { number: string }) => item.number));
        cursor = page.body.nextCursor;
      }
      expect(seen.sort()).toEqual(entered.map((one) => one.number).sort());
    } finally {
      await sql.end();
    }
  });
});
