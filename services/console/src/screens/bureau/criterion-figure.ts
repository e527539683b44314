// A brand's figures as the bureau reads them: in the figures table and in a refused certification's unmet criteria.
// Plain TypeScript (no JSX, no import of one), so the catalogue specs run it as the console does.

/** The words it needs: any Translate of the console's catalogues. */
type YesNo = (key: 'common.yes' | 'common.no') => string;

/** The criteria that are rates (fractions in [0, 1]), as QualificationAnswer's `unmet` names them. */
const RATES: ReadonlySet<string> = new Set(['minPassRate', 'minEmploymentRate']);

/**
 * A rate as a percentage to one place. One short of its threshold is rounded down (84.98 % reads 84.9 %,
 * not 85.0 %), so it never reads as the threshold it misses; from its ten-thousandths, which the API's
 * four places are exactly (`rate * 1000` may be 849.99999…).
 */
const percent = (rate: number, short: boolean) => {
  const tenths = Math.round(rate * 10_000) / 10;
  return `${((short ? Math.floor(tenths) : Math.round(tenths)) / 10).toFixed(1)}%`;
};

/**
 * A criterion's figure (actual or required) as the bureau reads it, in the table and in a refusal's unmet
 * criteria alike: a rate as a percentage, ethics training held or not in words, a count as it is.
 * `short`: an actual figure that misses its threshold.
 */
export function criterionFigure(criterion: string, value: number | boolean, t: YesNo, short = false): string {
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
  return RATES.has(criterion) ? percent(value, short) : String(value);
}
