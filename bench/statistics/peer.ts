import { TRAINEE_CATEGORIES } from '@skills/contracts';
import { SKILL_LEVELS } from '@skills/domain-kernel';
import { Client } from 'pg';
import {
  CategoryFigures,
  CERTIFICATE_ROUTES,
  RegionFigures,
  SMALLEST_CATEGORY_CELL,
  SMALLEST_WAGE_CELL,
  WAGE_LEVELS,
  WAGE_ROUNDING,
} from '../../services/brand-service/src/statistics/figures/region-figures';
import { FACTS, FIRST_DAY } from './national-data';

/** A province's answer for a year, as the route gives it: everyone's figures and each category's (its small cells null). */
export type ProvinceFigures = RegionFigures & { byCategory: Record<string, CategoryFigures> };

const LEVELS = `ARRAY[${SKILL_LEVELS.map((level) => `'${level}'`).join(', ')}]`;

/** The rows of `relation` (a query with a trainee_id column) once under `*` and once under each of the trainee's categories. */
const eachCategory = (relation: string) =>
  `(WITH base AS (${relation}) SELECT base.*, '*' AS category FROM base UNION ALL SELECT base.*, c.category FROM base JOIN ${FACTS}.trainee_categories c USING (trainee_id))`;

/** The facts of one province and one year that its answer counts, as queries with a trainee_id column. */
function provinceYearFacts(provinceCode: string, year: number) {
  if (!/^\d{2}0000$/.test(provinceCode) || !Number.isInteger(year)) throw new Error(`a province code (xx0000) and a year, not ${provinceCode} ${year}`);
  const inProvince = (column: string) => `${column} BETWEEN '${provinceCode.slice(0, 2)}0000' AND '${provinceCode.slice(0, 2)}9999'`;
  const to = `DATE '${year}-12-31'`;
  const inYear = (column: string) => `${column} BETWEEN DATE '${year}-01-01' AND ${to}`;
  const heldOn = (alias: string, day: string) => `${alias}.certified_on <= ${day} AND (${alias}.revoked_on IS NULL OR ${day} < ${alias}.revoked_on)`;
  // A certificate revoked on or before its issue day was never held (TraineeFacts.everHeld): no level on any day, so nobody's high-skill day.
  const everHeld = (alias: string) => `(${alias}.revoked_on IS NULL OR ${alias}.revoked_on > ${alias}.certified_on)`;
  // The certificate number the projection compares is the text of certificate_id (definitions-check.ts gives it so), and it
  // compares numbers as strings in C collation (TraineeFacts.before): '10' before '9'. So the tie order is the text, not the bigint.
  const numberOf = (alias: string) => `(${alias}.certificate_id::text COLLATE "C")`;
  return {
    assessments: `SELECT trainee_id, passed FROM assessments WHERE ${inProvince('provider_region')} AND ${inYear('assessed_on')}`,
    certificates: `SELECT trainee_id, level, route FROM certificates WHERE ${inProvince('evaluator_region')} AND ${inYear('certified_on')}`,
    revocations: `SELECT trainee_id FROM certificates WHERE ${inProvince('evaluator_region')} AND ${inYear('revoked_on')}`,
    // The people whose first high-skill day (in all occupations) is in the year, with a certificate of that day from the province.
    // Only certificates ever held count, on both sides: one revoked on its issue day makes nobody high-skill talent, nor is its day anyone's first.
    newHighSkill: `SELECT DISTINCT c.trainee_id FROM certificates c
       WHERE ${inProvince('c.evaluator_region')} AND ${inYear('c.certified_on')} AND c.rank >= 4 AND ${everHeld('c')}
         AND c.certified_on = (SELECT min(f.certified_on) FROM certificates f WHERE f.trainee_id = c.trainee_id AND f.rank >= 4 AND ${everHeld('f')})`,
    // The people whose level in some occupation on the year's last day is high-skill and from the province (TraineeFacts.currentIn):
    // c is that certificate when no other held that day beats it: a higher rank, or the same rank and issued first (an earlier
    // certifiedOn, then a lower certificate number), as the ladder chooses the current one. (heldOn already leaves out one never held.)
    highSkill: `SELECT DISTINCT c.trainee_id FROM certificates c
       WHERE ${inProvince('c.evaluator_region')} AND c.rank >= 4 AND ${heldOn('c', to)}
         AND NOT EXISTS (SELECT 1 FROM certificates o WHERE o.trainee_id = c.trainee_id AND o.occupation_code = c.occupation_code AND ${heldOn('o', to)}
                           AND (o.rank > c.rank
                                OR (o.rank = c.rank AND o.certified_on < c.certified_on)
                                OR (o.rank = c.rank AND o.certified_on = c.certified_on AND ${numberOf('o')} < ${numberOf('c')})))`,
    // Each hire with the level its worker held in the hire's occupation on the start date (the rank alone: which of equals is current does not change it).
    hires: `SELECT h.trainee_id, h.monthly_wage, coalesce((${LEVELS})[(
           SELECT max(c.rank) FROM certificates c WHERE c.trainee_id = h.trainee_id AND c.occupation_code = h.occupation_code AND ${heldOn('c', 'h.start_date')})], 'none') AS level
         FROM hires h WHERE ${inProvince('h.employer_region')} AND ${inYear('h.start_date')}`,
  };
}

/**
 * The figures of one province and one year computed from the fact tables on every request, with the
 * definitions of domain.md section 6 written as plain SQL (distinct people, the first high-skill day, the
 * level held on a date), through the fact tables' indexes (by region and date, by trainee). One round trip.
 * The counts are every category's whole counts; which of a category's are shown is provinceYearPeer's part.
 */
export function provinceYearFromFacts(provinceCode: string, year: number): string {
  const facts = provinceYearFacts(provinceCode, year);
  return `
    SET search_path = ${FACTS};
    SELECT category, figure, '' AS dimension, value::float8 FROM (
      SELECT category, count(*) AS sessions, count(DISTINCT trainee_id) AS trained, count(DISTINCT trainee_id) FILTER (WHERE passed) AS passed
      FROM ${eachCategory(facts.assessments)} a GROUP BY category
    ) training, LATERAL (VALUES ('sessions', sessions), ('trained', trained), ('passed', passed)) f(figure, value);

    SELECT category, 'certificates' AS figure, dimension, count(*)::float8 AS value
    FROM ${eachCategory(facts.certificates)} c, unnest(ARRAY['', 'level:' || level, 'route:' || route]) dimension
    GROUP BY category, dimension;

    SELECT category, 'revocations' AS figure, '' AS dimension, count(*)::float8 AS value FROM ${eachCategory(facts.revocations)} r GROUP BY category;

    SELECT category, 'newHighSkill' AS figure, '' AS dimension, count(*)::float8 AS value FROM ${eachCategory(facts.newHighSkill)} n GROUP BY category;

    SELECT category, 'highSkill' AS figure, '' AS dimension, count(*)::float8 AS value FROM ${eachCategory(facts.highSkill)} s GROUP BY category;

    -- The median (of an even count the mean of the middle two: a multiple of 50), shown from ${SMALLEST_WAGE_CELL} hires, to the nearest
    -- ${WAGE_ROUNDING} yuan with halves up as Math.round does (6750 → 6800): floor(x + 0.5), not round() of a float8, which rounds
    -- halves to even (6650 would give 6600). Rounded so that overlapping answers do not give a hidden wage by difference.
    SELECT category, figure, dimension, value FROM (
      SELECT category, level, count(*) AS hires, percentile_cont(0.5) WITHIN GROUP (ORDER BY monthly_wage) AS median
      FROM ${eachCategory(facts.hires)} h GROUP BY category, level
    ) wages, LATERAL (VALUES ('hires', '', hires::float8), ('wageMedian', level, CASE WHEN hires >= ${SMALLEST_WAGE_CELL} THEN floor(median / ${WAGE_ROUNDING} + 0.5) * ${WAGE_ROUNDING} END)) f(figure, dimension, value);`;
}

/**
 * For a size whose read model is not built: how many rows of region_statistics the answer would read,
 * from the facts. The period's rows exactly (a row per category, figure and dimension with something in
 * it: the wage histogram's level:wage cells are most of them); the standing high-skill rows, one per
 * category and month up to the period's end, as an upper bound.
 */
export async function answerRowsFromFacts(sql: Client, provinceCode: string, year: number): Promise<{ period: number; standingAtMost: number }> {
  const facts = provinceYearFacts(provinceCode, year);
  const { rows } = await sql.query<{ n: string }>(`
    SET search_path = ${FACTS};
    SELECT (
      (SELECT count(DISTINCT category) * 2 + count(DISTINCT category) FILTER (WHERE passed) FROM ${eachCategory(facts.assessments)} a)
    + (SELECT count(*) FROM (SELECT DISTINCT category, dimension FROM ${eachCategory(facts.certificates)} c, unnest(ARRAY['', 'level:' || level, 'route:' || route]) dimension) d)
    + (SELECT count(DISTINCT category) FROM ${eachCategory(facts.revocations)} r)
    + (SELECT count(DISTINCT category) FROM ${eachCategory(facts.newHighSkill)} n)
    + (SELECT count(DISTINCT category) FROM ${eachCategory(facts.hires)} h)
    + (SELECT count(*) FROM (SELECT DISTINCT category, level, monthly_wage FROM ${eachCategory(facts.hires)} h) w)
    )::text AS n`).then((results) => (results as unknown as { rows: { n: string }[] }[])[1]);
  const months = (year - Number(FIRST_DAY.slice(0, 4)) + 1) * 12;
  return { period: Number(rows[0].n), standingAtMost: months * (TRAINEE_CATEGORIES.length + 1) };
}

interface PeerRow {
  category: string;
  figure: string;
  dimension: string;
  value: number | null;
}

/** Runs the peer; its figures in the answer's shape. */
export async function provinceYearPeer(sql: Client, provinceCode: string, year: number): Promise<ProvinceFigures> {
  const results = (await sql.query(provinceYearFromFacts(provinceCode, year))) as unknown as { rows: PeerRow[] }[];
  const rows = results.flatMap((result) => result.rows ?? []);
  const figuresOf = (category: string): RegionFigures => {
    const mine = rows.filter((row) => row.category === category);
    const value = (figure: string, dimension = '') => mine.filter((row) => row.figure === figure && row.dimension === dimension).reduce((total, row) => total + (row.value ?? 0), 0);
    const trained = value('trained');
    const passed = value('passed');
    const medians = new Map(mine.filter((row) => row.figure === 'wageMedian').map((row) => [row.dimension, row.value]));
    return {
      trainingSessions: value('sessions'),
      trained,
      passed,
      passRate: trained === 0 ? 0 : Math.round((passed / trained) * 10_000) / 10_000,
      certificatesIssued: value('certificates'),
      certificatesByLevel: Object.fromEntries(SKILL_LEVELS.map((level) => [level, value('certificates', `level:${level}`)])),
      certificatesByRoute: Object.fromEntries(CERTIFICATE_ROUTES.map((route) => [route, value('certificates', `route:${route}`)])),
      revocations: value('revocations'),
      newHighSkillTalents: value('newHighSkill'),
      highSkillTalents: value('highSkill'),
      hires: value('hires'),
      medianMonthlyWageByLevel: Object.fromEntries(WAGE_LEVELS.filter((level) => medians.has(level)).map((level) => [level, medians.get(level) ?? null])),
    };
  };
  const everyone = figuresOf('*');
  const levels = Object.keys(everyone.medianMonthlyWageByLevel);
  return { ...everyone, byCategory: Object.fromEntries(TRAINEE_CATEGORIES.map((category) => [category, asShown(figuresOf(category), levels)])) };
}

/**
 * A category's figures as the answer shows them (docs/statistics.md, Categories), written out here rather
 * than borrowed from the service, so that the comparison checks its rule too: a count under 5 is null, 0
 * included (a bureau reads its region's rosters, and a small count would say who on one is, say, disabled;
 * a 0 shown would make a null say "1 to 4"); the sessions only where the people trained are shown, the pass
 * rate only where trained and passed both are; the wage medians for the levels of everyone's answer, each
 * null under 5 of the category's hires (the SQL's median is null there already; a level without any of the
 * category's hires is null too), so that which levels its hires had is not told.
 */
function asShown(figures: RegionFigures, everyonesLevels: string[]): CategoryFigures {
  const shown = (count: number) => (count >= SMALLEST_CATEGORY_CELL ? count : null);
  const each = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).map(([key, count]) => [key, shown(count)]));
  const trained = shown(figures.trained);
  const passed = shown(figures.passed);
  return {
    trainingSessions: trained === null ? null : shown(figures.trainingSessions),
    trained,
    passed,
    passRate: trained !== null && passed !== null ? figures.passRate : null,
    certificatesIssued: shown(figures.certificatesIssued),
    certificatesByLevel: each(figures.certificatesByLevel),
    certificatesByRoute: each(figures.certificatesByRoute),
    revocations: shown(figures.revocations),
    newHighSkillTalents: shown(figures.newHighSkillTalents),
    highSkillTalents: shown(figures.highSkillTalents),
    hires: shown(figures.hires),
    medianMonthlyWageByLevel: Object.fromEntries(everyonesLevels.map((level) => [level, figures.medianMonthlyWageByLevel[level] ?? null])),
  };
}

/** How many of the categories' cells the answer shows (not null), and how many there are: what of them the comparison compared. */
export function categoryCellsShown(figures: ProvinceFigures): { shown: number; cells: number } {
  const leaves = Object.values(figures.byCategory).flatMap((category) =>
    Object.values(category).flatMap((value: number | null | Record<string, number | null>) => (value !== null && typeof value === 'object' ? Object.values(value) : [value])),
  );
  return { shown: leaves.filter((value) => value !== null).length, cells: leaves.length };
}

/**
 * Where two answers differ, figure by figure (empty when they agree). A cell not shown is null on either
 * side and must be null on the other; a key on one side only (a wage level in one answer, not the other)
 * is a difference too, printed as absent.
 */
export function differences(http: ProvinceFigures, peer: ProvinceFigures): string[] {
  const found: string[] = [];
  const shown = (value: unknown) => (value === undefined ? 'absent' : JSON.stringify(value));
  const walk = (a: unknown, b: unknown, path: string) => {
    if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const key of keys) walk((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
    } else if (a !== b) found.push(`${path}: over HTTP ${shown(a)}, from the facts ${shown(b)}`);
  };
  walk(http, peer, '');
  return found;
}
