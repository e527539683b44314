import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, problemOf, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { Chart, chartFontSize } from '../../components/chart';
import { ProblemMessage } from '../../components/problem-message';
import { useI18n } from '../../i18n/i18n';
import { usePreferences } from '../../session/preferences';
import { useSession } from '../../session/session-context';

type Distribution = components['schemas']['DistributionAnswer'];
type Level = keyof Distribution['levels'];
const LEVELS: Level[] = ['apprentice', 'junior', 'intermediate', 'senior', 'technician', 'senior_technician', 'special_technician', 'chief_technician'];

/** The skill ladder of the bureau's region: people at each level (of one occupation or all), and the high-skill count. */
export function DistributionPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const [filters, setFilters] = useState({ regionCode: me?.regionCode ?? '', occupationCode: '' });
  const [distribution, setDistribution] = useState<Distribution | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  // Elder mode's larger text reaches into the chart too: ECharts draws its labels at its own sizes.
  const elder = usePreferences().preferences.elderMode;

  useEffect(() => {
    void api
      .GET('/api/v1/ladder/distribution', { params: { query: { regionCode: filters.regionCode || undefined, occupationCode: filters.occupationCode || undefined } } })
      .then(({ data, error }) => {
        setDistribution(data ?? null);
        setProblem(data ? null : problemOf(error));
      });
  }, [filters]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setFilters({ regionCode: String(form.get('regionCode')).trim(), occupationCode: String(form.get('occupationCode')).trim() });
  };

  const option = useMemo(() => {
    const fontSize = chartFontSize(elder);
    return {
      tooltip: { trigger: 'axis', textStyle: { fontSize } },
      grid: { left: elder ? 64 : 48, right: 16, top: 24, bottom: elder ? 120 : 72 },
      xAxis: { type: 'category', data: LEVELS.map((level) => t(`level.${level}`)), axisLabel: { interval: 0, rotate: 30, fontSize } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize } },
      series: [{ name: t('distribution.people'), type: 'bar', data: LEVELS.map((level) => distribution?.levels[level] ?? 0) }],
    };
  }, [distribution, elder, t]);

  return (
    <section>
      <h1>{t('distribution.title')}</h1>
      <form className="inline-form" onSubmit={submit}>
        <label htmlFor="regionCode">{t('brand.region')}</label>
        <input id="regionCode" name="regionCode" defaultValue={filters.regionCode} inputMode="numeric" maxLength={6} />
        <label htmlFor="occupationCode">{t('course.occupation')}</label>
        <input id="occupationCode" name="occupationCode" defaultValue={filters.occupationCode} placeholder="6-18-02-04" />
        <button type="submit">{t('common.show')}</button>
      </form>
      <ProblemMessage problem={problem} />
      {distribution && (
        <>
          <p className="verdict" role="status">
            {t('distribution.summary', { total: distribution.total, highSkill: distribution.highSkill })}
          </p>
          <Chart option={option} label={t('distribution.title')} height={elder ? 400 : 320} />
          <table>
            <caption className="visually-hidden">{t('distribution.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('verify.level')}</th>
                <th scope="col">{t('distribution.people')}</th>
              </tr>
            </thead>
            <tbody>
              {LEVELS.map((level) => (
                <tr key={level}>
                  <th scope="row">{t(`level.${level}`)}</th>
                  <td>{distribution.levels[level]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
