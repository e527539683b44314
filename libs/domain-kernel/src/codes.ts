// National classification codes used across contexts (domain.md section 1). The regular expressions
// check the shape only; the readers also check the rules a shape cannot express, and say which one a
// code breaks (for a 400 naming the rule).

export const REGION_CODE = /^\d{6}$/;
export const OCCUPATION_CODE = /^\d-\d{2}-\d{2}-\d{2}$/;
export const INDUSTRY_CODE = /^[A-T]\d{2}$/;
export const MOBILE_NUMBER = /^1\d{10}$/;

/** What a reader found in a code, or the first rule the code breaks. */
export type CodeReading<Facts> = { ok: true; facts: Facts } | { ok: false; problem: string };

// ---------------------------------------------------------------------------------------------
// Region codes (GB/T 2260)
// ---------------------------------------------------------------------------------------------

/** The first two digits of every GB/T 2260 code: the provinces, autonomous regions, municipalities and SARs. */
// prettier-ignore
export const PROVINCE_PREFIXES = [
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82',
] as const;

export type ProvincePrefix = (typeof PROVINCE_PREFIXES)[number];

export const isProvincePrefix = (value: string): value is ProvincePrefix => (PROVINCE_PREFIXES as readonly string[]).includes(value);

/** `430000` is a province, `430200` a city (prefecture), `430202` a district or county. */
export type RegionLevel = 'province' | 'city' | 'district';

export interface RegionCodeFacts {
  code: string;
  province: ProvincePrefix;
  level: RegionLevel;
}

/**
 * A GB/T 2260 code: six digits, the first two a province. Below a province the city digits come
 * first: no code names a district (last two digits) without its city (middle two), so `430012` is refused.
 */
export function readRegionCode(code: string): CodeReading<RegionCodeFacts> {
  if (!REGION_CODE.test(code)) return { ok: false, problem: 'a region code is 6 digits (GB/T 2260), e.g. 430200' };
  const province = code.slice(0, 2);
  if (!isProvincePrefix(province)) return { ok: false, problem: `a region code starts with a province (11–82), not ${province}` };
  const city = code.slice(2, 4);
  const district = code.slice(4, 6);
  if (city === '00' && district !== '00') return { ok: false, problem: 'a district code needs its city digits (digits 3–4 are 00)' };
  const level: RegionLevel = city === '00' ? 'province' : district === '00' ? 'city' : 'district';
  return { ok: true, facts: { code, province, level } };
}

/**
 * GB/T 2260 codes nest: 430000 (province) ⊃ 430200 (city) ⊃ 430202 (district). The leading digits a
 * code shares with everything inside it, for "in this region" filters.
 */
export function regionPrefix(regionCode: string): string {
  if (regionCode === NATIONAL_REGION) return '';
  if (regionCode.endsWith('0000')) return regionCode.slice(0, 2);
  if (regionCode.endsWith('00')) return regionCode.slice(0, 4);
  return regionCode;
}

/** The whole country (the national ministry's code, api.md): it contains every code. */
export const NATIONAL_REGION = '000000';

/** "Its region" (domain.md section 9): the code and every code inside it (`430200` contains `430202`). */
export function regionContains(outer: string, inner: string): boolean {
  return inner.startsWith(regionPrefix(outer));
}

// ---------------------------------------------------------------------------------------------
// Occupation codes (national occupation classification, 中华人民共和国职业分类大典)
// ---------------------------------------------------------------------------------------------

/** Editions of the classification a code may come from; codes change between editions. */
export const OCCUPATION_EDITIONS = ['2015', '2022'] as const;

export type OccupationEdition = (typeof OCCUPATION_EDITIONS)[number];

export const CURRENT_OCCUPATION_EDITION: OccupationEdition = '2022';

export const isOccupationEdition = (value: unknown): value is OccupationEdition => typeof value === 'string' && (OCCUPATION_EDITIONS as readonly string[]).includes(value);

export interface OccupationCodeFacts {
  code: string;
  edition: OccupationEdition;
  /** 大类, 1–8 in both editions (6 = production and manufacturing, where welders are). */
  majorGroup: number;
}

/** `6-18-02-04` (welder 焊工) read against an edition of the classification (default: the current one). */
export function readOccupationCode(code: string, edition: string = CURRENT_OCCUPATION_EDITION): CodeReading<OccupationCodeFacts> {
  if (!isOccupationEdition(edition)) return { ok: false, problem: `unknown occupation classification edition ${edition} (known: ${OCCUPATION_EDITIONS.join(', ')})` };
  if (!OCCUPATION_CODE.test(code)) return { ok: false, problem: 'an occupation code looks like D-DD-DD-DD, e.g. 6-18-02-04' };
  const majorGroup = Number(code[0]);
  if (majorGroup < 1 || majorGroup > 8) return { ok: false, problem: `an occupation code starts with a major group 1–8, not ${majorGroup}` };
  return { ok: true, facts: { code, edition, majorGroup } };
}

// ---------------------------------------------------------------------------------------------
// Industry codes (GB/T 4754-2017): section letter + two-digit division
// ---------------------------------------------------------------------------------------------

/** The divisions (大类) each section (门类) holds, first and last inclusive. */
export const INDUSTRY_SECTIONS = {
  A: [1, 5], // 农、林、牧、渔业
  B: [6, 12], // 采矿业
  C: [13, 43], // 制造业
  D: [44, 46], // 电力、热力、燃气及水生产和供应业
  E: [47, 50], // 建筑业
  F: [51, 52], // 批发和零售业
  G: [53, 60], // 交通运输、仓储和邮政业
  H: [61, 62], // 住宿和餐饮业
  I: [63, 65], // 信息传输、软件和信息技术服务业
  J: [66, 69], // 金融业
  K: [70, 70], // 房地产业
  L: [71, 72], // 租赁和商务服务业
  M: [73, 75], // 科学研究和技术服务业
  N: [76, 79], // 水利、环境和公共设施管理业
  O: [80, 82], // 居民服务、修理和其他服务业
  P: [83, 83], // 教育
  Q: [84, 85], // 卫生和社会工作
  R: [86, 90], // 文化、体育和娱乐业
  S: [91, 96], // 公共管理、社会保障和社会组织
  T: [97, 97], // 国际组织
} as const satisfies Record<string, readonly [number, number]>;

export type IndustrySection = keyof typeof INDUSTRY_SECTIONS;

export interface IndustryCodeFacts {
  code: string;
  section: IndustrySection;
  division: number;
}

/** `C34` (general equipment manufacturing), `O80` (household services): the division must lie in its section. */
export function readIndustryCode(code: string): CodeReading<IndustryCodeFacts> {
  if (!INDUSTRY_CODE.test(code)) return { ok: false, problem: 'an industry code is a GB/T 4754 section letter A–T and a two-digit division, e.g. C34' };
  const section = code[0] as IndustrySection;
  const division = Number(code.slice(1));
  const [first, last] = INDUSTRY_SECTIONS[section];
  if (division < first || division > last) {
    const range = (value: number) => String(value).padStart(2, '0');
    return { ok: false, problem: `division ${code.slice(1)} is not in section ${section} (${range(first)}–${range(last)})` };
  }
  return { ok: true, facts: { code, section, division } };
}
