/**
 * The catalogue key of a field as a 400 names it: `field.policy.windowStart` for a nested one, and an
 * array's item by its array (`occupationCodes.0` → `field.occupationCodes`), since which item is wrong the
 * form shows itself. The catalogue spec checks every field of the API through this very mapping.
 */
export const fieldKeyOf = (field: string) =>
  `field.${field
    .split('.')
    .filter((part) => !/^\d+$/.test(part))
    .join('.')}`;
