import { HIGHEST_CERTIFIED_LEVEL, levelAtRank, rankOf, SKILL_LEVELS, type EvaluatorKind, type SkillLevel } from '@skills/domain-kernel';

export const CERTIFICATION_ROUTES = ['assessment', 'exceptional', 'direct', 'appointment'] as const;
export type CertificationRoute = (typeof CERTIFICATION_ROUTES)[number];

/** The routes only an employer (用人单位) certifies by (domain.md section 2): a social training evaluation organisation does not. */
export const EMPLOYER_ONLY_ROUTES: readonly CertificationRoute[] = ['direct', 'appointment'];

export const EXCEPTIONAL_REASONS = ['major_technical_breakthrough', 'provincial_award', 'mentorship_achievement', 'competition_award'] as const;
export type ExceptionalReason = (typeof EXCEPTIONAL_REASONS)[number];

const CEILING = rankOf(HIGHEST_CERTIFIED_LEVEL);

/**
 * The level a certification builds on: the one held on its certifiedOn (the certification service judges
 * it so: a record of an earlier year goes below the level held today), null for none, or 'unknown' when
 * the ladder read does not tell (an evaluator's staff not related to the person read the current level
 * and its date only, no history).
 */
export type HeldLevel = SkillLevel | null | 'unknown';

/** One occupation of GET /api/v1/ladder/trainees/{traineeId}, as far as the form reads it. */
export interface LadderRung {
  occupationCode: string;
  /** The highest valid certificate's level, null when every certificate was revoked. */
  level: SkillLevel | null;
  /** That certificate's date. */
  certifiedOn: string | null;
  /** Every certificate, oldest first; empty when the caller is given the levels only. */
  history: ReadonlyArray<{ level: SkillLevel; certifiedOn: string; status: 'valid' | 'revoked' }>;
}

/**
 * The level held on `date` (YYYY-MM-DD) in the occupation of `rung` (undefined: no certificate in it),
 * as the certification service reads it: the highest certificate standing now dated on or before it
 * (a revoked one gives no level to build on). Without the history, only a date on or after the current
 * level's own is known (that level: it is the highest); before it, the level is not known.
 */
export function levelHeldOn(rung: LadderRung | undefined, date: string): HeldLevel {
  if (!rung || rung.level === null) return null;
  if (rung.history.length === 0) return rung.certifiedOn !== null && date >= rung.certifiedOn ? rung.level : 'unknown';
  return rung.history.reduce<SkillLevel | null>(
    (best, held) => (held.status === 'valid' && held.certifiedOn <= date && (!best || rankOf(held.level) > rankOf(best)) ? held.level : best),
    null,
  );
}

/** Every level a route gives from some level (or none): what it may reach from a level not known. */
const everReached = (route: CertificationRoute): SkillLevel[] => SKILL_LEVELS.filter((level) => [null, ...SKILL_LEVELS].some((from) => reachableLevels(route, from).includes(level)));

/**
 * The targets each route reaches from the level held (domain.md section 2): assessment one rung
 * (apprentice or junior as a first level), exceptional up to two, direct junior to senior_technician
 * while unrated, appointment the rung above senior_technician or special_technician; from a level not
 * known, every level the route gives from any. The certification service's dry run is the final word
 * (the evaluator's kind, employment, dates, later certificates).
 */
export function reachableLevels(route: CertificationRoute, held: HeldLevel): SkillLevel[] {
  if (held === 'unknown') return everReached(route);
  const rank = held ? rankOf(held) : 0;
  const ranks = (from: number, to: number) => SKILL_LEVELS.filter((level) => rankOf(level) >= from && rankOf(level) <= to);
  switch (route) {
    case 'assessment':
      return rank === 0 ? ['apprentice', 'junior'] : ranks(rank + 1, Math.min(rank + 1, CEILING));
    case 'exceptional':
      return ranks(rank + 1, Math.min(rank + 2, CEILING));
    case 'direct':
      return rank === 0 ? ranks(rankOf('junior'), CEILING) : [];
    case 'appointment': {
      const next = levelAtRank(rank + 1);
      return next && rank >= CEILING ? [next] : [];
    }
  }
}

/**
 * The routes that reach any level from the level held and that an evaluator of `kind` takes: the only ones
 * the form offers (every route when the level is not known; every kind's when the kind is not, null: the
 * certification service judges it all the same).
 */
export const openRoutes = (held: HeldLevel, kind: EvaluatorKind | null = null): CertificationRoute[] =>
  CERTIFICATION_ROUTES.filter((route) => reachableLevels(route, held).length > 0 && (kind !== 'social_organisation' || !EMPLOYER_ONLY_ROUTES.includes(route)));

/**
 * The targets the form lists for a route: every level above the one held up to the highest the route
 * can ever give (senior_technician, or chief_technician by appointment), those the route does not reach
 * from there marked as such, so the evaluator can see by the dry run which rule refuses them. From a
 * level not known: every level of the route from its lowest, and the dry run decides.
 */
export function listedLevels(route: CertificationRoute, held: HeldLevel): SkillLevel[] {
  const ceiling = route === 'appointment' ? SKILL_LEVELS.length : CEILING;
  const lowest = held === 'unknown' ? rankOf(everReached(route)[0]) : (held ? rankOf(held) : 0) + 1;
  return SKILL_LEVELS.filter((level) => rankOf(level) >= lowest && rankOf(level) <= ceiling);
}
