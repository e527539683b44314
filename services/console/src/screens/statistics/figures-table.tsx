import { useI18n, type Translate } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/zh-CN';
import { CATEGORIES, figuresOf, type CategoryFigures, type RegionFigures, type RegionStatistics } from './use-region-statistics';
import { percent } from '../../components/percent';

const LEVELS = ['apprentice', 'junior', 'intermediate', 'senior', 'technician', 'senior_technician', 'special_technician', 'chief_technician'] as const;
const ROUTES = ['assessment', 'direct', 'exceptional', 'appointment', 'imported'] as const;
const WAGE_LEVELS = [...LEVELS, 'none'] as const;
type WageLevel = (typeof WAGE_LEVELS)[number];

/** Everyone's figures, or a category's (where a count under 5 is null: not shown). */
type Figures = RegionFigures | CategoryFigures;

/** One row: its key (data-figure, for tests and styles), its words, and its cell for a set of figures. */
interface Row {
  key: string;
  label: string;
  cell(figures: Figures | undefined): string;
}
interface Section {
  title?: MessageKey;
  rows: Row[];
  /** Said across the section's row when it has none (no hires, so no wages). */
  empty?: MessageKey;
}


/** The wage cell in words: a figure, "not shown" where fewer than 5 hires would single people out, or no hires at all. */
function wageWords(figures: Figures | undefined, level: WageLevel, t: Translate, locale: string): string {
  const wage = figures?.medianMonthlyWageByLevel[level];
  if (wage === undefined) return t('statistics.wage.noHires');
  if (wage === null) return t('statistics.wage.notShown');
  return t('statistics.wage.amount', { amount: wage.toLocaleString(locale) });
}

/** A count in words: a number, or "not shown" where a category counts fewer than 5 (null). */
function countWords(value: number | null | undefined, t: Translate, locale: string): string {
  return value === null ? t('statistics.count.notShown') : (value ?? 0).toLocaleString(locale);
}

function sectionsOf(columns: (Figures | undefined)[], t: Translate, locale: string): Section[] {
  const count = (key: string, label: MessageKey, value: (figures: Figures) => number | null | undefined): Row => ({
    key,
    label: t(label),
    cell: (figures) => (figures ? countWords(value(figures), t, locale) : '—'),
  });
  // A wage row for each level that had hires in some column: the API leaves out the levels without any.
  const wageLevels = WAGE_LEVELS.filter((level) => columns.some((figures) => figures?.medianMonthlyWageByLevel[level] !== undefined));
  return [
    {
      rows: [
        count('trainingSessions', 'statistics.figure.trainingSessions', (figures) => figures.trainingSessions),
        count('trained', 'statistics.figure.trained', (figures) => figures.trained),
        count('passed', 'statistics.figure.passed', (figures) => figures.passed),
        { key: 'passRate', label: t('statistics.figure.passRate'), cell: (figures) => (!figures ? '—' : figures.passRate === null ? t('statistics.count.notShown') : percent(figures.passRate)) },
        count('certificatesIssued', 'statistics.figure.certificatesIssued', (figures) => figures.certificatesIssued),
      ],
    },
    { title: 'statistics.group.byLevel', rows: LEVELS.map((level) => count(`level-${level}`, `level.${level}`, (figures) => figures.certificatesByLevel[level])) },
    { title: 'statistics.group.byRoute', rows: ROUTES.map((route) => count(`route-${route}`, `statistics.route.${route}`, (figures) => figures.certificatesByRoute[route])) },
    {
      rows: [
        count('revocations', 'statistics.figure.revocations', (figures) => figures.revocations),
        count('newHighSkillTalents', 'statistics.figure.newHighSkillTalents', (figures) => figures.newHighSkillTalents),
        count('highSkillTalents', 'statistics.figure.highSkillTalents', (figures) => figures.highSkillTalents),
        count('hires', 'statistics.figure.hires', (figures) => figures.hires),
      ],
    },
    {
      title: 'statistics.group.wages',
      empty: 'statistics.group.noHires',
      rows: wageLevels.map((level) => ({ key: `wage-${level}`, label: t(level === 'none' ? 'statistics.wage.noLevel' : `level.${level}`), cell: (figures) => wageWords(figures, level, t, locale) })),
    },
  ];
}

/**
 * Every figure of the period in one table: a row per figure, the total, and with `byCategory` a column per
 * trainee category. In a region of its own that scrolls sideways on a phone and can take the focus, so the
 * keyboard reaches the columns off screen too.
 */
export function FiguresTable({ statistics, byCategory, labelledBy }: { statistics: RegionStatistics; byCategory: boolean; labelledBy: string }) {
  const { t, locale } = useI18n();
  const columns: { key: string; label: string; figures: Figures | undefined }[] = [
    { key: 'all', label: t('statistics.figures.all'), figures: statistics },
    ...(byCategory ? CATEGORIES.map((category) => ({ key: category, label: t(`statistics.category.${category}`), figures: figuresOf(statistics, category) })) : []),
  ];
  const sections = sectionsOf(
    columns.map((column) => column.figures),
    t,
    locale,
  );
  const width = columns.length + 1;
  return (
    <div className="statistics-table" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      <table aria-labelledby={labelledBy} data-by-category={byCategory}>
        <thead>
          <tr>
            <th scope="col">{t('statistics.figures.figure')}</th>
            {columns.map((column) => (
              <th key={column.key} scope="col">
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        {sections.map((section, index) => (
          <tbody key={index}>
            {section.title && (
              <tr className="statistics-group">
                <th scope="rowgroup" colSpan={width}>
                  {t(section.title)}
                </th>
              </tr>
            )}
            {section.rows.length === 0 && section.empty ? (
              <tr>
                <td colSpan={width}>{t(section.empty)}</td>
              </tr>
            ) : (
              section.rows.map((row) => (
                <tr key={row.key} data-figure={row.key}>
                  <th scope="row">{row.label}</th>
                  {columns.map((column) => (
                    <td key={column.key} data-of={column.key}>
                      {row.cell(column.figures)}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        ))}
      </table>
    </div>
  );
}
