import { Injectable } from '@nestjs/common';
import { countUnappliedLetters } from '@skills/messaging';
import { Database } from '@skills/postgres';
import { STATISTICS_CONSUMER } from '../facts/statistics-facts.consumer';
import { lastMonthOf } from '../figures/periods';
import { regionFigures, StoredShare } from '../figures/region-figures';
import { ALL } from '../figures/trainee-figures';
import { providerOutcomes } from './provider-outcomes.projection';
import { regionStatistics } from './region-statistics.projection';

export interface OutcomeFigures {
  graduates: number;
  employedWithin3Months: number;
  employedWithin6Months: number;
}

/** The answers of the statistics routes, from the read models' sums: a few index lookups, whatever the history. */
@Injectable()
export class StatisticsReader {
  constructor(private readonly database: Database) {}

  /** How many facts the statistics could not take in wait here as dead letters: every figure may lack them (a letter names no region). */
  parkedFacts(): Promise<number> {
    return countUnappliedLetters(this.database, STATISTICS_CONSUMER);
  }

  async region(regionCode: string, period: string, occupationCode: string | undefined) {
    const occupation = occupationCode ?? ALL;
    const table = regionStatistics.table;
    const [shares, standing] = await Promise.all([
      this.database.query<StoredShare>(
        `SELECT category, figure, dimension, value::float8 AS value FROM ${table} WHERE region_code = $1 AND occupation_code = $2 AND period = $3`,
        [regionCode, occupation, period],
      ),
      // The standing high-skill talents: their +1/−1 per month, summed up to the period's last month.
      this.database.query<{ category: string; value: number }>(
        `SELECT category, sum(value)::float8 AS value FROM ${table}
         WHERE region_code = $1 AND occupation_code = $2 AND figure = 'highSkillDelta' AND period <= $3 GROUP BY category`,
        [regionCode, occupation, lastMonthOf(period)],
      ),
    ]);
    return regionFigures(shares.rows, new Map(standing.rows.map((row) => [row.category, row.value])));
  }

  async outcomes(providerId: string, period: string): Promise<OutcomeFigures & { courses: (OutcomeFigures & { courseId: string; title: string })[] }> {
    const { rows } = await this.database.query<{ course_id: string; figure: keyof OutcomeFigures; value: number; course_title: string | null }>(
      `SELECT course_id, figure, value::float8 AS value, course_title FROM ${providerOutcomes.table} WHERE provider_id = $1 AND period = $2 ORDER BY course_id`,
      [providerId, period],
    );
    const figures = new Map<string, OutcomeFigures & { courseId: string; title: string }>();
    for (const row of rows) {
      const entry = figures.get(row.course_id) ?? { courseId: row.course_id, title: row.course_title ?? '', graduates: 0, employedWithin3Months: 0, employedWithin6Months: 0 };
      entry[row.figure] = row.value;
      if (row.course_title) entry.title = row.course_title;
      figures.set(row.course_id, entry);
    }
    const { courseId: _all, title: _title, ...total } = figures.get(ALL) ?? { courseId: ALL, title: '', graduates: 0, employedWithin3Months: 0, employedWithin6Months: 0 };
    figures.delete(ALL);
    const courses = [...figures.values()].filter((course) => course.graduates > 0).sort((a, b) => a.title.localeCompare(b.title, 'zh-CN') || a.courseId.localeCompare(b.courseId));
    return { ...total, courses };
  }
}
