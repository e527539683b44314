import { Projection } from '@skills/event-sourcing';
import { StatisticsFactRecorded } from '../facts/statistics-fact';
import { outcomeShares, parseOutcomeShareKey } from '../figures/trainee-figures';
import { shareChange } from './trainee-shares';

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
    const entries = [...change.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, value]) => ({ ...parseOutcomeShareKey(key), value }));
    await tx.query(
      `INSERT INTO ${table} (provider_id, period, course_id, figure, value, course_title)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[])
       ON CONFLICT (provider_id, period, course_id, figure) DO UPDATE
         SET value = ${table}.value + excluded.value, course_title = coalesce(excluded.course_title, ${table}.course_title)`,
      [
        entries.map((entry) => entry.providerId),
        entries.map((entry) => entry.period),
        entries.map((entry) => entry.courseId),
        entries.map((entry) => entry.figure),
        entries.map((entry) => entry.value),
        entries.map((entry) => titles.get(entry.courseId) ?? null),
      ],
    );
  },
};
