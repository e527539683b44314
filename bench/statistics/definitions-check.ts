import { Client } from 'pg';
import { StatisticsFact } from '../../services/brand-service/src/statistics/facts/statistics-fact';
import { Figure, parseRegionShareKey, regionShares, regionShareKey, TraineeFacts } from '../../services/brand-service/src/statistics/figures/trainee-figures';
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
    `SELECT region_code, occupation_code, period, category, figure, dimension, value::text FROM ${READ_MODEL} WHERE value <> 0`,
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
