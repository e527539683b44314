import { businessDateOf, NATIONAL_REGION, occupationName } from '@skills/domain-kernel';
import { Freshness } from '@skills/service-runtime';
import { PERIOD } from '../figures/periods';
import { SMALLEST_CATEGORY_CELL, SMALLEST_WAGE_CELL } from '../figures/region-figures';

/** When a file was made and how complete its figures were then: a file outlives the answer's headers. */
export interface ExportMade {
  freshness: Freshness;
  madeAt: Date;
}

/** A period as a bureau writes it: 2025年, 2025年第3季度, 2025年7月. */
export function periodWords(period: string): string {
  const [, year, month, quarter] = PERIOD.exec(period) ?? [];
  if (month) return `${year}年${Number(month)}月`;
  if (quarter) return `${year}年第${quarter}季度`;
  return `${year ?? period}年`;
}

/** An instant as a day and time in China Standard Time (UTC+8): 2026年12月7日 12:30. */
function beijingTime(instant: Date): string {
  const [year, month, day] = businessDateOf(instant).split('-').map(Number);
  return `${year}年${month}月${day}日 ${new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(11, 16)}`;
}

/** When the file was made, said by every file (complete or not): a printed table is filed and read later. */
export const madeAtNote = ({ madeAt }: ExportMade): string => `制表时间：${beijingTime(madeAt)}（北京时间）`;

/**
 * What a file made while the figures were not complete (the answer's completeUpTo null: facts still arriving,
 * or parked as dead letters) says of itself, in the words the archive PDF uses; nothing when complete.
 */
export function incompleteNote({ freshness: { completeUpTo, pendingFacts }, madeAt }: ExportMade): string[] {
  if (completeUpTo !== null) return [];
  const lacking = pendingFacts ? `尚有 ${pendingFacts} 条记录未计入` : '可能尚有记录未计入';
  return [`注意：截至 ${beijingTime(madeAt)}（北京时间），本表数据可能不完整，${lacking}。`];
}

/** The region (no names of GB/T 2260 codes are kept here: the code), the period and the occupation filter. */
export function regionContentNotes(regionCode: string, period: string, occupationCode: string | undefined): string[] {
  return [
    `地区：${regionCode === NATIONAL_REGION ? `全国（${NATIONAL_REGION}）` : regionCode}${regionCode.endsWith('00') ? '（含其下辖地区）' : ''}`,
    `统计期：${periodWords(period)}（${period}），按业务日期`,
    `职业：${occupationCode ? occupationWords(occupationCode) : '全部职业'}`,
  ];
}

/** An occupation by its name and code, or by its code alone where the classification has no name for it (not 6-99-99-99（6-99-99-99）). */
function occupationWords(occupationCode: string): string {
  const name = occupationName(occupationCode, 'zh-CN');
  return name ? `${name}（${occupationCode}）` : occupationCode;
}

/** What an empty cell of the region's table means. */
export const BLANK_CELL_NOTE =
  `空白单元格：不显示的数。人群类别列中不足 ${SMALLEST_CATEGORY_CELL} 的数（含 0）不显示，其合格率随之不显示；月工资中位数在录用不足 ${SMALLEST_WAGE_CELL} 人时不显示。`;

/** The school (its name where known here, always its id) and the period. */
export function outcomesContentNotes(provider: { id: string; name: string | null }, period: string): string[] {
  return [`学校：${provider.name ? `${provider.name}（${provider.id}）` : provider.id}`, `统计期：${periodWords(period)}（${period}），按考核日期`];
}
