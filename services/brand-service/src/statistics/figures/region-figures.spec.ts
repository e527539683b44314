import { regionFigures, StoredShare } from './region-figures';
import { ALL } from './trainee-figures';

/** A region's stored wage rows for one period: `level:wage` → hires (a row whose hires moved elsewhere stays with 0). */
const wageRows = (cells: Record<string, number>, category = ALL): StoredShare[] => Object.entries(cells).map(([dimension, value]) => ({ category, figure: 'wages', dimension, value }));

describe('median monthly wage by level (docs/statistics.md: a level appears where there were hires)', () => {
  it('leaves out a level whose rows all came back to 0, when its one hire moved to the level a backdated certificate gave', () => {
    // Hired 07-15 with no level (none:8000), then a certificate dated 06-20 arrived: the hire is a senior's now.
    const figures = regionFigures([...wageRows({ 'none:8000': 0, 'senior:8000': 1 }), ...wageRows({ 'none:8000': 0 }, 'rural_migrant')], new Map());
    expect(figures.medianMonthlyWageByLevel).toEqual({ senior: null });
    // A category shows everyone's levels (null under 5 of its hires): which levels its own hires had is not told.
    expect(figures.byCategory.rural_migrant.medianMonthlyWageByLevel).toEqual({ senior: null });
  });

  it('keeps a level with hires left, its median drawn from them alone, and null under 5 hires', () => {
    const figures = regionFigures(wageRows({ 'none:5000': 2, 'none:6000': 0, 'none:7000': 3, 'junior:6500': 1, 'intermediate:9000': 0 }), new Map());
    expect(figures.medianMonthlyWageByLevel).toEqual({ junior: null, none: 7000 });
  });
});
