import { useEffect, useMemo, useState } from 'react';
import { api, problemOf, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { Chart, chartFontSize } from '../../components/chart';
import { percent, percentValue } from '../../components/percent';
import { ProblemMessage } from '../../components/problem-message';
import { useI18n } from '../../i18n/i18n';
import { usePreferences } from '../../session/preferences';

type Policy = components['schemas']['PolicyDto'];
type Point = components['schemas']['QualificationFigures'];


/**
 * Trained, pass rate and employment rate at every month end of the policy window, with the thresholds as
 * lines; the same figures in a table beneath (folded away), so nobody depends on the picture.
 */
export function QualificationChart({ brandId, policy }: { brandId: string; policy: Policy }) {
  const { t } = useI18n();
  const [points, setPoints] = useState<Point[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  // Elder mode's larger text reaches into the chart too: ECharts draws its labels at its own sizes.
  const elder = usePreferences().preferences.elderMode;
  useEffect(() => {
    let stale = false;
    void api
      .GET('/api/v1/brands/{id}/qualification/series', { params: { path: { id: brandId } } })
      .catch((failure: unknown) => ({ data: undefined, error: failure }))
      .then(({ data, error }) => {
        if (stale) return;
        setPoints(data?.points ?? []);
        setProblem(data ? null : problemOf(error));
      });
    return () => {
      stale = true;
    };
  }, [brandId]);

  const option = useMemo(() => {
    const fontSize = chartFontSize(elder);
    return {
      tooltip: { trigger: 'axis', textStyle: { fontSize } },
      legend: { top: 0, textStyle: { fontSize } },
      grid: { left: elder ? 80 : 56, right: elder ? 80 : 56, top: elder ? 72 : 48, bottom: elder ? 48 : 32 },
      xAxis: { type: 'category', data: points.map((point) => point.asOf.slice(0, 7)), axisLabel: { fontSize } },
      yAxis: [
        { type: 'value', name: t('chart.trained'), nameTextStyle: { fontSize }, minInterval: 1, axisLabel: { fontSize } },
        { type: 'value', name: t('chart.rate'), nameTextStyle: { fontSize }, min: 0, max: 100, axisLabel: { formatter: '{value}%', fontSize } },
      ],
      series: [
        { name: t('chart.trained'), type: 'bar', data: points.map((point) => point.trained), markLine: { symbol: 'none', data: [{ yAxis: policy.minTrained, name: t('chart.minTrained') }], label: { formatter: t('chart.minTrained'), fontSize, position: 'insideStartTop' } } },
        { name: t('chart.passRate'), type: 'line', yAxisIndex: 1, data: points.map((point) => percentValue(point.passRate, point.passRate < policy.minPassRate)), markLine: { symbol: 'none', lineStyle: { type: 'dashed' }, data: [{ yAxis: policy.minPassRate * 100 }], label: { formatter: t('chart.minPassRate'), fontSize, position: 'insideEndTop' } } },
        { name: t('chart.employmentRate'), type: 'line', yAxisIndex: 1, lineStyle: { type: 'dotted' }, data: points.map((point) => percentValue(point.employmentRate, point.employmentRate < policy.minEmploymentRate)), markLine: { symbol: 'none', lineStyle: { type: 'dotted' }, data: [{ yAxis: policy.minEmploymentRate * 100 }], label: { formatter: t('chart.minEmploymentRate'), fontSize, position: 'insideEndTop' } } },
      ],
    };
  }, [elder, points, policy, t]);
  if (problem)
    return (
      <section aria-labelledby="chart-title">
        <h2 id="chart-title">{t('chart.title')}</h2>
        <ProblemMessage problem={problem} />
      </section>
    );
  if (points.length === 0) return null;
  return (
    <figure>
      <figcaption>
        <h2>{t('chart.title')}</h2>
      </figcaption>
      <Chart option={option} label={t('chart.title')} height={elder ? 400 : 320} />
      <details>
        <summary>{t('chart.figuresAsTable')}</summary>
        <table>
          <caption className="visually-hidden">{t('chart.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('chart.month')}</th>
              <th scope="col">{t('chart.trained')}</th>
              <th scope="col">{t('chart.passRate')}</th>
              <th scope="col">{t('chart.employmentRate')}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((point) => (
              <tr key={point.asOf}>
                <th scope="row">{point.asOf.slice(0, 7)}</th>
                <td>{point.trained}</td>
                <td>{percent(point.passRate, point.passRate < policy.minPassRate)}</td>
                <td>{percent(point.employmentRate, point.employmentRate < policy.minEmploymentRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
