import { judge, QualificationPolicy } from './policy';

const policy: QualificationPolicy = { windowStart: '2025-01-01', windowEnd: '2025-12-31', minTrained: 300, minPassRate: 0.85, minEmploymentRate: 0.7, requiresEthicsTraining: false };
const figures = (trained: number, passed: number, employedInIndustry: number) => ({ trained, passed, employedInIndustry, ethicsTrainingHeld: true });

describe('a brand’s rates as reported', () => {
  it('rounds a rate short of its threshold down, so it never reads as the threshold it misses', () => {
    // 351 / 413 = 0.84988 and 289 / 413 = 0.69976: to four places, half up, they would read 0.8499 and 0.6998;
    // 861 / 1013 = 0.849951 would read 0.85, the very threshold.
    expect(judge(policy, figures(413, 351, 289), '2025-12-31')).toMatchObject({
      passRate: 0.8498,
      employmentRate: 0.6997,
      qualifies: false,
      unmet: [
        { criterion: 'minPassRate', actual: 0.8498, required: 0.85 },
        { criterion: 'minEmploymentRate', actual: 0.6997, required: 0.7 },
      ],
    });
    const nearly = judge(policy, figures(1013, 861, 800), '2025-12-31');
    expect(nearly.unmet).toEqual([{ criterion: 'minPassRate', actual: 0.8499, required: 0.85 }]);
    expect(nearly.passRate).toBe(0.8499);
  });

  it('rounds a rate that meets its threshold to the nearest four places', () => {
    // 2 / 3 = 0.66667 meets 0.6: 0.6667; 57 / 100 = 0.57 exactly (where 0.57 × 100 is 56.99999… in floating point).
    expect(judge({ ...policy, minTrained: 1, minPassRate: 0.6, minEmploymentRate: 0.5 }, figures(3, 2, 2), '2025-12-31')).toMatchObject({ passRate: 0.6667, employmentRate: 0.6667, qualifies: true, unmet: [] });
    expect(judge({ ...policy, minTrained: 1, minPassRate: 0.57, minEmploymentRate: 0.5 }, figures(100, 57, 57), '2025-12-31')).toMatchObject({ passRate: 0.57, qualifies: true });
    expect(judge(policy, figures(0, 0, 0), '2025-12-31')).toMatchObject({ passRate: 0, employmentRate: 0 });
  });
});
