// The facts of the brand specs, chosen so that each rule of domain.md section 5 shows in the figures.
import { Fact, publishFacts, TestHost } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { jobMessages, resultMessage } from './brand-facts';

/** Zhuzhou 2021 city policy (seed 001): window 2020-11-01..2021-09-30, ≥ 400 trained, ≥ 85 % passed, ≥ 70 % employed, ethics held. */
export const ZHUZHOU_2021 = { windowStart: '2020-11-01', windowEnd: '2021-09-30', minTrained: 400, minPassRate: 0.85, minEmploymentRate: 0.7, requiresEthicsTraining: true };

/**
 * 420 trainees assessed in the window in the brand's welding course of `provider`:
 * - #0 on the window's first day, #1 on its last day; one more person a day before the window (not counted);
 * - #0–#359 pass; #360 failed on 2021-05-30 and was corrected to a pass on 2021-05-31; the rest fail;
 * - #0–#299 work in the brand's industry (C37) from 2021-06-01, #0–#49 of them until 2022-03-01;
 *   #300–#319 work in another industry (O80);
 * - an ethics-and-law course of the provider was assessed on 2021-03-15.
 */
export function brandScenario(provider: string) {
  const trainees = Array.from({ length: 420 }, () => randomUUID());
  const messages: Fact[] = [];
  trainees.forEach((traineeId, i) => {
    const assessedOn = i === 0 ? '2020-11-01' : i === 1 ? '2021-09-30' : '2021-03-01';
    if (i === 360) {
      const enrollmentId = randomUUID();
      messages.push(resultMessage(provider, { traineeId, enrollmentId, assessedOn: '2021-05-30', passed: false, version: 3 }));
      messages.push(resultMessage(provider, { traineeId, enrollmentId, assessedOn: '2021-05-31', passed: true, version: 4 }));
    } else {
      messages.push(resultMessage(provider, { traineeId, assessedOn, passed: i < 360 }));
    }
    if (i < 300) messages.push(...jobMessages({ traineeId, employerIndustryCode: 'C37', startDate: '2021-06-01', ...(i < 50 ? { endDate: '2022-03-01' } : {}) }));
    else if (i < 320) messages.push(...jobMessages({ traineeId, employerIndustryCode: 'O80', startDate: '2021-06-01' }));
  });
  messages.push(resultMessage(provider, { traineeId: randomUUID(), assessedOn: '2020-10-31', passed: true }));
  messages.push(resultMessage(provider, { traineeId: randomUUID(), assessedOn: '2021-03-15', passed: true, kind: 'ethics_and_law' }));

  const expected = {
    '2021-09-30': { asOf: '2021-09-30', trained: 420, passed: 361, passRate: 0.8595, employedInIndustry: 300, employmentRate: 0.7143, ethicsTrainingHeld: true, qualifies: true, unmet: [] },
    '2022-03-01': {
      asOf: '2022-03-01',
      trained: 420,
      passed: 361,
      passRate: 0.8595,
      employedInIndustry: 250,
      employmentRate: 0.5952,
      ethicsTrainingHeld: true,
      qualifies: false,
      unmet: [{ criterion: 'minEmploymentRate', actual: 0.5952, required: 0.7 }],
    },
    // Before the ethics course and before anyone was employed; #1 (last day) and #360 are not trained yet.
    '2021-03-14': {
      asOf: '2021-03-14',
      trained: 418,
      passed: 359,
      passRate: 0.8589,
      employedInIndustry: 0,
      employmentRate: 0,
      ethicsTrainingHeld: false,
      qualifies: false,
      unmet: [
        { criterion: 'minEmploymentRate', actual: 0, required: 0.7 },
        { criterion: 'requiresEthicsTraining', actual: false, required: true },
      ],
    },
    // #360's failed result stands until its correction dated the next day.
    '2021-05-30': { trained: 419, passed: 359 },
  };
  return { provider, trainees, messages, expected, publish: (host: TestHost) => publishFacts(host, messages) };
}
