import { useEffect, useState, type FormEvent } from 'react';
import { api, problemOf, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { ListFooter } from '../../components/list-footer';
import { ProblemMessage } from '../../components/problem-message';
import { useCursorList } from '../../components/use-cursor-list';
import { useI18n } from '../../i18n/i18n';
import { OCCUPATION_CODE, REGION_CODE, type SkillLevel } from './placement-fields';
import { OccupationName } from '../../components/occupation-name';

type WageInsight = components['schemas']['WageInsightAnswer'];

interface Filters {
  occupationCode: string;
  regionCode: string;
}

/**
 * The public board: open placements as anyone sees them (no sign-in), by occupation and region; for an
 * occupation and region, the wages hired at each skill level, so an employer can see what a wage range
 * attracts.
 */
export function PlacementsBoardPage() {
  const { t, locale } = useI18n();
  const [filters, setFilters] = useState<Filters>({ occupationCode: '', regionCode: '' });
  const list = useCursorList(`${filters.occupationCode}:${filters.regionCode}`, (cursor) =>
    api.GET('/api/v1/placements', { params: { query: { status: 'open', occupationCode: filters.occupationCode || undefined, regionCode: filters.regionCode || undefined, limit: 20, cursor } } }),
  );

  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setFilters({ occupationCode: String(form.get('occupationCode') ?? '').trim(), regionCode: String(form.get('regionCode') ?? '').trim() });
  };

  return (
    <section>
      <h1>{t('board.title')}</h1>
      <p className="hint">{t('board.intro')}</p>
      <form className="panel" onSubmit={search} noValidate aria-labelledby="board-filters-title">
        <h2 id="board-filters-title">{t('board.filters')}</h2>
        <label htmlFor="board-occupation">{t('employer.placement.occupation')}</label>
        <input id="board-occupation" name="occupationCode" placeholder="6-18-02-04" aria-describedby="board-occupation-hint" />
        <p id="board-occupation-hint" className="hint">
          {t('employer.placement.occupationHint')}
        </p>
        <label htmlFor="board-region">{t('employer.placement.region')}</label>
        <input id="board-region" name="regionCode" inputMode="numeric" maxLength={6} placeholder="430200" aria-describedby="board-region-hint" />
        <p id="board-region-hint" className="hint">
          {t('employer.placement.regionHint')}
        </p>
        <button type="submit" className="primary">
          {t('common.search')}
        </button>
      </form>
      <h2>{t('board.openPlacements')}</h2>
      <ProblemMessage problem={list.problem} />
      <table>
        <caption className="visually-hidden">{t('board.openPlacements')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('employer.placement.title')}</th>
            <th scope="col">{t('employer.placement.occupation')}</th>
            <th scope="col">{t('employer.placement.region')}</th>
            <th scope="col">{t('employer.placement.minLevel')}</th>
            <th scope="col">{t('employer.placement.wage')}</th>
            <th scope="col">{t('employer.placement.openingsLeft')}</th>
            <th scope="col">{t('board.postedOn')}</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((placement) => (
            <tr key={placement.id}>
              <td>{placement.title}</td>
              <td><OccupationName code={placement.occupationCode} /></td>
              <td>{placement.regionCode}</td>
              <td>{placement.minLevel ? t(`level.${placement.minLevel as SkillLevel}`) : t('employer.placement.anyLevel')}</td>
              <td>{t('employer.placement.wageRange', { min: placement.wageMin.toLocaleString(locale), max: placement.wageMax.toLocaleString(locale) })}</td>
              <td>{placement.openingsLeft}</td>
              <td>{placement.postedOn}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ListFooter list={list} />
      <WageInsightSection filters={filters} />
    </section>
  );
}

/** The wages hired at each level for the chosen occupation and region; a level of too few hires says so, without figures, and one under 20 hires has no quartiles (—). */
function WageInsightSection({ filters }: { filters: Filters }) {
  const { t, locale } = useI18n();
  const [insight, setInsight] = useState<WageInsight | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const ready = OCCUPATION_CODE.test(filters.occupationCode) && REGION_CODE.test(filters.regionCode);

  useEffect(() => {
    setInsight(null);
    setProblem(null);
    if (!ready) return;
    let stale = false;
    void api
      .GET('/api/v1/placements/wages', { params: { query: { occupationCode: filters.occupationCode, regionCode: filters.regionCode } } })
      .then(({ data, error }) => {
        if (stale) return;
        setInsight(data ?? null);
        setProblem(data ? null : problemOf(error));
      });
    return () => {
      stale = true;
    };
  }, [filters.occupationCode, filters.regionCode, ready]);

  return (
    <section aria-labelledby="wage-insight-title">
      <h2 id="wage-insight-title">{t('board.wages.title')}</h2>
      {!ready && <p className="hint">{t('board.wages.choose')}</p>}
      <ProblemMessage problem={problem} />
      {insight && (
        <>
          <p className="hint">{t('board.wages.intro', { occupation: insight.occupationCode, region: insight.regionCode, minimum: insight.minimumHires })}</p>
          <table data-testid="wage-insight">
            <caption className="visually-hidden">{t('board.wages.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('board.wages.level')}</th>
                <th scope="col">{t('board.wages.hires')}</th>
                <th scope="col">{t('board.wages.lowerQuartile')}</th>
                <th scope="col">{t('board.wages.median')}</th>
                <th scope="col">{t('board.wages.upperQuartile')}</th>
              </tr>
            </thead>
            <tbody>
              {insight.levels.map((cell) => (
                <tr key={cell.level}>
                  <th scope="row">{cell.level === 'none' ? t('board.wages.noCertificate') : t(`level.${cell.level as SkillLevel}`)}</th>
                  {cell.shown ? (
                    <>
                      <td>{cell.hires}</td>
                      <td>{cell.lowerQuartile?.toLocaleString(locale) ?? '—'}</td>
                      <td>{cell.median?.toLocaleString(locale)}</td>
                      <td>{cell.upperQuartile?.toLocaleString(locale) ?? '—'}</td>
                    </>
                  ) : (
                    <td colSpan={4}>{t('board.wages.tooFew', { minimum: insight.minimumHires })}</td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint">{t('board.wages.method', { quartileMinimum: insight.quartileMinimumHires })}</p>
        </>
      )}
    </section>
  );
}
