import { NATIONAL_REGION } from '@skills/domain-kernel';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, problemOf, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { Chart, chartFontSize } from '../../components/chart';
import { FreshnessLine } from '../../components/freshness-line';
import { occupationWords } from '../../components/occupation-words';
import { ProblemMessage } from '../../components/problem-message';
import { useI18n } from '../../i18n/i18n';
import { usePreferences } from '../../session/preferences';
import { useSession } from '../../session/session-context';

type Distribution = components['schemas']['DistributionAnswer'];
type Level = keyof Distribution['levels'];
const LEVELS: Level[] = ['apprentice', 'junior', 'intermediate', 'senior', 'technician', 'senior_technician', 'special_technician', 'chief_technician'];

interface Filters {
  regionCode: string;
  occupationCode: string;
}

/** The region sent: none for the whole country (000000, the ministry's), which the API answers with no region and refuses as a code. */
const regionAsked = (regionCode: string): string | undefined => (regionCode === NATIONAL_REGION ? undefined : regionCode || undefined);

/**
 * The skill ladder of the bureau's region: people at each level (of one occupation or all), and the high-skill
 * count, under a heading naming the region and occupation they are of, with how fresh they are. Only the
 * answer for the filters asked last is shown: one for filters sent a moment before may land after it.
 */
export function DistributionPage() {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const [filters, setFilters] = useState<Filters>({ regionCode: me?.regionCode ?? '', occupationCode: '' });
  // The answer with the filters it answers: the heading names those, not what is typed in the form meanwhile.
  const [shown, setShown] = useState<{ filters: Filters; distribution: Distribution } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  // Elder mode's larger text reaches into the chart too: ECharts draws its labels at its own sizes.
  const elder = usePreferences().preferences.elderMode;
  const distribution = shown?.distribution ?? null;

  useEffect(() => {
    let stale = false;
    void api
      .GET('/api/v1/ladder/distribution', { params: { query: { regionCode: regionAsked(filters.regionCode), occupationCode: filters.occupationCode || undefined } } })
      .then(({ data, error }) => {
        if (stale) return;
        setShown(data ? { filters, distribution: data } : null);
        setProblem(data ? null : problemOf(error));
      });
    return () => {
      stale = true;
    };
  }, [filters]);

  // Named by the region sent. None: a bureau officer's is its bureau's (the API's default; the ministry's is
  // the whole country), anyone else's the whole country.
  const regionWords = (regionCode: string | undefined) => {
    if (regionCode) return t('distribution.region', { code: regionCode });
    const ownRegion = me?.role === 'bureau_officer' && me.regionCode !== NATIONAL_REGION;
    return t(ownRegion ? 'distribution.ownRegion' : 'distribution.allRegions');
  };
  const heading = shown
    ? t('distribution.shown', {
        region: regionWords(regionAsked(shown.filters.regionCode)),
        occupation: shown.filters.occupationCode ? occupationWords(shown.filters.occupationCode, locale) : t('distribution.allOccupations'),
      })
    : '';

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
          <h2 id="distribution-shown">{heading}</h2>
          <p className="verdict" role="status">
            {t('distribution.summary', { total: distribution.total, highSkill: distribution.highSkill })}
          </p>
          <FreshnessLine freshness={distribution.freshness} testId="distribution-freshness" />
          <Chart option={option} label={heading} height={elder ? 400 : 320} />
          <table>
            <caption className="visually-hidden">{heading}</caption>
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
