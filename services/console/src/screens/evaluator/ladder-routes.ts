import { HIGHEST_CERTIFIED_LEVEL, levelAtRank, rankOf, SKILL_LEVELS, type SkillLevel } from '@skills/domain-kernel';

export const CERTIFICATION_ROUTES = ['assessment', 'exceptional', 'direct', 'appointment'] as const;
export type CertificationRoute = (typeof CERTIFICATION_ROUTES)[number];

export const EXCEPTIONAL_REASONS = ['major_technical_breakthrough', 'provincial_award', 'mentorship_achievement', 'competition_award'] as const;
export type ExceptionalReason = (typeof EXCEPTIONAL_REASONS)[number];

const CEILING = rankOf(HIGHEST_CERTIFIED_LEVEL);

/**
 * The targets each route reaches from the current level (domain.md section 2): assessment one rung
 * (apprentice or junior as a first level), exceptional up to two, direct junior to senior_technician
 * while unrated, appointment the rung above senior_technician or special_technician. The certification
 * service's dry run is the final word (the evaluator's kind, employment, dates).
 */
export function reachableLevels(route: CertificationRoute, current: SkillLevel | null): SkillLevel[] {
  const rank = current ? rankOf(current) : 0;
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

/** The routes that reach any level from the current one: the only ones the form offers. */
export const openRoutes = (current: SkillLevel | null): CertificationRoute[] => CERTIFICATION_ROUTES.filter((route) => reachableLevels(route, current).length > 0);

/**
 * The targets the form lists for a route: every level above the current one up to the highest the
 * route can ever give (senior_technician, or chief_technician by appointment), those the route does
 * not reach from here marked as such, so the evaluator can see by the dry run which rule refuses them.
 */
export function listedLevels(route: CertificationRoute, current: SkillLevel | null): SkillLevel[] {
  const rank = current ? rankOf(current) : 0;
  const ceiling = route === 'appointment' ? SKILL_LEVELS.length : CEILING;
  return SKILL_LEVELS.filter((level) => rankOf(level) > rank && rankOf(level) <= ceiling);
}
