import { SKILL_LEVELS } from '@skills/domain-kernel';
import { Client } from 'pg';
import { FACTS } from './national-data';
import { timedSteps, TimedStep } from './steps';

/** brand-service's schema and its region read model (services/brand-service/src/statistics/read-models). */
export const READ_MODEL = 'brand.region_statistics';

const COLUMNS = 'region_code, occupation_code, period, category, figure, dimension, value';
const LEVELS = `ARRAY[${SKILL_LEVELS.map((level) => `'${level}'`).join(', ')}]`;

/** The read model's key and index, as the projection created them; dropped for the load and built again after it. */
export interface ReadModelIndexes {
  constraints: { name: string; definition: string }[];
  indexes: { name: string; definition: string }[];
}

export async function dropReadModelIndexes(sql: Client): Promise<ReadModelIndexes> {
  const { rows: constraints } = await sql.query<{ name: string; definition: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = '${READ_MODEL}'::regclass AND contype IN ('p', 'u')`,
  );
  const { rows: indexes } = await sql.query<{ name: string; definition: string }>(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = '${READ_MODEL}'::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
  );
  if ((await sql.query(`SELECT 1 FROM ${READ_MODEL} LIMIT 1`)).rowCount) throw new Error(`${READ_MODEL} is not empty: the bulk load writes into a fresh read model`);
  for (const { name } of constraints) await sql.query(`ALTER TABLE ${READ_MODEL} DROP CONSTRAINT ${name}`);
  for (const { name } of indexes) await sql.query(`DROP INDEX brand.${name}`);
  return { constraints, indexes };
}

/**
 * region_statistics from the fact tables in bulk, with the definitions of figures/trainee-figures.ts
 * (each trainee's shares, summed over trainees):
 * - counts (sessions, certificates by level and route, revocations, hires, wage histograms): summed at
 *   the finest grain (the organisation's own region, month, occupation, category) and rolled up from
 *   there: occupation `*`, then quarters and years, then cities, provinces and the country;
 * - people (trained, passed): one per trainee in each region, period, occupation and category, so
 *   deduplicated per trainee at every level, not rolled up;
 * - new high-skill talents: the day each trainee first held a high-skill level (in all occupations and
 *   in each), in the regions of that day's certificates; a certificate revoked on or before its issue day
 *   was never held and counts for neither (TraineeFacts.everHeld);
 * - standing high-skill talents (`highSkillDelta`): per trainee and occupation, the spans during which
 *   the certificate of their level is high-skill, as +1 at the month a span starts and -1 at the month it
 *   ends, per region; per trainee the net change of "stands in that region" in each month, in all
 *   occupations (some occupation stands) and in each. The certificate of their level is the highest held,
 *   of equals the earliest, then the lowest certificate number (TraineeFacts.currentIn, as the ladder).
 * The wage histograms hold each hire's level by its rank alone (which of equals is current does not
 * change it), and a certificate never held is no level on any day by the held-on test itself.
 * Which categories each trainee is counted in is written too (`counted:<trainee>` rows, as the projection keeps
 * them), so that a live projection may go on from the loaded table (definitions-check.ts checkLiveFactOnBulkLoad).
 * The read model keeps every count whole: hiding a category's small counts and rounding the wage medians
 * are the reader's (figures/region-figures.ts), on the sums, so nothing of them is loaded here.
 * Every definition is exact; the check at a small size (definitions-check.ts) compares the result with
 * the projection's own shares, computed by its TypeScript, row for row.
 */
export function loadSteps(indexes: ReadModelIndexes): TimedStep[] {
  return [
    {
      name: 'hires: the level held in the hire’s occupation on its start date',
      sql: `
      SET search_path = ${FACTS};
      CREATE OR REPLACE FUNCTION regions_counting(region text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN region IS NULL THEN ARRAY['000000']
                    WHEN right(region, 4) = '0000' THEN ARRAY[region, '000000']
                    WHEN right(region, 2) = '00' THEN ARRAY[region, left(region, 2) || '0000', '000000']
                    ELSE ARRAY[region, left(region, 4) || '00', left(region, 2) || '0000', '000000'] END $$;
      CREATE OR REPLACE FUNCTION periods_of(day date) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT ARRAY[to_char(day, 'YYYY-MM'), to_char(day, 'YYYY-"Q"Q'), to_char(day, 'YYYY')] $$;
      CREATE UNLOGGED TABLE load_hires AS
      SELECT h.trainee_id, h.occupation_code, h.employer_region, h.start_date, h.monthly_wage, coalesce((${LEVELS})[held.rank], 'none') AS level
      FROM hires h LEFT JOIN (
        SELECT h.hire_id, max(c.rank) AS rank FROM hires h
        JOIN certificates c ON c.trainee_id = h.trainee_id AND c.occupation_code = h.occupation_code
                           AND c.certified_on <= h.start_date AND (c.revoked_on IS NULL OR h.start_date < c.revoked_on)
        GROUP BY h.hire_id) held USING (hire_id);`,
    },
    {
      name: 'counts at the finest grain (own region, month, occupation, category)',
      sql: `
      CREATE UNLOGGED TABLE load_fine AS
      WITH items AS NOT MATERIALIZED (
        SELECT trainee_id, provider_region AS region, assessed_on AS day, occupation_code, 'sessions' AS figure, '' AS dimension FROM assessments
        UNION ALL
        SELECT trainee_id, evaluator_region, certified_on, occupation_code, 'certificates', dimension
        FROM certificates, unnest(ARRAY['', 'level:' || level, 'route:' || route]) dimension
        UNION ALL
        SELECT trainee_id, evaluator_region, revoked_on, occupation_code, 'revocations', '' FROM certificates WHERE revoked_on IS NOT NULL
        UNION ALL
        SELECT trainee_id, employer_region, start_date, occupation_code, figure, dimension
        FROM load_hires, LATERAL (VALUES ('hires', ''), ('wages', level || ':' || monthly_wage)) f(figure, dimension)
      )
      SELECT region, to_char(day, 'YYYY-MM') AS month, occupation_code, category, figure, dimension, count(*) AS value
      FROM (SELECT items.*, '*' AS category FROM items UNION ALL SELECT items.*, c.category FROM items JOIN trainee_categories c USING (trainee_id)) each_category
      GROUP BY 1, 2, 3, 4, 5, 6;`,
    },
    {
      name: 'counts rolled up: all occupations, quarters, years',
      sql: `
      CREATE UNLOGGED TABLE load_periods AS
      WITH occupations AS MATERIALIZED (
        SELECT * FROM load_fine
        UNION ALL
        SELECT region, month, '*', category, figure, dimension, sum(value) FROM load_fine GROUP BY region, month, category, figure, dimension
      )
      SELECT region, month AS period, occupation_code, category, figure, dimension, value FROM occupations
      UNION ALL
      SELECT region, left(month, 4) || '-Q' || ((substr(month, 6, 2)::int + 2) / 3), occupation_code, category, figure, dimension, sum(value) FROM occupations GROUP BY 1, 2, 3, 4, 5, 6
      UNION ALL
      SELECT region, left(month, 4), occupation_code, category, figure, dimension, sum(value) FROM occupations GROUP BY 1, 2, 3, 4, 5, 6;
      DROP TABLE load_fine;`,
    },
    {
      name: 'counts rolled up: counties, cities, provinces, country → region_statistics',
      // A county's rows are its own; a city's, its own and its counties'; a province's, its cities' and its
      // own; the country's, the provinces' and those of unknown region (periods.ts regionsCounting).
      sql: `
      INSERT INTO ${READ_MODEL} (${COLUMNS})
      WITH cities AS MATERIALIZED (
        SELECT left(region, 4) || '00' AS region, occupation_code, period, category, figure, dimension, sum(value) AS value
        FROM load_periods WHERE right(region, 4) <> '0000' GROUP BY 1, 2, 3, 4, 5, 6
      ), provinces AS MATERIALIZED (
        SELECT left(region, 2) || '0000' AS region, occupation_code, period, category, figure, dimension, sum(value) AS value
        FROM (SELECT * FROM cities UNION ALL SELECT region, occupation_code, period, category, figure, dimension, value FROM load_periods WHERE right(region, 4) = '0000') own
        GROUP BY 1, 2, 3, 4, 5, 6
      )
      SELECT region, occupation_code, period, category, figure, dimension, value FROM load_periods WHERE right(region, 2) <> '00'
      UNION ALL
      SELECT * FROM cities
      UNION ALL
      SELECT * FROM provinces
      UNION ALL
      SELECT '000000', occupation_code, period, category, figure, dimension, sum(value)
      FROM (SELECT * FROM provinces UNION ALL SELECT region, occupation_code, period, category, figure, dimension, value FROM load_periods WHERE region IS NULL) country
      GROUP BY 2, 3, 4, 5, 6;
      DROP TABLE load_periods; DROP TABLE load_hires;`,
    },
    {
      name: 'people trained and passed (distinct per trainee at every level)',
      sql: `
      INSERT INTO ${READ_MODEL} (${COLUMNS})
      WITH cells AS (
        -- Read in trainee order, so each trainee's few cells are deduplicated by a small sort of their own.
        SELECT trainee_id, region, period, occupation, bool_or(passed) AS passed
        FROM (SELECT * FROM assessments ORDER BY trainee_id) a, unnest(regions_counting(provider_region)) region, unnest(periods_of(assessed_on)) period, unnest(ARRAY['*', occupation_code]) occupation
        GROUP BY 1, 2, 3, 4
      ), counted AS (
        SELECT region, occupation, period, category, count(*) AS trained, count(*) FILTER (WHERE passed) AS passed
        FROM (SELECT cells.*, '*' AS category FROM cells UNION ALL SELECT cells.*, c.category FROM cells JOIN trainee_categories c USING (trainee_id)) each_category
        GROUP BY 1, 2, 3, 4
      )
      SELECT region, occupation, period, category, figure, '', value
      FROM counted, LATERAL (VALUES ('trained', trained), ('passed', passed)) f(figure, value) WHERE value <> 0;`,
    },
    {
      name: 'new high-skill talents (the first day at a high-skill level)',
      sql: `
      INSERT INTO ${READ_MODEL} (${COLUMNS})
      WITH high AS (
        -- Only a level held for a day makes anyone high-skill talent (TraineeFacts.everHeld): a certificate revoked on or
        -- before its issue day is left out, both as a first day and as the region counting it.
        SELECT trainee_id, occupation_code, certified_on, evaluator_region,
               min(certified_on) OVER (PARTITION BY trainee_id) AS first_in_all,
               min(certified_on) OVER (PARTITION BY trainee_id, occupation_code) AS first_in_occupation
        FROM certificates WHERE rank >= 4 AND (revoked_on IS NULL OR revoked_on > certified_on)
      ), firsts AS (
        SELECT trainee_id, '*' AS scope, certified_on, evaluator_region FROM high WHERE certified_on = first_in_all
        UNION ALL
        SELECT trainee_id, occupation_code, certified_on, evaluator_region FROM high WHERE certified_on = first_in_occupation
      ), cells AS (
        SELECT DISTINCT trainee_id, scope, region, period FROM firsts, unnest(regions_counting(evaluator_region)) region, unnest(periods_of(certified_on)) period
      )
      SELECT region, scope, period, category, 'newHighSkill', '', count(*)
      FROM (SELECT cells.*, '*' AS category FROM cells UNION ALL SELECT cells.*, c.category FROM cells JOIN trainee_categories c USING (trainee_id)) each_category
      GROUP BY 1, 2, 3, 4;`,
    },
    {
      name: 'standing high-skill talents (monthly +1/−1)',
      // TraineeFacts.currentIn: the highest level held that day; of equals the earliest certified_on, then the lowest
      // certificate number, as the ladder shows the current one (so the region standing is the ladder's). The projection's
      // number is the text of certificate_id (definitions-check.ts), compared as strings in C collation (TraineeFacts.before:
      // '10' before '9'), so the order is certificate_id::text COLLATE "C", not the bigint.
      // Pairs: only occupations with a high-skill certificate ever held (one revoked on its issue day never makes a span).
      sql: `
      INSERT INTO ${READ_MODEL} (${COLUMNS})
      WITH pairs AS (
        SELECT DISTINCT trainee_id, occupation_code FROM certificates WHERE rank >= 4 AND (revoked_on IS NULL OR revoked_on > certified_on)
      ), days AS (
        SELECT DISTINCT c.trainee_id, c.occupation_code, d.day
        FROM certificates c JOIN pairs USING (trainee_id, occupation_code), LATERAL (VALUES (c.certified_on), (c.revoked_on)) d(day)
        WHERE d.day IS NOT NULL
      ), current AS (
        SELECT DISTINCT ON (d.trainee_id, d.occupation_code, d.day) d.trainee_id, d.occupation_code, d.day, c.rank, c.evaluator_region
        FROM days d LEFT JOIN certificates c ON c.trainee_id = d.trainee_id AND c.occupation_code = d.occupation_code
                                            AND c.certified_on <= d.day AND (c.revoked_on IS NULL OR d.day < c.revoked_on)
        ORDER BY d.trainee_id, d.occupation_code, d.day, c.rank DESC NULLS LAST, c.certified_on, c.certificate_id::text COLLATE "C"
      ), spans AS (
        SELECT trainee_id, occupation_code, day, lead(day) OVER (PARTITION BY trainee_id, occupation_code ORDER BY day) AS until, rank, evaluator_region FROM current
      ), steps AS (
        SELECT trainee_id, occupation_code, region, month, step
        FROM spans, unnest(regions_counting(evaluator_region)) region,
             LATERAL (VALUES (to_char(day, 'YYYY-MM'), 1), (to_char(until, 'YYYY-MM'), -1)) e(month, step)
        WHERE rank >= 4 AND month IS NOT NULL
      ), scoped AS (
        SELECT trainee_id, occupation_code AS scope, region, month, sum(step) AS step FROM steps GROUP BY 1, 2, 3, 4
        UNION ALL
        SELECT trainee_id, '*', region, month, sum(step) FROM steps GROUP BY 1, 3, 4
      ), standing AS (
        SELECT trainee_id, scope, region, month, (sum(step) OVER (PARTITION BY trainee_id, scope, region ORDER BY month) > 0)::int AS stands FROM scoped
      ), changes AS (
        SELECT trainee_id, scope, region, month, stands - lag(stands, 1, 0) OVER (PARTITION BY trainee_id, scope, region ORDER BY month) AS change FROM standing
      ), nonzero AS (
        SELECT * FROM changes WHERE change <> 0
      )
      SELECT region, scope, month, category, 'highSkillDelta', '', sum(change)
      FROM (SELECT nonzero.*, '*' AS category FROM nonzero UNION ALL SELECT nonzero.*, c.category FROM nonzero JOIN trainee_categories c USING (trainee_id)) each_category
      GROUP BY 1, 2, 3, 4 HAVING sum(change) <> 0;`,
    },
    {
      name: 'categories counted (counted:<trainee>, up to their last fact)',
      // As the projection keeps them (read-models/categories-counted.ts): for each trainee in a category, one row a
      // category, region `counted:<trainee>`, figure `counted`, and in `value` the version of their statistics stream
      // the shares in their categories were counted up to: their last fact's. A live projection applying a later fact
      // of theirs on top of this table takes their categories' shares up to that version back before adding them
      // with the new fact (trainee-shares.ts countInCategories); without these rows it would count them a second time.
      // Their stream is taken to hold their facts as definitions-check.ts reads them: their categories first, then
      // each assessment, certificate (and its revocation) and hire: one version each.
      sql: `
      INSERT INTO ${READ_MODEL} (${COLUMNS})
      WITH facts AS (
        SELECT trainee_id, count(*) AS facts FROM (
          SELECT trainee_id FROM assessments
          UNION ALL SELECT trainee_id FROM certificates
          UNION ALL SELECT trainee_id FROM certificates WHERE revoked_on IS NOT NULL
          UNION ALL SELECT trainee_id FROM hires) each_fact
        GROUP BY trainee_id
      )
      SELECT 'counted:' || c.trainee_id, '*', '', c.category, 'counted', '', 1 + coalesce(f.facts, 0)
      FROM trainee_categories c LEFT JOIN facts f USING (trainee_id);`,
    },
    {
      name: 'primary key and standing index',
      sql: [
        ...indexes.constraints.map(({ name, definition }) => `ALTER TABLE ${READ_MODEL} ADD CONSTRAINT ${name} ${definition};`),
        ...indexes.indexes.map(({ definition }) => `${definition};`),
      ].join('\n'),
    },
    // As autovacuum would soon after so many inserts (and would, in the middle of the timings): hint bits,
    // the visibility map (the standing sums are index-only scans), statistics.
    { name: 'vacuum, analyze', sql: `VACUUM (ANALYZE) ${READ_MODEL}` },
  ];
}

/** Loads region_statistics from the facts (the read model's key and index dropped first, built last); seconds. */
export async function loadRegionStatistics(sql: Client, log: (line: string) => void, deadline?: number): Promise<{ seconds: number; rows: number }> {
  // Aggregates of tens of millions of rows: memory spares them most of their spilling to disk.
  await sql.query(`SET work_mem = '1GB'; SET hash_mem_multiplier = 1; SET maintenance_work_mem = '2GB'`);
  const indexes = await dropReadModelIndexes(sql);
  const { seconds } = await timedSteps(sql, loadSteps(indexes), log, deadline);
  const { rows } = await sql.query<{ n: string }>(`SELECT reltuples::bigint::text AS n FROM pg_class WHERE oid = '${READ_MODEL}'::regclass`);
  return { seconds, rows: Number(rows[0].n) };
}
