import { SKILL_LEVELS } from '@skills/domain-kernel';
import { TRAINEE_CATEGORIES } from '@skills/contracts';
import { Client } from 'pg';
import { timedSteps, TimedStep } from './steps';

/** The schema the generated facts live in, beside brand-service's own (`brand`) in the same database. */
export const FACTS = 'national_facts';

/** The 31 provinces of the mainland (GB/T 2260). */
export const PROVINCES = ['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65'];

export const OCCUPATIONS = 200;
export const FIRST_DAY = '2015-01-01';
/** 2015-01-01 … 2025-12-31. */
export const DAYS = 4018;

/** How much of everything there is for a number of certificates: two certificates per trainee on average. */
export interface NationalSize {
  certificates: number;
  trainees: number;
  /** One standing result per enrolment (a corrected result already replaced), as TraineeFacts keeps them. */
  assessments: number;
  hires: number;
}

export function nationalSize(certificates: number): NationalSize {
  return { certificates, trainees: Math.round(certificates / 2), assessments: certificates, hires: Math.round(certificates * 0.3) };
}

const quoted = (values: readonly string[]) => `ARRAY[${values.map((value) => `'${value}'`).join(', ')}]`;

/**
 * A national data set written by Postgres itself (generate_series): every value a deterministic function
 * of a row number through `u(key, salt)`, a hash mapped to [0, 1), so a size gives the same facts on every
 * run. 31 provinces, ~340 cities, ~2,800 counties; 200 occupations (a few much commoner than the rest);
 * business dates spread over 2015–2025. Organisations are counties mostly, some registered at a city or a
 * province, a few of unknown region (counted in the national figures only). Each fact is in the trainee's
 * home county or their main occupation three times out of four, so a trainee's certificates meet in an
 * occupation (levels climbing, revocations, high-skill standing moving between regions) and hires find
 * the level their holder held.
 */
export function generationSteps(size: NationalSize): TimedStep[] {
  for (const [name, value] of Object.entries(size)) if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not ${value}`);
  const { certificates, trainees, assessments, hires } = size;
  const region = (key: string, salt: number) => `CASE
      WHEN u(${key}, ${salt}) < 0.005 THEN NULL
      WHEN u(${key}, ${salt}) < 0.02 THEN left(home.code, 2) || '0000'
      WHEN u(${key}, ${salt}) < 0.07 THEN left(home.code, 4) || '00'
      WHEN u(${key}, ${salt}) < 0.75 THEN home.code
      ELSE other.code END`;
  // Home county from the trainee, another county from the fact.
  const places = (key: string, salt: number) => `
      JOIN counties home ON home.idx = floor(u(trainee_id, 11) * (SELECT count(*) FROM counties))
      JOIN counties other ON other.idx = floor(u(${key}, ${salt}) * (SELECT count(*) FROM counties))`;
  const occupation = (key: string, salt: number) => `
      JOIN occupations occupation ON occupation.idx = CASE WHEN u(${key}, ${salt}) < 0.75 THEN floor(${OCCUPATIONS} * u(trainee_id, 12) ^ 2) ELSE floor(${OCCUPATIONS} * u(${key}, ${salt + 1}) ^ 2) END`;
  const day = (key: string, salt: number) => `DATE '${FIRST_DAY}' + floor(u(${key}, ${salt}) * ${DAYS})::int`;
  const traineeOf = (key: string, salt: number) => `1 + floor(u(${key}, ${salt}) * ${trainees})::bigint`;
  return [
    {
      name: 'regions, occupations',
      sql: `
      CREATE SCHEMA ${FACTS};
      SET search_path = ${FACTS};
      CREATE FUNCTION u(key bigint, salt int) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT (hashint8extended(key, salt) & 281474976710655)::float8 / 281474976710656 $$;
      CREATE TABLE counties AS
        SELECT (row_number() OVER (ORDER BY code) - 1)::int AS idx, code FROM (
          SELECT province || lpad(city::text, 2, '0') || lpad(county::text, 2, '0') AS code
          FROM unnest(${quoted(PROVINCES)}) province,
               generate_series(1, 6 + floor(u(province::bigint, 1) * 11)::int) city,
               generate_series(1, 4 + floor(u(province::bigint * 100 + city, 2) * 9)::int) county) codes;
      CREATE TABLE occupations AS
        SELECT k AS idx, format('%s-%s-%s-%s', 1 + k % 6, lpad((k / 6 + 1)::text, 2, '0'), lpad((k % 4 + 1)::text, 2, '0'), lpad((k % 9 + 1)::text, 2, '0')) AS code
        FROM generate_series(0, ${OCCUPATIONS - 1}) k;
      ANALYZE counties; ANALYZE occupations;`,
    },
    {
      name: `certificates (${certificates.toLocaleString('en')})`,
      // Levels: mostly junior and intermediate, a fifth senior, a few technicians and above; 1 % revoked.
      sql: `
      CREATE TABLE certificates AS
      SELECT certificate_id, trainee_id, occupation.code AS occupation_code, rank, (${quoted(SKILL_LEVELS)})[rank] AS level,
             CASE WHEN u(certificate_id, 26) < 0.8 THEN 'assessment' WHEN u(certificate_id, 26) < 0.88 THEN 'direct' WHEN u(certificate_id, 26) < 0.96 THEN 'imported'
                  WHEN u(certificate_id, 26) < 0.98 THEN 'exceptional' ELSE 'appointment' END AS route,
             ${region('certificate_id', 21)} AS evaluator_region, certified_on,
             CASE WHEN u(certificate_id, 28) < 0.01 AND certified_on + 30 + floor(u(certificate_id, 29) * 900)::int <= DATE '2025-12-31'
                  THEN certified_on + 30 + floor(u(certificate_id, 29) * 900)::int END AS revoked_on
      FROM (SELECT certificate_id, ${traineeOf('certificate_id', 20)} AS trainee_id, ${day('certificate_id', 27)} AS certified_on,
                   CASE WHEN u(certificate_id, 25) < 0.05 THEN 1 WHEN u(certificate_id, 25) < 0.35 THEN 2 WHEN u(certificate_id, 25) < 0.7 THEN 3
                        WHEN u(certificate_id, 25) < 0.9 THEN 4 WHEN u(certificate_id, 25) < 0.97 THEN 5 WHEN u(certificate_id, 25) < 0.995 THEN 6
                        WHEN u(certificate_id, 25) < 0.999 THEN 7 ELSE 8 END AS rank
            FROM generate_series(1, ${certificates}::bigint) certificate_id) facts
      ${places('certificate_id', 22)}
      ${occupation('certificate_id', 23)};`,
    },
    {
      name: `assessments (${assessments.toLocaleString('en')})`,
      sql: `
      CREATE TABLE assessments AS
      SELECT assessment_id, trainee_id, occupation.code AS occupation_code, ${region('assessment_id', 31)} AS provider_region,
             ${day('assessment_id', 34)} AS assessed_on, u(assessment_id, 35) < 0.85 AS passed
      FROM (SELECT assessment_id, ${traineeOf('assessment_id', 30)} AS trainee_id FROM generate_series(1, ${assessments}::bigint) assessment_id) facts
      ${places('assessment_id', 32)}
      ${occupation('assessment_id', 36)};`,
    },
    {
      name: `hires (${hires.toLocaleString('en')})`,
      // Monthly wages in hundreds from 3,000 to 15,000 yuan, most near the bottom.
      sql: `
      CREATE TABLE hires AS
      SELECT hire_id, trainee_id, occupation.code AS occupation_code, ${region('hire_id', 41)} AS employer_region,
             ${day('hire_id', 44)} AS start_date, 3000 + 100 * floor(121 * u(hire_id, 45) ^ 2)::int AS monthly_wage
      FROM (SELECT hire_id, ${traineeOf('hire_id', 40)} AS trainee_id FROM generate_series(1, ${hires}::bigint) hire_id) facts
      ${places('hire_id', 42)}
      ${occupation('hire_id', 46)};`,
    },
    {
      name: 'trainee categories',
      // A third of the trainees in a category, a quarter of those in a second one too.
      sql: `
      CREATE TABLE trainee_categories AS
      SELECT trainee_id, (${quoted(TRAINEE_CATEGORIES)})[1 + category] AS category
      FROM generate_series(1, ${trainees}::bigint) trainee_id,
           LATERAL (SELECT floor(u(trainee_id, 50) * 6)::int AS first) f,
           LATERAL (VALUES (first, u(trainee_id, 51) < 0.33), ((first + 1 + floor(u(trainee_id, 52) * 5)::int) % 6, u(trainee_id, 51) < 0.33 AND u(trainee_id, 53) < 0.25)) c(category, kept)
      WHERE kept;`,
    },
    {
      name: 'indexes',
      // What an operational store of these facts would have: by trainee, by region and date.
      sql: `
      CREATE INDEX ON certificates (trainee_id, occupation_code);
      CREATE INDEX ON certificates (evaluator_region, certified_on);
      CREATE INDEX ON assessments (provider_region, assessed_on);
      CREATE INDEX ON hires (employer_region, start_date);
      CREATE INDEX ON trainee_categories (trainee_id);`,
    },
    { name: 'vacuum, analyze', sql: 'VACUUM (ANALYZE) certificates, assessments, hires, trainee_categories' },
  ];
}

/** Generates the facts, step by step; the seconds of each. */
export async function generateNationalFacts(sql: Client, size: NationalSize, log: (line: string) => void): Promise<{ seconds: number }> {
  return timedSteps(sql, generationSteps(size), log);
}
