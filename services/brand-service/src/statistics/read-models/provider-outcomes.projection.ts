import { Projection } from '@skills/event-sourcing';
import { StatisticsFactRecorded } from '../facts/statistics-fact';
import { outcomeShares, parseOutcomeShareKey } from '../figures/trainee-figures';
import { addToSums, shareChange } from './trainee-shares';

/**
 * A school's outcomes per period: its graduates (passed a skill course) and how many of them worked
 * within 3 and 6 months of their course's end, per course and for the school (`*`, each person once).
 */
export const providerOutcomes: Projection<StatisticsFactRecorded> = {
  name: 'provider-outcomes',
  table: 'provider_outcomes',
  async createTable(tx, table) {
    await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
      provider_id text NOT NULL,
      period text NOT NULL,
      course_id text NOT NULL,
      figure text NOT NULL,
      value bigint NOT NULL,
      course_title text,
      CONSTRAINT ${table}_pkey PRIMARY KEY (provider_id, period, course_id, figure)
    )`);
  },
  async apply(tx, table, event) {
    if (event.type !== 'StatisticsFactRecorded') return;
    const { change, titles } = await shareChange(tx, event, outcomeShares);
    if (change.size === 0) return;
    const rows = [...change.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, value]) => {
      const share = parseOutcomeShareKey(key);
      return { key: [share.providerId, share.period, share.courseId, share.figure], value, extra: titles.get(share.courseId) ?? null };
    });
    await addToSums(tx, table, ['provider_id', 'period', 'course_id', 'figure'], rows, 'course_title');
  },
};
