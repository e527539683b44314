import { NATIONAL_REGION, regionContains } from '@skills/domain-kernel';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { today } from '../../components/dates';
import { FreshnessLine } from '../../components/freshness-line';
import { ProblemMessage } from '../../components/problem-message';
import { useAddressFormKey } from '../../components/use-address-form-key';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session-context';
import { savePdf as saveDownload } from '../me/download-pdf';
import { FiguresTable } from './figures-table';
import { lastCompleteQuarter, periodWords, quarterEnding, readPeriod } from './periods';
import { QuarterCharts } from './quarter-charts';
import { StatisticsFiltersForm, type StatisticsFilters } from './statistics-filters';
import { useRegionStatistics } from './use-region-statistics';
import { TableDownloads, type TableFormat } from './table-downloads';

/**
 * `/statistics`: a bureau's figures for a month, quarter or year (its own region by default, or an area
 * inside it), a column per trainee category on request, the same table to download, and each main figure
 * over the last 8 quarters. What is shown lives in the address (?region=&period=&occupation=), so a bureau
 * can bookmark or send the view it files.
 */
export function StatisticsPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const asked = params.get('period') ?? '';
  const shown: StatisticsFilters = {
    regionCode: params.get('region') ?? me?.regionCode ?? '',
    period: readPeriod(asked) ? asked : lastCompleteQuarter(today()),
    occupationCode: params.get('occupation') ?? '',
  };
  const shownKey = (filters: StatisticsFilters) => `${filters.regionCode}|${filters.period}|${filters.occupationCode}`;
  const form = useAddressFormKey(shownKey(shown));
  const show = (filters: StatisticsFilters) => {
    form.submitting(shownKey(filters));
    const next = new URLSearchParams({ region: filters.regionCode, period: filters.period });
    if (filters.occupationCode) next.set('occupation', filters.occupationCode);
    setParams(next);
  };
  return (
    <section className="statistics-page">
      <h1>{t('statistics.title')}</h1>
      <p>{t('statistics.intro')}</p>
      {/* Keyed by what is shown, but for its own submit: going back in the browser puts the fields back as they were, and showing keeps the focus on 查看. */}
      <StatisticsFiltersForm key={form.key} shown={shown} onShow={show} />
      {shown.regionCode && outside(me, shown.regionCode) ? (
        // Said once for the page, in the reader's words (the API would refuse each of the page's reads, in English).
        <ProblemMessage problem={{ message: t('statistics.regionOutside', { region: shown.regionCode, own: me?.regionCode ?? '' }) }} />
      ) : shown.regionCode ? (
        <>
          <PeriodFigures {...shown} />
          <QuarterCharts regionCode={shown.regionCode} lastQuarter={quarterEnding(shown.period)} occupationCode={shown.occupationCode} />
        </>
      ) : (
        <p role="status">{t('statistics.pickRegion')}</p>
      )}
    </section>
  );
}

/**
 * A region a bureau officer may not read (domain.md section 9: a bureau acts inside its region): known here
 * from the officer's own region, as the API judges it (regionContains), so nothing is asked only to be refused.
 */
const outside = (me: { role: string; regionCode?: string | null } | null | undefined, regionCode: string): boolean =>
  me?.role === 'bureau_officer' && Boolean(me.regionCode) && !regionContains(me.regionCode ?? '', regionCode);

/** The period's figures: a table (a column per category when asked), their freshness, and the same as CSV or .xlsx. */
function PeriodFigures({ regionCode, period, occupationCode }: StatisticsFilters) {
  const { t, locale } = useI18n();
  const { data, problem, loading } = useRegionStatistics(regionCode, period, occupationCode);
  const [byCategory, setByCategory] = useState(false);
  const download = (format: TableFormat) => () =>
    saveDownload(
      api.GET('/api/v1/statistics/regions/{regionCode}', { params: { path: { regionCode }, query: { period, occupationCode: occupationCode || undefined, format } }, parseAs: 'blob' }),
      `statistics-${regionCode}-${period}${occupationCode ? `-${occupationCode}` : ''}.${format}`,
    );
  const freshness = data?.freshness;
  return (
    <section aria-labelledby="statistics-figures-title">
      <h2 id="statistics-figures-title">
        {regionCode === NATIONAL_REGION
          ? t('statistics.figures.nationTitle', { period: periodWords(period, t, locale) })
          : t('statistics.figures.title', { region: regionCode, period: periodWords(period, t, locale) })}
      </h2>
      <p>{t('statistics.figures.occupation', { occupation: occupationCode || t('statistics.allOccupations') })}</p>
      <ProblemMessage problem={problem} />
      {loading && <p role="status">{t('common.loading')}</p>}
      {data && freshness && (
        <>
          <div className="statistics-toggle">
            <input id="statistics-by-category" type="checkbox" checked={byCategory} onChange={(event) => setByCategory(event.target.checked)} aria-describedby="statistics-category-note" />
            <label htmlFor="statistics-by-category">{t('statistics.figures.byCategory')}</label>
          </div>
          <p id="statistics-category-note" className="hint">
            {t('statistics.figures.categoryNote')}
          </p>
          <FiguresTable statistics={data} byCategory={byCategory} labelledBy="statistics-figures-title" />
          <FreshnessLine freshness={freshness} testId="statistics-freshness" />
          <TableDownloads download={download} />
        </>
      )}
    </section>
  );
}
