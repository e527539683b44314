import { TRAINEE_CATEGORIES, TRAINEE_CATEGORY_TITLES } from '@skills/contracts';
import { SKILL_LEVEL_NAMES, SKILL_LEVELS } from '@skills/domain-kernel';
import { CategoryFigures, CERTIFICATE_ROUTES, NO_LEVEL, RegionFigures, WAGE_LEVELS } from '../figures/region-figures';
import { OutcomeFigures } from '../read-models/statistics-reader';
import { BLANK_CELL_NOTE, ExportMade, incompleteNote, madeAtNote, outcomesContentNotes, regionContentNotes } from './export-notes';
import { ExportTable } from './table-export';

const ROUTE_TITLES: Record<string, string> = { assessment: '职业技能等级认定', direct: '直接认定', exceptional: '破格晋升', appointment: '聘任', imported: '历史证书导入' };
const PASS_RATE = '培训合格率';
const levelTitle = (level: string) => (level === NO_LEVEL ? '无等级' : SKILL_LEVEL_NAMES[level as keyof typeof SKILL_LEVEL_NAMES]);

/**
 * One row per figure, one column for everyone and one per category: the region's answer as a bureau files it.
 * A cell not shown in the answer (a wage cell under 5 hires, a category's count under 5) is empty. The notes
 * name the region, the period and the occupation (in the file's name too), say what an empty cell means,
 * whether the figures were complete when the file was made, and (last, where a filed table says it) when it was made.
 */
export function regionTable(
  { regionCode, period, occupationCode }: { regionCode: string; period: string; occupationCode: string | undefined },
  figures: RegionFigures & { byCategory: Record<string, CategoryFigures> },
  made: ExportMade,
): ExportTable {
  const all: (RegionFigures | CategoryFigures)[] = [figures, ...TRAINEE_CATEGORIES.map((category) => figures.byCategory[category])];
  const row = (title: string, value: (of: RegionFigures | CategoryFigures) => number | null) => [title, ...all.map(value)];
  return {
    // As the console names the download (statistics.tsx).
    name: `statistics-${regionCode}-${period}${occupationCode ? `-${occupationCode}` : ''}`,
    title: `${regionCode} ${period} 统计`,
    columns: ['指标', '合计', ...TRAINEE_CATEGORIES.map((category) => TRAINEE_CATEGORY_TITLES[category])],
    rows: [
      row('培训人次', (of) => of.trainingSessions),
      row('培训人数', (of) => of.trained),
      // As the console's figures table names it (statistics.figure.passed).
      row('培训合格人数', (of) => of.passed),
      row(PASS_RATE, (of) => of.passRate),
      row('发证数', (of) => of.certificatesIssued),
      ...SKILL_LEVELS.map((level) => row(`发证数：${SKILL_LEVEL_NAMES[level]}`, (of) => of.certificatesByLevel[level])),
      ...CERTIFICATE_ROUTES.map((route) => row(`发证数：${ROUTE_TITLES[route]}`, (of) => of.certificatesByRoute[route])),
      row('撤销证书数', (of) => of.revocations),
      row('新增高技能人才', (of) => of.newHighSkillTalents),
      row('期末高技能人才', (of) => of.highSkillTalents),
      row('就业人数（录用）', (of) => of.hires),
      ...WAGE_LEVELS.map((level) => row(`月工资中位数：${levelTitle(level)}`, (of) => of.medianMonthlyWageByLevel[level] ?? null)),
    ],
    rateRows: [PASS_RATE],
    notes: [...incompleteNote(made), ...regionContentNotes(regionCode, period, occupationCode), BLANK_CELL_NOTE, madeAtNote(made)],
  };
}

/** One row per course and one for the school, each person once in the school's row; notes naming the school and the period, and whether complete. */
export function outcomesTable(
  provider: { id: string; name: string | null },
  period: string,
  outcomes: OutcomeFigures & { courses: (OutcomeFigures & { courseId: string; title: string })[] },
  made: ExportMade,
): ExportTable {
  const row = (id: string | null, title: string, of: OutcomeFigures) => [id, title, of.graduates, of.employedWithin3Months, of.employedWithin6Months];
  return {
    name: `outcomes-${provider.id}-${period}`,
    title: `${period} 毕业生就业`,
    columns: ['课程编号', '课程名称', '毕业人数', '3个月内就业人数', '6个月内就业人数'],
    rows: [...outcomes.courses.map((course) => row(course.courseId, course.title, course)), row(null, '合计', outcomes)],
    notes: [...incompleteNote(made), ...outcomesContentNotes(provider, period), madeAtNote(made)],
  };
}
