/**
 * How wages drawn from hires are published, in the region statistics and the placements board alike
 * (domain.md section 6: a wage cell drawn from fewer than 5 hires is not shown).
 */

/** Fewer hires than this in a wage cell, and no figure of it is shown. */
export const SMALLEST_WAGE_CELL = 5;

/**
 * A published wage is rounded to this many yuan. Answers overlap (a month in its quarter, a district in its
 * city): exact medians would give a wage hidden in a cell of fewer than 5 hires by difference (a month of 5
 * hires with the median 7000 and a quarter of 6 with 7100 give the sixth, 2 × 7100 − 7000 = 7200). Rounded,
 * such a difference only bounds it.
 */
export const WAGE_ROUNDING = 100;

/** A wage as published: to the nearest WAGE_ROUNDING yuan (halves up). */
export const publishedWage = (wage: number): number => Math.round(wage / WAGE_ROUNDING) * WAGE_ROUNDING;
