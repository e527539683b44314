import { useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api, problemOf, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { today } from '../../components/dates';
import { FreshnessLine } from '../../components/freshness-line';
import { ProblemMessage } from '../../components/problem-message';
import { useAddressFormKey } from '../../components/use-address-form-key';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session-context';
import { savePdf as saveDownload } from '../me/download-pdf';
import { PeriodPicker, type PeriodDraft } from './period-picker';
import { lastCompleteQuarter, periodOf, periodWords, readPeriod } from './periods';
import { TableDownloads, type TableFormat } from './table-downloads';

type Outcomes = components['schemas']['ProviderOutcomesAnswer'];
type OutcomeFigures = Pick<Outcomes, 'graduates' | 'employedWithin3Months' | 'employedWithin6Months'>;

const FIGURES = ['graduates', 'employedWithin3Months', 'employedWithin6Months'] as const;
const YEAR = /^\d{4}$/;

/**
 * `/statistics/outcomes`: a school's own graduates for a month, quarter or year (statistics:read-outcomes, its
 * own organisation only), and how many were employed within 3 and 6 months of their course's end, per course
 * and in all, to download as the API writes it. The period lives in the address (?period=), as on the
 * bureau's statistics page, which opens on the last complete quarter too.
 */
export function OutcomesPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const asked = params.get('period') ?? '';
  const period = readPeriod(asked) ? asked : lastCompleteQuarter(today());
  const form = useAddressFormKey(period);
  const show = (next: string) => {
    form.submitting(next);
    setParams(new URLSearchParams({ period: next }));
  };
  return (
    <section className="statistics-page">
      <h1>{t('outcomes.title')}</h1>
      <p>{t('outcomes.intro')}</p>
      <PeriodForm key={form.key} period={period} onShow={show} />
      {me?.organisationId ? <PeriodOutcomes providerId={me.organisationId} period={period} /> : null}
    </section>
  );
}

function PeriodForm({ period, onShow }: { period: string; onShow(period: string): void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<PeriodDraft>(() => {
    const parts = readPeriod(period) ?? { kind: 'quarter' as const, year: Number(today().slice(0, 4)), part: 1 };
    return { kind: parts.kind, year: String(parts.year), part: parts.part };
  });
  const [yearWrong, setYearWrong] = useState(false);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const year = draft.year.trim();
    // The API's rule, at the field before asking (docs/console.md "Errors at the field").
    setYearWrong(!YEAR.test(year));
    if (!YEAR.test(year)) return document.getElementById('period-year')?.focus();
    onShow(periodOf({ kind: draft.kind, year: Number(year), part: draft.part }));
  };
  return (
    <form className="statistics-filters" onSubmit={submit} noValidate aria-label={t('statistics.filters')}>
      <PeriodPicker draft={draft} onChange={setDraft} yearError={yearWrong ? t('statistics.yearRule') : null} />
      <button type="submit" className="primary">
        {t('common.show')}
      </button>
    </form>
  );
}

function useOutcomes(providerId: string, period: string) {
  const [state, setState] = useState<{ data: Outcomes | null; problem: Problem | null; loading: boolean }>({ data: null, problem: null, loading: true });
  useEffect(() => {
    let stale = false;
    setState({ data: null, problem: null, loading: true });
    void api
      .GET('/api/v1/statistics/providers/{id}/outcomes', { params: { path: { id: providerId }, query: { period } } })
      .catch((failure: unknown) => ({ data: undefined, error: failure }))
      .then(({ data, error }) => {
        if (!stale) setState({ data: data ?? null, problem: data ? null : problemOf(error), loading: false });
      });
    return () => {
      stale = true;
    };
  }, [providerId, period]);
  return state;
}

/** The period's figures: all courses first, then each course with graduates; their freshness; the same as CSV or .xlsx. */
function PeriodOutcomes({ providerId, period }: { providerId: string; period: string }) {
  const { t, locale } = useI18n();
  const { data, problem, loading } = useOutcomes(providerId, period);
  const download = (format: TableFormat) => () =>
    saveDownload(api.GET('/api/v1/statistics/providers/{id}/outcomes', { params: { path: { id: providerId }, query: { period, format } }, parseAs: 'blob' }), `outcomes-${period}.${format}`);
  const cells = (figures: OutcomeFigures) =>
    FIGURES.map((figure) => (
      <td key={figure} data-figure={figure}>
        {figures[figure].toLocaleString(locale)}
      </td>
    ));
  return (
    <section aria-labelledby="outcomes-figures-title">
      <h2 id="outcomes-figures-title">{t('outcomes.figures.title', { period: periodWords(period, t, locale) })}</h2>
      <ProblemMessage problem={problem} />
      {loading && <p role="status">{t('common.loading')}</p>}
      {data && (
        <>
          <p className="hint">{t('outcomes.countNote')}</p>
          {/* Scrolls in its own region on a phone, as the bureau's table does. */}
          <div className="statistics-table" role="region" aria-labelledby="outcomes-figures-title" tabIndex={0}>
            <table aria-labelledby="outcomes-figures-title">
              <thead>
                <tr>
                  <th scope="col">{t('outcomes.course')}</th>
                  {FIGURES.map((figure) => (
                    <th key={figure} scope="col">
                      {t(`outcomes.${figure}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                <tr data-course="all">
                  <th scope="row">{t('outcomes.allCourses')}</th>
                  {cells(data)}
                </tr>
                {data.courses.map((course) => (
                  <tr key={course.courseId} data-course={course.courseId}>
                    <th scope="row">{course.title}</th>
                    {cells(course)}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {data.courses.length === 0 && <p role="status">{t('outcomes.noGraduates')}</p>}
          <FreshnessLine freshness={data.freshness} testId="outcomes-freshness" />
          <TableDownloads download={download} />
        </>
      )}
    </section>
  );
}
