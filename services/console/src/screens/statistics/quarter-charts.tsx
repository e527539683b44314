import { useMemo } from 'react';
import { Chart, chartFontSize } from '../../components/chart';
import { ProblemMessage } from '../../components/problem-message';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/zh-CN';
import { usePreferences } from '../../session/preferences';
import { percent } from '../../components/percent';
import { periodWords, quartersUpTo } from './periods';
import { usePeriodsStatistics, type RegionFigures } from './use-region-statistics';

/** The figures drawn over quarters: the counts as bars, the pass rate as a line in per cent. */
const CHARTED = ['trainingSessions', 'trained', 'passRate', 'certificatesIssued', 'newHighSkillTalents', 'highSkillTalents', 'hires'] as const satisfies readonly (keyof RegionFigures)[];
type Charted = (typeof CHARTED)[number];

const QUARTERS = 8;

/** The last 8 quarters up to `lastQuarter`, a chart per main figure, each with its numbers as a table beneath. */
export function QuarterCharts({ regionCode, lastQuarter, occupationCode }: { regionCode: string; lastQuarter: string; occupationCode: string }) {
  const { t, locale } = useI18n();
  const quarters = useMemo(() => quartersUpTo(lastQuarter, QUARTERS), [lastQuarter]);
  const { data, problem } = usePeriodsStatistics(regionCode, quarters, occupationCode);
  // Each figure's values, made once per answer: a chart draws itself again only when its numbers change.
  const series = useMemo(() => (data ? CHARTED.map((figure) => ({ figure, values: data.map((figures) => figures[figure]) })) : null), [data]);
  const [from, to] = [periodWords(quarters[0], t, locale), periodWords(quarters[quarters.length - 1], t, locale)];
  return (
    <section aria-labelledby="statistics-trend-title">
      <h2 id="statistics-trend-title">{t('statistics.trend.title')}</h2>
      <p className="hint">{t('statistics.trend.intro', { from, to })}</p>
      <ProblemMessage problem={problem} />
      {!series && !problem && <p role="status">{t('statistics.trend.loading')}</p>}
      {series && (
        <div className="statistics-charts">
          {series.map(({ figure, values }) => (
            <FigureChart key={figure} figure={figure} quarters={quarters} values={values} from={from} to={to} />
          ))}
        </div>
      )}
    </section>
  );
}

/**
 * One figure over the quarters. Its text alternative is twofold: the chart's accessible name says every
 * quarter's value, and the same numbers are a table folded beneath it (as the brand page's chart does).
 */
function FigureChart({ figure, quarters, values, from, to }: { figure: Charted; quarters: string[]; values: number[]; from: string; to: string }) {
  const { t, locale } = useI18n();
  // Elder mode's larger text reaches into the chart too: ECharts draws its labels at its own sizes.
  const elder = usePreferences().preferences.elderMode;
  const name = t(`statistics.figure.${figure}` as MessageKey);
  const isRate = figure === 'passRate';
  const words = (value: number) => (isRate ? percent(value) : value.toLocaleString(locale));
  const label = t('statistics.trend.chartLabel', {
    figure: name,
    from,
    to,
    values: quarters.map((quarter, index) => `${periodWords(quarter, t, locale)} ${words(values[index])}`).join(locale === 'en' ? '; ' : '；'),
  });
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis', textStyle: { fontSize: chartFontSize(elder) } },
      grid: { left: elder ? 72 : 48, right: 16, top: 16, bottom: elder ? 88 : 56 },
      // The API's own short names on the axis (2025-Q3): eight of them fit a phone's width when slanted.
      xAxis: { type: 'category', data: quarters, axisLabel: { interval: 0, rotate: 40, fontSize: chartFontSize(elder) } },
      yAxis: isRate ? { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%', fontSize: chartFontSize(elder) } } : { type: 'value', minInterval: 1, axisLabel: { fontSize: chartFontSize(elder) } },
      series: [isRate ? { name, type: 'line', data: values.map((value) => Math.round(value * 1000) / 10) } : { name, type: 'bar', data: values }],
    }),
    [elder, isRate, label, name, quarters, values],
  );
  const id = `statistics-chart-${figure}`;
  return (
    <figure className="statistics-chart" aria-labelledby={id} data-figure={figure}>
      <figcaption>
        <h3 id={id}>{name}</h3>
      </figcaption>
      <Chart option={option} label={label} height={elder ? 320 : 240} />
      <details>
        <summary>{t('statistics.trend.asTable', { figure: name })}</summary>
        <table>
          <caption className="visually-hidden">{name}</caption>
          <thead>
            <tr>
              <th scope="col">{t('statistics.trend.quarter')}</th>
              <th scope="col">{name}</th>
            </tr>
          </thead>
          <tbody>
            {quarters.map((quarter, index) => (
              <tr key={quarter}>
                <th scope="row">{periodWords(quarter, t, locale)}</th>
                <td>{words(values[index])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
