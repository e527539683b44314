import { Projection } from '@skills/event-sourcing';
import { StatisticsFactRecorded } from '../facts/statistics-fact';
import { outcomeShares, parseOutcomeShareKey } from '../figures/trainee-figures';
import { addShareChanges, SumsOfShares } from './trainee-shares';

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
  // In the checkpoint's transaction, so each event's change is added exactly once; a stretch of the log at once.
  apply: (tx, table, event) => addShareChanges(tx, table, [event], outcomeSums),
  applyAll: (tx, table, events) => addShareChanges(tx, table, events, outcomeSums),
};

const outcomeSums: SumsOfShares<{ titles: Map<string, string> }> = {
  key: ['provider_id', 'period', 'course_id', 'figure'],
  sharesOf: outcomeShares,
  keyOf(shareKey) {
    const share = parseOutcomeShareKey(shareKey);
    return [share.providerId, share.period, share.courseId, share.figure];
  },
  extra: { column: 'course_title', of: (shareKey, { titles }) => titles.get(parseOutcomeShareKey(shareKey).courseId) ?? null },
};
