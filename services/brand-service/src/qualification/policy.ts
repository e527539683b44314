// A brand's qualification policy is data (thresholds differ by place and year), and so is its verdict.

export interface QualificationPolicy {
  windowStart: string;
  windowEnd: string;
  minTrained: number;
  /** Fractions in [0, 1]. */
  minPassRate: number;
  minEmploymentRate: number;
  minEmployed?: number;
  requiresEthicsTraining: boolean;
}

export interface QualificationFigures {
  trained: number;
  passed: number;
  employedInIndustry: number;
  ethicsTrainingHeld: boolean;
}

export interface UnmetCriterion {
  criterion: 'minTrained' | 'minPassRate' | 'minEmploymentRate' | 'minEmployed' | 'requiresEthicsTraining';
  actual: number | boolean;
  required: number | boolean;
}

export interface Qualification extends QualificationFigures {
  asOf: string;
  passRate: number;
  employmentRate: number;
  qualifies: boolean;
  unmet: UnmetCriterion[];
}

const rate = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/**
 * A rate as reported, to four places; judged on the exact fraction, so 0.84996 never passes a 0.85
 * threshold. One short of its threshold is rounded down (0.8499, not 0.85), so it never reads as the
 * threshold it misses. From the counts: `part * 10000 / whole` is exact where `rate * 10000` is not.
 */
function reportedRate(part: number, whole: number, required: number): number {
  if (whole === 0) return 0;
  const tenThousandths = (part * 10_000) / whole;
  return (rate(part, whole) < required ? Math.floor(tenThousandths) : Math.round(tenThousandths)) / 10_000;
}

export function judge(policy: QualificationPolicy, figures: QualificationFigures, asOf: string): Qualification {
  const passRate = rate(figures.passed, figures.trained);
  const employmentRate = rate(figures.employedInIndustry, figures.trained);
  const reportedPassRate = reportedRate(figures.passed, figures.trained, policy.minPassRate);
  const reportedEmploymentRate = reportedRate(figures.employedInIndustry, figures.trained, policy.minEmploymentRate);
  const unmet: UnmetCriterion[] = [];
  if (figures.trained < policy.minTrained) unmet.push({ criterion: 'minTrained', actual: figures.trained, required: policy.minTrained });
  if (passRate < policy.minPassRate) unmet.push({ criterion: 'minPassRate', actual: reportedPassRate, required: policy.minPassRate });
  if (employmentRate < policy.minEmploymentRate) unmet.push({ criterion: 'minEmploymentRate', actual: reportedEmploymentRate, required: policy.minEmploymentRate });
  if (policy.minEmployed !== undefined && figures.employedInIndustry < policy.minEmployed) {
    unmet.push({ criterion: 'minEmployed', actual: figures.employedInIndustry, required: policy.minEmployed });
  }
  if (policy.requiresEthicsTraining && !figures.ethicsTrainingHeld) unmet.push({ criterion: 'requiresEthicsTraining', actual: false, required: true });
  return { asOf, ...figures, passRate: reportedPassRate, employmentRate: reportedEmploymentRate, qualifies: unmet.length === 0, unmet };
}
