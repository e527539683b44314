// Rates (fractions in [0, 1], as the API gives them) as people read them.

/**
 * A rate as a percentage to one place. One short of its threshold is rounded down (84.98 % reads 84.9 %,
 * not 85.0 %), so it never reads as the threshold it misses; from its ten-thousandths, which the API's
 * four places are exactly (`rate * 1000` may be 849.99999…).
 */
export const percent = (rate: number, short = false): string => `${percentValue(rate, short).toFixed(1)}%`;

/** The same percentage as a number, for a chart's points: one short of its threshold never plots on its line. */
export function percentValue(rate: number, short = false): number {
  const tenths = Math.round(rate * 10_000) / 10;
  return (short ? Math.floor(tenths) : Math.round(tenths)) / 10;
}
