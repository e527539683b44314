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
/** Reported to four places; judged on the exact fraction, so 0.84996 never passes a 0.85 threshold. */
const rounded = (value: number) => Math.round(value * 10_000) / 10_000;

export function judge(policy: QualificationPolicy, figures: QualificationFigures, asOf: string): Qualification {
  const passRate = rate(figures.passed, figures.trained);
  const employmentRate = rate(figures.employedInIndustry, figures.trained);
  const unmet: UnmetCriterion[] = [];
  if (figures.trained < policy.minTrained) unmet.push({ criterion: 'minTrained', actual: figures.trained, required: policy.minTrained });
  if (passRate < policy.minPassRate) unmet.push({ criterion: 'minPassRate', actual: rounded(passRate), required: policy.minPassRate });
  if (employmentRate < policy.minEmploymentRate) unmet.push({ criterion: 'minEmploymentRate', actual: rounded(employmentRate), required: policy.minEmploymentRate });
  if (policy.minEmployed !== undefined && figures.employedInIndustry < policy.minEmployed) {
    unmet.push({ criterion: 'minEmployed', actual: figures.employedInIndustry, required: policy.minEmployed });
  }
  if (policy.requiresEthicsTraining && !figures.ethicsTrainingHeld) unmet.push({ criterion: 'requiresEthicsTraining', actual: false, required: true });
  return { asOf, ...figures, passRate: rounded(passRate), employmentRate: rounded(employmentRate), qualifies: unmet.length === 0, unmet };
}
