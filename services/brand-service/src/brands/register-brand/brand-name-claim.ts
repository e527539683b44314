import type { UniqueClaim } from '@skills/event-sourcing';

/**
 * A brand's name claimed in its region: two brands of one name in a region read as one in its list, so the
 * second is refused (409 brand_name_taken, naming the brand that holds it), even sent at the same moment (the
 * claim's key is unique). Registration claims the name; a correction claims the new one.
 */
export const brandNameClaim = (brandId: string, regionCode: string, name: string): UniqueClaim => ({
  table: 'brand_name_claims',
  key: { region_code: regionCode, name },
  holder: { column: 'brand_id', id: brandId },
  rule: 'brand_name_taken',
  detail: `a brand named ${name} is already registered in region ${regionCode}`,
  context: { name, regionCode },
});
