import { isSkillLevel, occupationLabel, occupationName, skillLevelName } from '@skills/domain-kernel';

// How the PDFs say things in Chinese, the language of the documents a trainee hands to an employer.

/** 2021-04-01 → 2021年4月1日. */
export function chineseDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return `${year}年${month}月${day}日`;
}

/** An instant's time of day in China Standard Time (UTC+8), as 14:05. */
export const chineseTime = (instant: Date): string => new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(11, 16);

export const levelWords = (level: unknown): string => (isSkillLevel(level) ? skillLevelName(level) : String(level ?? ''));

export const occupationWords = (code: unknown): string => (typeof code === 'string' ? occupationLabel(code) : '');

/** The name with its code, 焊工（6-18-02-04）; the code once where the table knows no name for it. */
export const occupationWithCode = (code: string): string => {
  const name = occupationName(code);
  return name ? `${name}（${code}）` : code;
};

const ROUTES: Record<string, string> = { assessment: '考核评价', direct: '直接认定', exceptional: '破格晋升', appointment: '聘任', imported: '历史证书导入' };
export const routeWords = (route: unknown): string => ROUTES[String(route)] ?? String(route ?? '');
