import { useEffect, useState } from 'react';
import { api, problemOf, type Problem } from '../../api/client';
import type { components } from '../../api/schema';

export type RegionStatistics = components['schemas']['RegionStatisticsAnswer'];
/** Everyone's figures: the answer without what frames them. */
export type RegionFigures = Omit<RegionStatistics, 'regionCode' | 'period' | 'occupationCode' | 'byCategory' | 'freshness'>;
/** A category's figures: a count under 5 (0 too) is null, not shown. */
export type CategoryFigures = components['schemas']['CategoryFiguresAnswer'];

/** The trainee categories the figures are broken down by, in the order the bureaus' forms list them. */
export const CATEGORIES = ['poverty_registered', 'urban_unemployed', 'rural_migrant', 'veteran', 'disabled', 'graduate'] as const;
export type Category = (typeof CATEGORIES)[number];

/** A category's figures. */
export const figuresOf = (statistics: RegionStatistics, category: Category): CategoryFigures => statistics.byCategory[category];

const regionStatistics = (regionCode: string, period: string, occupationCode: string) =>
  api
    .GET('/api/v1/statistics/regions/{regionCode}', { params: { path: { regionCode }, query: { period, occupationCode: occupationCode || undefined } } })
    .catch((failure: unknown) => ({ data: undefined, error: failure }));

/** One region's figures for one period; null until they arrive (or a problem). */
export function useRegionStatistics(regionCode: string, period: string, occupationCode: string) {
  const [state, setState] = useState<{ data: RegionStatistics | null; problem: Problem | null; loading: boolean }>({ data: null, problem: null, loading: true });
  useEffect(() => {
    let stale = false;
    setState({ data: null, problem: null, loading: true });
    void regionStatistics(regionCode, period, occupationCode).then(({ data, error }) => {
      if (!stale) setState({ data: data ?? null, problem: data ? null : problemOf(error), loading: false });
    });
    return () => {
      stale = true;
    };
  }, [regionCode, period, occupationCode]);
  return state;
}

/** The figures of each of these periods, one request each (the API answers one period at a time), in their order. */
export function usePeriodsStatistics(regionCode: string, periods: string[], occupationCode: string) {
  const key = periods.join(',');
  const [state, setState] = useState<{ data: RegionStatistics[] | null; problem: Problem | null }>({ data: null, problem: null });
  useEffect(() => {
    let stale = false;
    setState({ data: null, problem: null });
    void Promise.all(key.split(',').map((period) => regionStatistics(regionCode, period, occupationCode))).then((answers) => {
      if (stale) return;
      const refused = answers.find((answer) => !answer.data);
      setState(refused ? { data: null, problem: problemOf(refused.error) } : { data: answers.map((answer) => answer.data as RegionStatistics), problem: null });
    });
    return () => {
      stale = true;
    };
  }, [regionCode, key, occupationCode]);
  return state;
}
