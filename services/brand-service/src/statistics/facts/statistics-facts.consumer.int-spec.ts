// brand-service's statistics facts consumer on a real Postgres, fed in chunks by the in-process bus: a
// chunk's facts recorded together, each once, in order for each trainee, each caused by its own message;
// a malformed message parked alone; a region counted by an organisation the same chunk registers.
import { CERTIFICATION_TOPIC } from '@skills/contracts';
import { Database } from '@skills/postgres';
import { createTestDatabase, fact, publishFacts, startTestHost, TestDatabase, TestHost, testCreditCode, traineeRegisteredFact } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { BrandModule } from '../../brand.module';
import { WELDER } from '../statistics-scenario';
import { STATISTICS_CONSUMER } from './statistics-facts.consumer';
import { statisticsStreamId } from './statistics-fact';

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

  it('records each fact once, in order for each trainee, caused by its own message; parks a malformed one alone; finds a region registered in the same chunk', async () => {
    const [evaluatorId, worker, other] = [randomUUID(), randomUUID(), randomUUID()];
    const evaluator = fact(
      CERTIFICATION_TOPIC,
      'EvaluatorRegistered',
      { evaluatorId, name: '株洲市焊接协会', creditCode: testCreditCode(8101), kind: 'social_organisation', regionCode: '430203', evaluatorCode: 'S430203001' },
      { key: evaluatorId },
    );
    // Published before the certificates carried the evaluator's region: it is the registration's.
    const certified = (traineeId: string, certificateNumber: string) =>
      fact(
        CERTIFICATION_TOPIC,
        'LevelCertified',
        { certificateNumber, traineeId, occupationCode: WELDER, level: 'junior', previousLevel: null, route: 'imported', evaluatorId, evaluatorName: '株洲市焊接协会', evaluatorCreditCode: testCreditCode(8101), certifiedOn: '2025-05-01' },
        { key: traineeId },
      );
    const malformed = fact(CERTIFICATION_TOPIC, 'LevelCertified', null, { key: other });
    const chunk = [evaluator, traineeRegisteredFact(worker), certified(worker, 'S0001'), malformed, certified(other, 'S0002'), certified(worker, 'S0003')];
    await publishFacts(host, chunk);

    const expected = [
      { version: 1, kind: 'categories', number: null, region: null, causation: chunk[1].envelope.eventId },
      { version: 2, kind: 'certificate', number: 'S0001', region: '430203', causation: chunk[2].envelope.eventId },
      { version: 3, kind: 'certificate', number: 'S0003', region: '430203', causation: chunk[5].envelope.eventId },
    ];
    expect(await streamOf(worker)).toEqual(expected);
    expect(await streamOf(other)).toEqual([{ version: 1, kind: 'certificate', number: 'S0002', region: '430203', causation: chunk[4].envelope.eventId }]);
    const parked = await sql().query<{ message_id: string }>('SELECT message_id::text FROM dead_letters WHERE consumer = $1', [STATISTICS_CONSUMER]);
    expect(parked.rows).toEqual([{ message_id: malformed.envelope.eventId }]);

    // Delivered again (a relay that crashed before it deleted them): nothing is recorded twice.
    await publishFacts(host, chunk.filter((each) => each !== malformed));
    expect(await streamOf(worker)).toEqual(expected);
    expect(await streamOf(other)).toHaveLength(1);
  });
});
