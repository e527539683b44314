import { Projection } from '@skills/event-sourcing';
import { StatisticsFactRecorded } from '../facts/statistics-fact';
import { parseRegionShareKey, regionShares } from '../figures/trainee-figures';
import { categoriesCounted } from './categories-counted';
import { addShareChanges, SumsOfShares } from './trainee-shares';

/**
 * The sums of every trainee's shares of the region figures (figures/trainee-figures.ts): one row per
 * region, period, occupation (`*`: all), category (`*`: everyone), figure and dimension. A region's
 * answer for a period is the rows under one key prefix, whatever the size of the history; the standing
 * high-skill talents are a sum over the months up to the period's end (a partial index of their own).
 * It also keeps which categories each trainee is counted in (categories-counted.ts).
 */
export const regionStatistics: Projection<StatisticsFactRecorded> = {
  name: 'region-statistics',
  table: 'region_statistics',
  async createTable(tx, table) {
    await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
      region_code text NOT NULL,
      occupation_code text NOT NULL,
      period text NOT NULL,
      category text NOT NULL,
      figure text NOT NULL,
      dimension text NOT NULL,
      value bigint NOT NULL,
      CONSTRAINT ${table}_pkey PRIMARY KEY (region_code, occupation_code, period, category, figure, dimension)
    )`);
    await tx.query(
      `CREATE INDEX IF NOT EXISTS ${table}_standing ON ${table} (region_code, occupation_code, period) INCLUDE (category, value) WHERE figure = 'highSkillDelta'`,
    );
  },
  // In the checkpoint's transaction, so each event's change is added exactly once; a stretch of the log at once.
  apply: (tx, table, event) => addShareChanges(tx, table, [event], regionSums),
  applyAll: (tx, table, events) => addShareChanges(tx, table, events, regionSums),
};

const regionSums: SumsOfShares<object> = {
  key: ['region_code', 'occupation_code', 'period', 'category', 'figure', 'dimension'],
  // Everyone's; each category's counted apart, by the categories the table keeps (categories-counted.ts).
  sharesOf: (facts) => ({ shares: regionShares(facts, []) }),
  categories: categoriesCounted,
  keyOf(shareKey) {
    const share = parseRegionShareKey(shareKey);
    return [share.regionCode, share.occupationCode, share.period, share.category, share.figure, share.dimension];
  },
};
