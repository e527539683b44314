// Names of common occupations of the national occupation classification (国家职业分类大典, 2022 edition),
// for showing a code to people: the console, the trainee's archive and certificate PDFs. Only names
// known for certain are listed; any other code has no name here and is shown as the code itself.

export type OccupationLocale = 'zh-CN' | 'en';

interface OccupationNames {
  'zh-CN': string;
  en: string;
}

const OCCUPATIONS: Readonly<Record<string, OccupationNames>> = {
  '4-03-02-01': { 'zh-CN': '中式烹调师', en: 'Chinese cook' },
  '4-03-02-02': { 'zh-CN': '中式面点师', en: 'Chinese pastry cook' },
  '6-18-01-01': { 'zh-CN': '车工', en: 'Turner' },
  '6-18-01-02': { 'zh-CN': '铣工', en: 'Milling machine operator' },
  '6-18-02-01': { 'zh-CN': '铸造工', en: 'Foundry worker' },
  '6-18-02-02': { 'zh-CN': '锻造工', en: 'Forging worker' },
  '6-18-02-03': { 'zh-CN': '金属热处理工', en: 'Metal heat treater' },
  '6-18-02-04': { 'zh-CN': '焊工', en: 'Welder' },
  '6-31-01-03': { 'zh-CN': '电工', en: 'Electrician' },
};

/** The occupation's name in the locale (default Chinese), or undefined for a code this table does not know. */
export function occupationName(code: string, locale: OccupationLocale = 'zh-CN'): string | undefined {
  return Object.hasOwn(OCCUPATIONS, code) ? OCCUPATIONS[code][locale] : undefined;
}

/** The name where known, else the code: what a page or a document shows. */
export const occupationLabel = (code: string, locale: OccupationLocale = 'zh-CN'): string => occupationName(code, locale) ?? code;
