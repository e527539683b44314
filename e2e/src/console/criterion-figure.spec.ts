// A brand's figures as the bureau reads them (screens/bureau/criterion-figure.ts): a rate that misses its
// threshold must not read as the threshold. The API reports such a rate rounded down to four places
// (brand-service policy.ts); the console shows one place, rounded down again for a missed threshold.
import { criterionFigure } from '@skills/console';
import { wordsOf } from './browser';

const t = wordsOf('en');

describe('a criterion’s figure in the console', () => {
  it('shows a rate short of its threshold rounded down, and others rounded to one place', () => {
    expect(criterionFigure('minPassRate', 0.8499, t, true)).toBe('84.9%');
    expect(criterionFigure('minPassRate', 0.8499, t)).toBe('85.0%');
    expect(criterionFigure('minPassRate', 0.85, t)).toBe('85.0%');
    expect(criterionFigure('minEmploymentRate', 0.57, t, true)).toBe('57.0%');
    expect(criterionFigure('minEmploymentRate', 0.6667, t)).toBe('66.7%');
    expect(criterionFigure('minTrained', 413, t, true)).toBe('413');
    expect(criterionFigure('requiresEthicsTraining', false, t, true)).toBe(t('common.no'));
  });
});
