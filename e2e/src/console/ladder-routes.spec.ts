// The certify form's level logic (screens/evaluator/ladder-routes.ts): a certification is judged against
// the level held on its certifiedOn (certification-service ladder.aggregate.ts), so a record of an earlier
// year builds on the level of that year, not today's; and where the ladder read gives no history (an
// evaluator's staff not related to the person), the form cannot know it and offers every level of each route.
// Direct certification and appointment are offered to an employer's staff only, as the service allows them.
import { levelHeldOn, listedLevels, openRoutes, reachableLevels, type LadderRung } from '@skills/console';

const WELDER = '6-18-02-04';

/** Intermediate since 2020 (a senior of 2022 revoked), as a related evaluator reads it. */
const withHistory: LadderRung = {
  occupationCode: WELDER,
  level: 'intermediate',
  certifiedOn: '2020-03-01',
  history: [
    { level: 'junior', certifiedOn: '2018-05-10', status: 'valid' },
    { level: 'intermediate', certifiedOn: '2020-03-01', status: 'valid' },
    { level: 'senior', certifiedOn: '2022-01-15', status: 'revoked' },
  ],
};

/** The same ladder as an unrelated evaluator's staff read it: the current level and its date only. */
const levelsOnly: LadderRung = { ...withHistory, history: [] };

describe('the certify form’s levels and routes', () => {
  it('builds on the level held on the certification date, from the history, a revoked certificate giving none', () => {
    expect(levelHeldOn(withHistory, '2017-12-31')).toBeNull();
    expect(levelHeldOn(withHistory, '2018-05-10')).toBe('junior');
    expect(levelHeldOn(withHistory, '2019-06-01')).toBe('junior');
    expect(levelHeldOn(withHistory, '2020-03-01')).toBe('intermediate');
    expect(levelHeldOn(withHistory, '2023-01-01')).toBe('intermediate');
    expect(levelHeldOn(undefined, '2023-01-01')).toBeNull();
    expect(levelHeldOn({ ...withHistory, level: null, history: withHistory.history.map((held) => ({ ...held, status: 'revoked' as const })) }, '2023-01-01')).toBeNull();
  });

  it('knows the level from the current one’s date on without the history, and not before it', () => {
    expect(levelHeldOn(levelsOnly, '2020-03-01')).toBe('intermediate');
    expect(levelHeldOn(levelsOnly, '2025-07-01')).toBe('intermediate');
    expect(levelHeldOn(levelsOnly, '2019-06-01')).toBe('unknown');
    // Every certificate revoked: nothing stands, on any date.
    expect(levelHeldOn({ ...levelsOnly, level: null, certifiedOn: null }, '2019-06-01')).toBeNull();
  });

  it('offers a record of an earlier year below today’s level: junior and the direct route while unrated then, one rung above the level of then', () => {
    const unratedThen = levelHeldOn(withHistory, '2017-06-01');
    expect(openRoutes(unratedThen)).toEqual(['assessment', 'exceptional', 'direct']);
    expect(reachableLevels('assessment', unratedThen)).toEqual(['apprentice', 'junior']);
    expect(reachableLevels('direct', unratedThen)).toEqual(['junior', 'intermediate', 'senior', 'technician', 'senior_technician']);
    const juniorThen = levelHeldOn(withHistory, '2019-06-01');
    expect(reachableLevels('assessment', juniorThen)).toEqual(['intermediate']);
    expect(listedLevels('exceptional', juniorThen)).toEqual(['intermediate', 'senior', 'technician', 'senior_technician']);
  });

  it('lists every level of each route from its lowest where the level held is not known, for the dry run to decide', () => {
    expect(openRoutes('unknown')).toEqual(['assessment', 'exceptional', 'direct', 'appointment']);
    expect(listedLevels('assessment', 'unknown')).toEqual(['apprentice', 'junior', 'intermediate', 'senior', 'technician', 'senior_technician']);
    expect(reachableLevels('assessment', 'unknown')).toEqual(listedLevels('assessment', 'unknown'));
    expect(reachableLevels('exceptional', 'unknown')).toEqual(['apprentice', 'junior', 'intermediate', 'senior', 'technician', 'senior_technician']);
    expect(listedLevels('direct', 'unknown')).toEqual(['junior', 'intermediate', 'senior', 'technician', 'senior_technician']);
    expect(reachableLevels('direct', 'unknown')).toEqual(listedLevels('direct', 'unknown'));
    expect(listedLevels('appointment', 'unknown')).toEqual(['special_technician', 'chief_technician']);
    expect(reachableLevels('appointment', 'unknown')).toEqual(['special_technician', 'chief_technician']);
  });

  it('still offers from a known level only the routes and rungs that reach above it', () => {
    expect(openRoutes('intermediate')).toEqual(['assessment', 'exceptional']);
    expect(reachableLevels('assessment', 'intermediate')).toEqual(['senior']);
    expect(listedLevels('appointment', 'senior_technician')).toEqual(['special_technician', 'chief_technician']);
    expect(openRoutes('chief_technician')).toEqual([]);
  });

  it('offers direct certification and appointment to an employer only, and every route where the evaluator’s kind is not known (domain.md section 2)', () => {
    expect(openRoutes(null, 'employer')).toEqual(['assessment', 'exceptional', 'direct']);
    expect(openRoutes('senior_technician', 'employer')).toEqual(['appointment']);
    expect(openRoutes('unknown', 'employer')).toEqual(['assessment', 'exceptional', 'direct', 'appointment']);
    expect(openRoutes(null, 'social_organisation')).toEqual(['assessment', 'exceptional']);
    expect(openRoutes('unknown', 'social_organisation')).toEqual(['assessment', 'exceptional']);
    expect(openRoutes('senior_technician', 'social_organisation')).toEqual([]);
    // The kind not read: the certification service judges it.
    expect(openRoutes(null, null)).toEqual(['assessment', 'exceptional', 'direct']);
    expect(openRoutes('unknown', null)).toEqual(['assessment', 'exceptional', 'direct', 'appointment']);
  });
});
