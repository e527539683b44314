import { LevelCertifiedV1, TRAINEE_CATEGORIES } from '@skills/contracts';
import { publishedWage, SKILL_LEVELS, SMALLEST_WAGE_CELL } from '@skills/domain-kernel';
import { ALL } from './trainee-figures';

export const CERTIFICATE_ROUTES: LevelCertifiedV1['route'][] = ['assessment', 'direct', 'exceptional', 'appointment', 'imported'];

/** A hire's level when its holder held none in the hire's occupation on the start date. */
export const NO_LEVEL = 'none';
export const WAGE_LEVELS = [...SKILL_LEVELS, NO_LEVEL] as const;

export { SMALLEST_WAGE_CELL, WAGE_ROUNDING } from '@skills/domain-kernel';

/**
 * A category's figure counting fewer than this is not shown (null), 0 included: a bureau reads the rosters of
 * its region, and "1 disabled person trained" beside a roster of one says who is disabled (domain.md sections
 * 7 and 9). A 0 shown would make a null say "1 to 4", so it is hidden as well.
 */
export const SMALLEST_CATEGORY_CELL = 5;

export interface RegionFigures {
  trainingSessions: number;
  trained: number;
  passed: number;
  passRate: number;
  certificatesIssued: number;
  certificatesByLevel: Record<string, number>;
  certificatesByRoute: Record<string, number>;
  revocations: number;
  newHighSkillTalents: number;
  highSkillTalents: number;
  hires: number;
  /** Per level held on the start date: the median to the nearest 100 yuan, or null where fewer than 5 hires make the cell. */
  medianMonthlyWageByLevel: Record<string, number | null>;
}

/**
 * A category's figures: each count under 5 is null (0 too), the pass rate only where both its counts are
 * shown, the sessions only where the people trained are; a wage cell for each level of everyone's answer,
 * null under 5 hires (so which levels a category's hires had is not told either).
 */
export interface CategoryFigures {
  trainingSessions: number | null;
  trained: number | null;
  passed: number | null;
  passRate: number | null;
  certificatesIssued: number | null;
  certificatesByLevel: Record<string, number | null>;
  certificatesByRoute: Record<string, number | null>;
  revocations: number | null;
  newHighSkillTalents: number | null;
  highSkillTalents: number | null;
  hires: number | null;
  medianMonthlyWageByLevel: Record<string, number | null>;
}

export interface StoredShare {
  category: string;
  figure: string;
  dimension: string;
  value: number;
}

/** The figures of everyone (`*`) and of each category, from a region's rows for one period and the standing sums. */
export function regionFigures(rows: StoredShare[], standing: Map<string, number>): RegionFigures & { byCategory: Record<string, CategoryFigures> } {
  const everyone = figuresOf(rows.filter((row) => row.category === ALL), standing.get(ALL) ?? 0);
  const levels = Object.keys(everyone.medianMonthlyWageByLevel);
  const byCategory = Object.fromEntries(
    TRAINEE_CATEGORIES.map((category) => [category, withoutSmallCells(figuresOf(rows.filter((row) => row.category === category), standing.get(category) ?? 0), levels)]),
  );
  return { ...everyone, byCategory };
}

/** A category's figures as shown: SMALLEST_CATEGORY_CELL and CategoryFigures. */
export function withoutSmallCells(figures: RegionFigures, wageLevels: string[]): CategoryFigures {
  const shown = (count: number) => (count < SMALLEST_CATEGORY_CELL ? null : count);
  const each = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).map(([key, count]) => [key, shown(count)]));
  const trained = shown(figures.trained);
  const passed = shown(figures.passed);
  return {
    trainingSessions: trained === null ? null : shown(figures.trainingSessions),
    trained,
    passed,
    passRate: trained === null || passed === null ? null : figures.passRate,
    certificatesIssued: shown(figures.certificatesIssued),
    certificatesByLevel: each(figures.certificatesByLevel),
    certificatesByRoute: each(figures.certificatesByRoute),
    revocations: shown(figures.revocations),
    newHighSkillTalents: shown(figures.newHighSkillTalents),
    highSkillTalents: shown(figures.highSkillTalents),
    hires: shown(figures.hires),
    // The median is already null under 5 hires; everyone's levels, so that a level's presence says nothing of the category.
    medianMonthlyWageByLevel: Object.fromEntries(wageLevels.map((level) => [level, figures.medianMonthlyWageByLevel[level] ?? null])),
  };
}

function figuresOf(rows: StoredShare[], highSkillTalents: number): RegionFigures {
  const sum = (figure: string, dimension = '') => rows.filter((row) => row.figure === figure && row.dimension === dimension).reduce((total, row) => total + row.value, 0);
  const trained = sum('trained');
  const passed = sum('passed');
  const wages = new Map<string, { wage: number; hires: number }[]>();
  for (const row of rows.filter((candidate) => candidate.figure === 'wages')) {
    const [level, wage] = row.dimension.split(':');
    wages.set(level, [...(wages.get(level) ?? []), { wage: Number(wage), hires: row.value }]);
  }
  return {
    trainingSessions: sum('sessions'),
    trained,
    passed,
    passRate: trained === 0 ? 0 : Math.round((passed / trained) * 10_000) / 10_000,
    certificatesIssued: sum('certificates'),
    certificatesByLevel: Object.fromEntries(SKILL_LEVELS.map((level) => [level, sum('certificates', `level:${level}`)])),
    certificatesByRoute: Object.fromEntries(CERTIFICATE_ROUTES.map((route) => [route, sum('certificates', `route:${route}`)])),
    revocations: sum('revocations'),
    newHighSkillTalents: sum('newHighSkill'),
    highSkillTalents,
    hires: sum('hires'),
    // A level appears where there were hires: a level's rows stay in the sums with 0 once their hires moved
    // to another (a backdated certificate), and such a level is no cell of fewer than 5 hires (null).
    medianMonthlyWageByLevel: Object.fromEntries(WAGE_LEVELS.filter((level) => hiresIn(wages.get(level)) > 0).map((level) => [level, median(wages.get(level) ?? [])])),
  };
}

/** How many hires a wage histogram holds (none for a level without one). */
function hiresIn(histogram: { wage: number; hires: number }[] = []): number {
  return histogram.reduce((total, bar) => total + bar.hires, 0);
}

/** The median of a wage histogram (the mean of the middle two of an even count), to the nearest 100 yuan; null for a cell under 5 hires. */
export function median(histogram: { wage: number; hires: number }[]): number | null {
  const sorted = histogram.filter((bar) => bar.hires > 0).sort((a, b) => a.wage - b.wage);
  const count = sorted.reduce((total, bar) => total + bar.hires, 0);
  if (count < SMALLEST_WAGE_CELL) return null;
  const at = (index: number) => {
    let seen = 0;
    for (const bar of sorted) {
      seen += bar.hires;
      if (index < seen) return bar.wage;
    }
    return sorted[sorted.length - 1].wage;
  };
  const exact = count % 2 === 1 ? at((count - 1) / 2) : (at(count / 2 - 1) + at(count / 2)) / 2;
  return publishedWage(exact);
}
