// Shapes of the national classification codes used across contexts.
export const REGION_CODE = /^\d{6}$/;
export const OCCUPATION_CODE = /^\d-\d{2}-\d{2}-\d{2}$/;
export const INDUSTRY_CODE = /^[A-T]\d{2}$/;
export const MOBILE_NUMBER = /^1\d{10}$/;

/**
 * GB/T 2260 codes nest: 430000 (province) ⊃ 430200 (city) ⊃ 430202 (district). The leading digits a
 * code shares with everything inside it, for "in this region" filters.
 */
export function regionPrefix(regionCode: string): string {
  if (regionCode.endsWith('0000')) return regionCode.slice(0, 2);
  if (regionCode.endsWith('00')) return regionCode.slice(0, 4);
  return regionCode;
}
