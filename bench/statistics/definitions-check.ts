import { RecordedEvent } from '@skills/event-sourcing';
import { Client, PoolClient } from 'pg';
import { StatisticsFact, StatisticsFactRecorded, statisticsStreamId } from '../../services/brand-service/src/statistics/facts/statistics-fact';
import { Figure, parseRegionShareKey, regionShares, regionShareKey, TraineeFacts } from '../../services/brand-service/src/statistics/figures/trainee-figures';
import { regionStatistics } from '../../services/brand-service/src/statistics/read-models/region-statistics.projection';
import { READ_MODEL } from './bulk-load';
import { FACTS } from './national-data';

export interface DefinitionsCheck {
  rows: number;
  differences: string[];
}

/**
 * The bulk load against the projection's own definitions: every trainee's facts read back from the fact
 * tables, given to regionShares (figures/trainee-figures.ts, what the projection adds up event by event),
 * summed over trainees and compared with region_statistics row for row. Meant for a small size: it holds
 * every share in memory.
 */
export async function checkDefinitions(sql: Client): Promise<DefinitionsCheck> {
  const facts = await factsByTrainee(sql);
  const expected = new Map<string, number>();
  for (const traineeFacts of facts.values()) {
    for (const [key, value] of regionShares(new TraineeFacts(traineeFacts))) expected.set(key, (expected.get(key) ?? 0) + value);
  }
  for (const [key, value] of expected) if (value === 0) expected.delete(key);

  const { rows } = await sql.query<{ region_code: string; occupation_code: string; period: string; category: string; figure: string; dimension: string; value: string }>(
    // Which categories each trainee is counted in (`counted`) are no figure: checked by checkLiveFactOnBulkLoad.
    `SELECT region_code, occupation_code, period, category, figure, dimension, value::text FROM ${READ_MODEL} WHERE value <> 0 AND figure <> 'counted'`,
  );
  const differences: string[] = [];
  const loaded = new Set<string>();
  for (const row of rows) {
    const key = regionShareKey({ regionCode: row.region_code, occupationCode: row.occupation_code, period: row.period, category: row.category, figure: row.figure as Figure, dimension: row.dimension });
    loaded.add(key);
    const want = expected.get(key) ?? 0;
    if (want !== Number(row.value)) differences.push(`${describe(key)}: loaded ${row.value}, the projection's shares ${want}`);
  }
  for (const [key, value] of expected) if (!loaded.has(key)) differences.push(`${describe(key)}: not loaded, the projection's shares ${value}`);
  return { rows: rows.length, differences };
}

/** The schema of checkLiveFactOnBulkLoad's own log and tables, beside brand-service's (whose runner never reads it). */
const LIVE_CHECK = 'live_check';

export interface LiveFactCheck {
  traineeId: string;
  rows: number;
  differences: string[];
}

/**
 * The bulk load as the start of a live read model: the projection applying a fact on top of it must leave
 * what it leaves on a table it built alone. The bulk load writes which categories each trainee is counted
 * in, and up to which fact (`counted:<trainee>` rows, categories-counted.ts), as the projection does; without
 * them a fact of an already-counted trainee counts all their shares in their categories a second time.
 * Every trainee's facts are written as their statistics stream (the order factsByTrainee reads them in, the
 * order the bulk load's versions assume) into a log of this check's own, with one more fact of a trainee
 * counted in a category (a certificate in an occupation of theirs): the projection builds one table from
 * the whole log, and applies that one fact on a copy of the bulk-loaded table; both are compared row for
 * row, every category's counts and the `counted` rows among them. Meant for a small size, as checkDefinitions.
 */
export async function checkLiveFactOnBulkLoad(sql: Client): Promise<LiveFactCheck> {
  const facts = await factsByTrainee(sql);
  const { rows: chosen } = await sql.query<{ trainee: string; occupation: string; region: string | null }>(
    `SELECT c.trainee_id::text AS trainee, c.occupation_code AS occupation, c.evaluator_region AS region
     FROM ${FACTS}.certificates c WHERE EXISTS (SELECT 1 FROM ${FACTS}.trainee_categories k WHERE k.trainee_id = c.trainee_id)
     ORDER BY c.trainee_id, c.certificate_id LIMIT 1`,
  );
  if (!chosen[0]) throw new Error('no trainee in a category holds a certificate: the size is too small for the check');
  const { trainee, occupation, region } = chosen[0];
  const live: StatisticsFact = { kind: 'certificate', sourceEventId: 'live-certificate', certificateNumber: 'live-1', occupationCode: occupation, level: 'technician', route: 'assessment', evaluatorRegionCode: region, certifiedOn: '2025-12-30' };
  let position = 0;
  const recorded = (traineeId: string, fact: StatisticsFact, version: number): RecordedEvent<StatisticsFactRecorded> => ({
    type: 'StatisticsFactRecorded',
    data: { traineeId, fact },
    eventId: `event-${++position}`,
    streamId: statisticsStreamId(traineeId),
    streamVersion: version,
    schemaVersion: 1,
    metadata: { correlationId: 'live-fact-check' },
    recordedAt: new Date(0).toISOString(),
    position: { transactionId: String(position), globalPosition: String(position) },
  });
  const log = [...facts].flatMap(([traineeId, theirs]) => theirs.map((fact, index) => recorded(traineeId, fact, index + 1)));
  const liveEvent = recorded(trainee, live, (facts.get(trainee) ?? []).length + 1);
  log.push(liveEvent);

  const tx = sql as unknown as PoolClient;
  const applyAll = regionStatistics.applyAll;
  if (!applyAll) throw new Error('the region statistics projection applies no stretch at once (applyAll)');
  await sql.query(`DROP SCHEMA IF EXISTS ${LIVE_CHECK} CASCADE; CREATE SCHEMA ${LIVE_CHECK}`);
  await sql.query(`SET search_path = ${LIVE_CHECK}`);
  try {
    // The projection reads a trainee's earlier facts from `events` (trainee-shares.ts factsUpTo): this check's log.
    await sql.query('CREATE TABLE events (stream_id text NOT NULL, stream_version int NOT NULL, data jsonb NOT NULL, PRIMARY KEY (stream_id, stream_version))');
    for (let from = 0; from < log.length; from += 5000) {
      const chunk = log.slice(from, from + 5000);
      await sql.query('INSERT INTO events SELECT * FROM unnest($1::text[], $2::int[], $3::jsonb[])', [
        chunk.map((event) => event.streamId),
        chunk.map((event) => event.streamVersion),
        chunk.map((event) => JSON.stringify(event.data)),
      ]);
    }
    // The projection alone, over the whole log, a stretch at a time as its runner applies it.
    await regionStatistics.createTable(tx, 'projected');
    for (let from = 0; from < log.length; from += 1000) await applyAll(tx, 'projected', log.slice(from, from + 1000));
    // The bulk load, then the one fact more.
    await sql.query(`CREATE TABLE bulk_then_live (LIKE ${READ_MODEL} INCLUDING ALL); INSERT INTO bulk_then_live SELECT * FROM ${READ_MODEL}`);
    await applyAll(tx, 'bulk_then_live', [liveEvent]);

    const { rows } = await sql.query<{ region_code: string; occupation_code: string; period: string; category: string; figure: string; dimension: string; projected: string | null; bulk: string | null }>(
      `SELECT region_code, occupation_code, period, category, figure, dimension, p.value::text AS projected, b.value::text AS bulk
       FROM (SELECT * FROM projected WHERE value <> 0) p FULL JOIN (SELECT * FROM bulk_then_live WHERE value <> 0) b USING (region_code, occupation_code, period, category, figure, dimension)`,
    );
    // The figures first (a category counted twice), then the `counted` rows.
    const differences = rows
      .filter((row) => row.projected !== row.bulk)
      .sort((a, b) => Number(a.figure === 'counted') - Number(b.figure === 'counted'))
      .map((row) => `${row.figure}${row.dimension ? `[${row.dimension}]` : ''} ${row.region_code} ${row.period} occupation ${row.occupation_code} category ${row.category}: bulk load and the fact ${row.bulk ?? 'none'}, the projection alone ${row.projected ?? 'none'}`);
    return { traineeId: trainee, rows: rows.length, differences };
  } finally {
    await sql.query(`SET search_path TO DEFAULT; DROP SCHEMA ${LIVE_CHECK} CASCADE`);
  }
}

const describe = (key: string) => {
  const { regionCode, period, occupationCode, category, figure, dimension } = parseRegionShareKey(key);
  return `${figure}${dimension ? `[${dimension}]` : ''} ${regionCode} ${period} occupation ${occupationCode} category ${category}`;
};

/** Each trainee's facts as the statistics consumer records them; certificates in their order of issue (ids). */
async function factsByTrainee(sql: Client): Promise<Map<string, StatisticsFact[]>> {
  const facts = new Map<string, StatisticsFact[]>();
  const add = (trainee: string, fact: StatisticsFact) => facts.set(trainee, [...(facts.get(trainee) ?? []), fact]);
  const query = async <Row>(text: string) => (await sql.query<Row & { trainee: string }>(text)).rows;

  for (const row of await query<{ categories: string[] }>(`SELECT trainee_id::text AS trainee, array_agg(category ORDER BY category) AS categories FROM ${FACTS}.trainee_categories GROUP BY trainee_id`)) {
    add(row.trainee, { kind: 'categories', sourceEventId: `categories-${row.trainee}`, categories: row.categories });
  }
  for (const row of await query<{ id: string; occupation: string; region: string | null; day: string; passed: boolean }>(
    `SELECT trainee_id::text AS trainee, assessment_id::text AS id, occupation_code AS occupation, provider_region AS region, assessed_on::text AS day, passed FROM ${FACTS}.assessments ORDER BY assessment_id`,
  )) {
    add(row.trainee, {
      kind: 'assessment',
      sourceEventId: `assessment-${row.id}`,
      enrollmentId: `enrolment-${row.id}`,
      courseId: `course-${row.occupation}`,
      courseTitle: row.occupation,
      courseEndDate: row.day,
      providerId: `provider-${row.region}`,
      providerRegionCode: row.region,
      occupationCode: row.occupation,
      courseKind: 'skill',
      assessedOn: row.day,
      passed: row.passed,
      version: 1,
    });
  }
  for (const row of await query<{ id: string; occupation: string; level: string; route: string; region: string | null; day: string; revoked: string | null }>(
    `SELECT trainee_id::text AS trainee, certificate_id::text AS id, occupation_code AS occupation, level, route, evaluator_region AS region, certified_on::text AS day, revoked_on::text AS revoked
     FROM ${FACTS}.certificates ORDER BY certificate_id`,
  )) {
    add(row.trainee, { kind: 'certificate', sourceEventId: `certificate-${row.id}`, certificateNumber: row.id, occupationCode: row.occupation, level: row.level, route: row.route, evaluatorRegionCode: row.region, certifiedOn: row.day });
    if (row.revoked) add(row.trainee, { kind: 'revocation', sourceEventId: `revocation-${row.id}`, certificateNumber: row.id, revokedOn: row.revoked });
  }
  for (const row of await query<{ id: string; occupation: string; region: string | null; day: string; wage: number }>(
    `SELECT trainee_id::text AS trainee, hire_id::text AS id, occupation_code AS occupation, employer_region AS region, start_date::text AS day, monthly_wage AS wage FROM ${FACTS}.hires ORDER BY hire_id`,
  )) {
    add(row.trainee, { kind: 'hire', sourceEventId: `hire-${row.id}`, employmentId: row.id, occupationCode: row.occupation, employerRegionCode: row.region, startDate: row.day, monthlyWage: row.wage });
  }
  return facts;
}
