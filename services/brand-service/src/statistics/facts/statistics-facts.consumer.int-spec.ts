// brand-service's statistics facts consumer on a real Postgres, fed in chunks by the in-process bus: a
// chunk's facts recorded together (one batch of commands), each once, in order for each trainee, each
// caused by its own message; a malformed message parked alone; a fact that predates its region given the
// organisation's.
import { CERTIFICATION_TOPIC, TRAINEE_TOPIC } from '@skills/contracts';
import { CommandPipeline } from '@skills/event-sourcing';
import { Database } from '@skills/postgres';
import { bearer, createTestDatabase, fact, http, publishFacts, startTestHost, TestDatabase, TestHost, testCreditCode, testIssuer, traineeRegisteredFact } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Workbook } from 'exceljs';
import { BrandModule } from '../../brand.module';
import { WELDER } from '../statistics-scenario';
import { STATISTICS_CONSUMER } from './statistics-facts.consumer';
import { StatisticsFact, statisticsStreamId } from './statistics-fact';
import { TraineeFacts } from '../figures/trainee-figures';

describe('StatisticsFactsConsumer: a chunk of facts together', () => {
  let database: TestDatabase;
  let host: TestHost;

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: [BrandModule], transport: 'in-process', databaseUrl: database.url });
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  const sql = () => host.app.get(Database, { strict: false });
  const streamOf = async (traineeId: string) =>
    (
      await sql().query<{ version: number; kind: string; number: string | null; region: string | null; causation: string }>(
        `SELECT stream_version AS version, data #>> '{fact,kind}' AS kind, data #>> '{fact,certificateNumber}' AS number,
                data #>> '{fact,evaluatorRegionCode}' AS region, metadata ->> 'causationId' AS causation
           FROM events WHERE stream_id = $1 ORDER BY stream_version`,
        [statisticsStreamId(traineeId)],
      )
    ).rows;

  it('records a chunk in one batch, each fact once, in order for each trainee, caused by its own message; parks a malformed one alone; gives a fact that predates its region the organisation\'s; the statistics say they lack the parked one', async () => {
    const [evaluatorId, worker, other] = [randomUUID(), randomUUID(), randomUUID()];
    await publishFacts(host, [
      fact(
        CERTIFICATION_TOPIC,
        'EvaluatorRegistered',
        { evaluatorId, name: '株洲市焊接协会', creditCode: testCreditCode(8101), kind: 'social_organisation', regionCode: '430203', evaluatorCode: 'S430203001' },
        { key: evaluatorId },
      ),
    ]);
    // Published before the certificates carried the evaluator's region: it is the registration's, however the id is written.
    const certified = (traineeId: string, certificateNumber: string, evaluator: string = evaluatorId) =>
      fact(
        CERTIFICATION_TOPIC,
        'LevelCertified',
        { certificateNumber, traineeId, occupationCode: WELDER, level: 'junior', previousLevel: null, route: 'imported', evaluatorId: evaluator, evaluatorName: '株洲市焊接协会', evaluatorCreditCode: testCreditCode(8101), certifiedOn: '2025-05-01' },
        { key: traineeId },
      );
    const malformed = fact(CERTIFICATION_TOPIC, 'LevelCertified', null, { key: other });
    const chunk = [traineeRegisteredFact(worker), certified(worker, 'S0001'), malformed, certified(other, 'S0002', evaluatorId.toUpperCase()), certified(worker, 'S0003')];
    const batches = jest.spyOn(CommandPipeline.prototype, 'decideAllInTransaction');
    try {
      await publishFacts(host, chunk);
      // The malformed message is not in the batch: the others are recorded together, not one by one.
      // (Applied again together after a deadlock, the same batch twice.)
      expect(new Set(batches.mock.calls.map(([, request]) => request.commands.length))).toEqual(new Set([4]));
    } finally {
      batches.mockRestore();
    }

    const expected = [
      { version: 1, kind: 'categories', number: null, region: null, causation: chunk[0].envelope.eventId },
      { version: 2, kind: 'certificate', number: 'S0001', region: '430203', causation: chunk[1].envelope.eventId },
      { version: 3, kind: 'certificate', number: 'S0003', region: '430203', causation: chunk[4].envelope.eventId },
    ];
    expect(await streamOf(worker)).toEqual(expected);
    expect(await streamOf(other)).toEqual([{ version: 1, kind: 'certificate', number: 'S0002', region: '430203', causation: chunk[3].envelope.eventId }]);
    const parked = async () => (await sql().query<{ message_id: string }>('SELECT message_id::text FROM dead_letters WHERE consumer = $1', [STATISTICS_CONSUMER])).rows;
    expect(await parked()).toEqual([{ message_id: malformed.envelope.eventId }]);

    // Delivered again (a relay that crashed before it deleted them): nothing is recorded twice, the letter stays one.
    await publishFacts(host, chunk);
    expect(await streamOf(worker)).toEqual(expected);
    expect(await streamOf(other)).toHaveLength(1);
    expect(await parked()).toEqual([{ message_id: malformed.envelope.eventId }]);

    // Read, with ?consistent=true too: answered as the figures stand, never called complete while the letter waits (no wait brings it).
    const issuer = await testIssuer();
    const school = randomUUID();
    const reads = {
      region: ['/api/v1/statistics/regions/430000?period=2025&consistent=true', await issuer.token({ role: 'platform_admin' })],
      regionPlain: ['/api/v1/statistics/regions/430000?period=2025', await issuer.token({ role: 'platform_admin' })],
      outcomes: [`/api/v1/statistics/providers/${school}/outcomes?period=2025&consistent=true`, await issuer.token({ role: 'school_staff', organisationId: school })],
    };
    for (const [path, token] of Object.values(reads)) {
      const answer = await http(host.baseUrl, 'GET', path, undefined, bearer(token));
      // A plain read also counts what the statistics' own projections have still to apply (under load): at least the letter.
      const pending = path.includes('consistent=true') ? 1 : expect.any(Number);
      expect({ path, status: answer.status, freshness: answer.body.freshness, header: answer.headers.get('complete-up-to') }).toEqual({ path, status: 200, freshness: { completeUpTo: null, pendingFacts: pending }, header: null });
      expect(answer.body.freshness.pendingFacts).toBeGreaterThanOrEqual(1);
    }
    // A file made now says so in itself, after its table (the header row stays the first line): a file outlives its headers.
    const incomplete = /^注意：截至 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（北京时间），本表数据可能不完整，尚有 1 条记录未计入。$/;
    const [regionPath, regionToken] = reads.region;
    const csv = await fetch(`${host.baseUrl}${regionPath}&format=csv`, { headers: bearer(regionToken) });
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^指标,合计,/);
    expect(lines.slice(lines.indexOf(',,,,,,,') + 1).map((line) => line.replace(/,+$/, ''))).toContainEqual(expect.stringMatching(incomplete));
    const [outcomesPath, outcomesToken] = reads.outcomes;
    const xlsx = await fetch(`${host.baseUrl}${outcomesPath}&format=xlsx`, { headers: bearer(outcomesToken) });
    const workbook = new Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    expect(workbook.getWorksheet('说明')!.getColumn(1).values).toContainEqual(expect.stringMatching(incomplete));
  });

  it('keeps an erased person out of the categories when their registration is applied after the erasure (a parked letter retried)', async () => {
    const traineeId = randomUUID();
    await publishFacts(host, [fact(TRAINEE_TOPIC, 'PersonalDataErased', { traineeId, erasedOn: '2026-11-30' }, { key: traineeId })]);
    await publishFacts(host, [traineeRegisteredFact(traineeId, { categories: ['disabled'] })]);
    const { rows } = await sql().query<{ fact: StatisticsFact }>(`SELECT data -> 'fact' AS fact FROM events WHERE stream_id = $1 ORDER BY stream_version`, [statisticsStreamId(traineeId)]);
    expect(rows.map(({ fact }) => fact)).toMatchObject([
      { kind: 'categories', categories: [], erased: true },
      // Emptied as it is recorded: the log keeps no categories of an erased person (erased-categories.ts).
      { kind: 'categories', categories: [] },
    ]);
    expect(new TraineeFacts(rows.map(({ fact }) => fact)).categories).toEqual([]);
  });
});
