import { EmploymentFact, traineeSteps, valuesAsOf } from './trainee-steps';

const window = { start: '2020-11-01', end: '2021-09-30' };
const result = (enrollmentId: string, assessedOn: string, passed: boolean, version = 1) => ({ enrollmentId, assessedOn, passed, version });
const at = (assessments: ReturnType<typeof result>[], employments: EmploymentFact[], asOf: string) => valuesAsOf(traineeSteps(window, assessments, employments), asOf);

describe('how one trainee counts as of a business date', () => {
  it('counts a result on the first and on the last day of the window, not one a day outside', () => {
    expect(at([result('e', '2020-11-01', true)], [], '2021-09-30')).toEqual({ trained: 1, passed: 1, employed: 0 });
    expect(at([result('e', '2021-09-30', true)], [], '2021-09-30')).toEqual({ trained: 1, passed: 1, employed: 0 });
    expect(at([result('e', '2020-10-31', true)], [], '2021-09-30')).toEqual({ trained: 0, passed: 0, employed: 0 });
    expect(at([result('e', '2021-10-01', true)], [], '2021-12-31')).toEqual({ trained: 0, passed: 0, employed: 0 });
  });

  it('does not count a result dated after the date asked about', () => {
    expect(at([result('e', '2021-05-01', true)], [], '2021-04-30')).toEqual({ trained: 0, passed: 0, employed: 0 });
  });

  it('counts the correction of a failed result as a pass from its own date', () => {
    const facts = [result('e', '2021-05-30', false, 3), result('e', '2021-05-31', true, 4)];
    expect(at(facts, [], '2021-05-30')).toEqual({ trained: 1, passed: 0, employed: 0 });
    expect(at(facts, [], '2021-05-31')).toEqual({ trained: 1, passed: 1, employed: 0 });
  });

  it('lets a later correction to a fail take the pass away', () => {
    const facts = [result('e', '2021-05-30', true, 3), result('e', '2021-06-02', false, 4)];
    expect(at(facts, [], '2021-06-01')).toMatchObject({ passed: 1 });
    expect(at(facts, [], '2021-06-02')).toMatchObject({ passed: 0, trained: 1 });
  });

  it('lets a correction dated after the window take the trainee out of the figures from its date', () => {
    // Passed on 28 September; corrected on 8 October to a fail: from then the enrolment's result is that
    // fail, outside the window, so the trainee is neither trained nor passed (domain.md: the latest correction counts).
    const facts = [result('e', '2021-09-28', true, 3), result('e', '2021-10-08', false, 4)];
    const employed = [{ startDate: '2021-09-29' }];
    expect(at(facts, employed, '2021-10-07')).toEqual({ trained: 1, passed: 1, employed: 1 });
    expect(at(facts, employed, '2021-10-08')).toEqual({ trained: 0, passed: 0, employed: 0 });
  });

  it('does not count a result whose correction moved its date before the window', () => {
    const facts = [result('e', '2021-03-01', true, 3), result('e', '2020-10-15', true, 4)];
    expect(at(facts, [], '2021-09-30')).toEqual({ trained: 0, passed: 0, employed: 0 });
  });

  it('keeps counting a trainee whose other enrolment still stands in the window', () => {
    const facts = [result('a', '2021-09-28', true, 3), result('a', '2021-10-08', false, 4), result('b', '2021-05-01', false, 2)];
    expect(at(facts, [], '2021-10-08')).toEqual({ trained: 1, passed: 0, employed: 0 });
  });

  it('counts a pass in any of the brand’s courses', () => {
    expect(at([result('a', '2021-03-01', false), result('b', '2021-04-01', true)], [], '2021-09-30')).toMatchObject({ trained: 1, passed: 1 });
  });

  it('counts employment active on the date, only once trained: start ≤ D < end', () => {
    const employed = [{ startDate: '2021-01-01', endDate: '2022-03-01' }];
    const facts = [result('e', '2021-02-01', true)];
    expect(at(facts, employed, '2021-01-31')).toMatchObject({ employed: 0 });
    expect(at(facts, employed, '2021-02-01')).toMatchObject({ employed: 1 });
    // An employment that ended after the window still counts as of the window's end, not after it ended.
    expect(at(facts, employed, '2021-09-30')).toMatchObject({ employed: 1 });
    expect(at(facts, employed, '2022-02-28')).toMatchObject({ employed: 1 });
    expect(at(facts, employed, '2022-03-01')).toMatchObject({ employed: 0 });
  });

  it('counts nothing of someone never assessed in the window, however employed', () => {
    expect(traineeSteps(window, [], [{ startDate: '2021-01-01' }])).toEqual([]);
  });
});
