import { isValidCreditCode, NATIONAL_REGION, readIndustryCode, readOccupationCode, readRegionCode, regionContains } from '@skills/domain-kernel';
import type { components } from '../../api/schema';
import type { MessageKey } from '../../i18n/zh-CN';

export type RegisterBrand = components['schemas']['RegisterBrandDto'];
export type BrandTier = RegisterBrand['tier'];
type Policy = RegisterBrand['policy'];

/** The policy's fields as the API names them in a refusal (policy.windowEnd), in the form's order. */
export const POLICY_FIELDS = ['policy.windowStart', 'policy.windowEnd', 'policy.minTrained', 'policy.minPassRate', 'policy.minEmploymentRate', 'policy.minEmployed'] as const;
type PolicyField = (typeof POLICY_FIELDS)[number];

/** A building unit's field as the API names it in a refusal: buildingUnits.0 the first. */
export type UnitField = `buildingUnits.${number}`;
export const unitField = (index: number): UnitField => `buildingUnits.${index}`;

/** Every field whose rule is said at it, as the API names it; the building units' as many as the form has, in the page's order (the units last, beside their finder). */
export type BrandField = 'name' | 'regionCode' | 'industryCode' | 'occupationCodes' | UnitField | PolicyField;
export const brandFields = (unitCount: number): BrandField[] => ['name', 'regionCode', 'industryCode', 'occupationCodes', ...POLICY_FIELDS, ...Array.from({ length: unitCount }, (_, index) => unitField(index))];

/** What the server checks (register-brand.dto.ts): the name's length and the counts' ceiling. */
export const NAME_MAX = 100;
const MAX_PEOPLE = 1_000_000;

/**
 * The one tier a bureau registers brands of (domain.md section 9: "only for the tier of its level"): the
 * ministry national ones, a province provincial ones, a city city ones; a county none (null).
 */
export function tierRegisteredBy(bureauRegion: string | null | undefined): BrandTier | null {
  if (bureauRegion === NATIONAL_REGION) return 'national';
  const reading = readRegionCode(bureauRegion ?? '');
  if (!reading.ok) return null;
  return reading.facts.level === 'province' ? 'provincial' : reading.facts.level === 'city' ? 'city' : null;
}

/** The occupation codes typed, split at commas (either width), 、 and spaces, each once. */
export const occupationCodesTyped = (typed: string): string[] => [...new Set(typed.split(/[\s,，、;；]+/).filter(Boolean))];

/** The region the brand may belong to, or why not: a region code inside the officer's bureau's, a city's or a county's (brand_region_above_city otherwise). */
export function regionRule(regionCode: string, bureauRegion: string): { key: MessageKey; values?: Record<string, string> } | null {
  const reading = readRegionCode(regionCode);
  if (regionCode === NATIONAL_REGION || (reading.ok && reading.facts.level === 'province')) return { key: 'brandRegister.regionAboveCity' };
  if (!reading.ok) return { key: 'brandRegister.regionRule' };
  if (!regionContains(bureauRegion, regionCode)) return { key: 'brandRegister.regionOutside', values: { region: bureauRegion } };
  return null;
}

/** The rule a building unit's credit code breaks, or none. */
export const unitRule = (creditCode: string): MessageKey | null => (creditCode === '' ? 'brandRegister.unitRequired' : isValidCreditCode(creditCode) ? null : 'brandRegister.unitRule');

export const industryRule = (industryCode: string): MessageKey | null => (readIndustryCode(industryCode).ok ? null : 'brandRegister.industryRule');

/** The codes typed that are no occupation code (read as the server reads them, domain-kernel). */
export const unreadOccupations = (codes: string[]): string[] => codes.filter((code) => !readOccupationCode(code).ok);

/** The policy's fields as typed: dates, counts, and rates as percentages (the brand page's way of saying them). */
type NameOf<Field> = Field extends `policy.${infer Name}` ? Name : never;
export type PolicyTyped = Record<NameOf<PolicyField>, string> & { requiresEthicsTraining: boolean };

/** A count of people: a whole number up to the server's ceiling; '' where `optional` leaves it out. */
const countOf = (typed: string): number | null => (/^\d+$/.test(typed) && Number(typed) <= MAX_PEOPLE ? Number(typed) : null);

/** A percentage from 0 to 100 with at most two decimals, as the fraction the API takes (85 → 0.85; four places, as the API answers rates). */
export function rateOf(typed: string): number | null {
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(typed)) return null;
  const percentage = Number(typed);
  return percentage <= 100 ? Math.round(percentage * 100) / 10_000 : null;
}

/** The policy as the API takes it, or each field's rule broken (a window ending before it starts as the server says it, policy_window_inverted). */
export function policyOf(typed: PolicyTyped): { policy: Policy } | { wrong: Partial<Record<PolicyField, MessageKey>> } {
  const wrong: Partial<Record<PolicyField, MessageKey>> = {};
  if (!typed.windowStart) wrong['policy.windowStart'] = 'brandRegister.dateRequired';
  if (!typed.windowEnd) wrong['policy.windowEnd'] = 'brandRegister.dateRequired';
  else if (typed.windowStart && typed.windowEnd < typed.windowStart) wrong['policy.windowEnd'] = 'fieldRule.policy_window_inverted';
  const minTrained = countOf(typed.minTrained);
  if (minTrained === null) wrong['policy.minTrained'] = 'brandRegister.countRule';
  const minPassRate = rateOf(typed.minPassRate);
  if (minPassRate === null) wrong['policy.minPassRate'] = 'brandRegister.rateRule';
  const minEmploymentRate = rateOf(typed.minEmploymentRate);
  if (minEmploymentRate === null) wrong['policy.minEmploymentRate'] = 'brandRegister.rateRule';
  // Left out when empty: the DTO refuses null.
  const minEmployed = typed.minEmployed === '' ? undefined : countOf(typed.minEmployed);
  if (minEmployed === null) wrong['policy.minEmployed'] = 'brandRegister.countRule';
  if (Object.keys(wrong).length || minTrained === null || minPassRate === null || minEmploymentRate === null || minEmployed === null) return { wrong };
  return {
    policy: {
      windowStart: typed.windowStart,
      windowEnd: typed.windowEnd,
      minTrained,
      minPassRate,
      minEmploymentRate,
      ...(minEmployed === undefined ? {} : { minEmployed }),
      requiresEthicsTraining: typed.requiresEthicsTraining,
    },
  };
}
