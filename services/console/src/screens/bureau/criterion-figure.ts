// A brand's figures as the bureau reads them: in the figures table and in a refused certification's unmet criteria.
// Plain TypeScript (no JSX, no import of one), so the catalogue specs run it as the console does.
import { percent } from '../../components/percent';

/** The words it needs: any Translate of the console's catalogues. */
type YesNo = (key: 'common.yes' | 'common.no') => string;

/** The criteria that are rates (fractions in [0, 1]), as QualificationAnswer's `unmet` names them. */
const RATES: ReadonlySet<string> = new Set(['minPassRate', 'minEmploymentRate']);


/**
 * A criterion's figure (actual or required) as the bureau reads it, in the table and in a refusal's unmet
 * criteria alike: a rate as a percentage, ethics training held or not in words, a count as it is.
 * `short`: an actual figure that misses its threshold.
 */
export function criterionFigure(criterion: string, value: number | boolean, t: YesNo, short = false): string {
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
  return RATES.has(criterion) ? percent(value, short) : String(value);
}
