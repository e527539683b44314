import { PoolClient } from 'pg';
import { inCategories } from '../figures/trainee-figures';
import { CategoryCounting, Counted } from './trainee-shares';

/**
 * The categories each trainee is counted in by the region statistics, and up to which fact of theirs
 * (trainee-shares.ts, countInCategories): rows of the table of sums itself, so that a rebuild's shadow
 * table has its own and the swap takes them with it. One row a category: region `counted:<trainee>`
 * (no region's code), figure `counted`, the version in `value`. A trainee of no category has none, and an
 * erasure or a void deletes theirs: the categories are kept here only while the log holds them too.
 */
export const categoriesCounted: CategoryCounting = {
  async read(tx, table, traineeIds) {
    const { rows } = await tx.query<{ region_code: string; category: string; version: string }>(
      `SELECT region_code, category, value::text AS version FROM ${table} WHERE region_code = ANY($1::text[]) AND figure = 'counted' ORDER BY region_code, category`,
      [traineeIds.map(countedRegion)],
    );
    const counted = new Map<string, Counted>();
    for (const row of rows) {
      const traineeId = row.region_code.slice(PREFIX.length);
      const known = counted.get(traineeId) ?? { categories: [], version: Number(row.version) };
      counted.set(traineeId, { ...known, categories: [...known.categories, row.category] });
    }
    return counted;
  },

  async write(tx, table, changes) {
    await tx.query(`DELETE FROM ${table} WHERE region_code = ANY($1::text[]) AND figure = 'counted'`, [[...changes.keys()].map(countedRegion)]);
    const rows = [...changes].flatMap(([traineeId, counted]) => (counted ? counted.categories.map((category) => ({ region: countedRegion(traineeId), category, version: counted.version })) : []));
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO ${table} (region_code, occupation_code, period, category, figure, dimension, value)
       SELECT region, '*', '', category, 'counted', '', version FROM unnest($1::text[], $2::text[], $3::bigint[]) AS r(region, category, version)`,
      [rows.map((row) => row.region), rows.map((row) => row.category), rows.map((row) => row.version)],
    );
  },

  inCategories,
};

const PREFIX = 'counted:';
const countedRegion = (traineeId: string) => `${PREFIX}${traineeId}`;
