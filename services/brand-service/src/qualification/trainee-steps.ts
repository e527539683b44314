// How one trainee counts towards one brand's figures, as a function of the business date D
// (domain.md section 5). Each measure is a step function of D, kept as its changes: +1 on the day
// the trainee starts to count, -1 on the day they stop. A brand's figure as of D is the sum of its
// trainees' changes dated on or before D, so answering costs the number of distinct dates, never the
// length of history. Pure: recomputed from the trainee's facts whenever one of them arrives.

export type Measure = 'trained' | 'passed' | 'employed';

export interface StepChange {
  measure: Measure;
  on: string;
  delta: number;
}

export interface AssessmentFact {
  enrollmentId: string;
  assessedOn: string;
  passed: boolean;
  /** Recording order within the course: a higher version corrects a lower one of the same enrolment. */
  version: number;
}

export interface EmploymentFact {
  startDate: string;
  /** First day no longer employed; active on D when start ≤ D < end. */
  endDate?: string;
}

export interface Window {
  start: string;
  end: string;
}

/**
 * `assessments`: the trainee's results in the brand's courses (skill courses of building units in the
 * brand's occupations), every version; `employments`: at employers of the brand's industry.
 *
 * A later record for an enrolment corrects the earlier one (domain.md section 3), from its own date: as of
 * D, an enrolment's result is its latest version dated on or before D, and only that result counts, in
 * the window or not. A correction that moves the result out of the window takes the trainee out of
 * `trained` from the correction's date, as a correction to a fail takes them out of `passed`.
 */
export function traineeSteps(window: Window, assessments: AssessmentFact[], employments: EmploymentFact[]): StepChange[] {
  // None of them ever in the window: never trained, so never counted (the common case, answered at once).
  if (!assessments.some((fact) => inWindow(window, fact))) return [];
  const days = [...new Set([...assessments.map((fact) => fact.assessedOn), ...employments.flatMap((e) => [e.startDate, ...(e.endDate ? [e.endDate] : [])])])].sort();
  const counted = (day: string) => standingOn(assessments, day).filter((fact) => inWindow(window, fact));
  const trainedOn = (day: string) => counted(day).length > 0;
  return [
    ...changesOf('trained', days, trainedOn),
    ...changesOf('passed', days, (day) => counted(day).some((fact) => fact.passed)),
    ...changesOf('employed', days, (day) => trainedOn(day) && employments.some((e) => e.startDate <= day && (!e.endDate || e.endDate > day))),
  ];
}

const inWindow = (window: Window, fact: AssessmentFact) => fact.assessedOn >= window.start && fact.assessedOn <= window.end;

/** Each enrolment's result as of `day`: its latest version dated on or before `day`. */
function standingOn(facts: AssessmentFact[], day: string): AssessmentFact[] {
  const standing = new Map<string, AssessmentFact>();
  for (const fact of facts) {
    if (fact.assessedOn > day) continue;
    const current = standing.get(fact.enrollmentId);
    if (!current || fact.version > current.version) standing.set(fact.enrollmentId, fact);
  }
  return [...standing.values()];
}

/** The changes of a 0/1 function evaluated at the sorted days where it may change (0 before the first). */
function changesOf(measure: Measure, days: string[], holds: (day: string) => boolean): StepChange[] {
  const changes: StepChange[] = [];
  let previous = false;
  for (const day of days) {
    const now = holds(day);
    if (now !== previous) changes.push({ measure, on: day, delta: now ? 1 : -1 });
    previous = now;
  }
  return changes;
}

/** The value of each measure as of `asOf`, from summed changes. */
export function valuesAsOf(changes: StepChange[], asOf: string): Record<Measure, number> {
  const values: Record<Measure, number> = { trained: 0, passed: 0, employed: 0 };
  for (const change of changes) if (change.on <= asOf) values[change.measure] += change.delta;
  return values;
}
