// The figures of a region and period from the trainees' facts, as the read models sum them and the reader
// answers (regionShares summed, then regionFigures), without a database: what a bureau can and cannot learn
// from them, and which certificate makes whom high-skill talent where.
import { StatisticsFact } from '../facts/statistics-fact';
import { lastMonthOf } from './periods';
import { regionFigures, StoredShare } from './region-figures';
import { parseRegionShareKey, regionShares, TraineeFacts } from './trainee-figures';

const WELDER = '6-18-02-04';
let next = 0;
const id = () => `f${++next}`;

const certificate = (level: string, evaluatorRegionCode: string, certifiedOn: string, certificateNumber = id(), route = 'assessment'): StatisticsFact => ({
  kind: 'certificate',
  sourceEventId: id(),
  certificateNumber,
  occupationCode: WELDER,
  level,
  route,
  evaluatorRegionCode,
  certifiedOn,
});
const revocation = (certificateNumber: string, revokedOn: string): StatisticsFact => ({ kind: 'revocation', sourceEventId: id(), certificateNumber, revokedOn });
const hire = (employerRegionCode: string, startDate: string, monthlyWage: number): StatisticsFact => ({
  kind: 'hire',
  sourceEventId: id(),
  employmentId: id(),
  occupationCode: WELDER,
  employerRegionCode,
  startDate,
  monthlyWage,
});
const assessment = (providerRegionCode: string, assessedOn: string, passed = true): StatisticsFact => ({
  kind: 'assessment',
  sourceEventId: id(),
  enrollmentId: id(),
  courseId: 'course',
  courseTitle: '焊工（中级）',
  courseEndDate: assessedOn,
  providerId: 'school',
  providerRegionCode,
  occupationCode: WELDER,
  courseKind: 'skill',
  assessedOn,
  passed,
  version: 1,
});
const categories = (...names: string[]): StatisticsFact => ({ kind: 'categories', sourceEventId: id(), categories: names });
/** The categories fact an erasure records (statistics-facts.consumer.ts). */
const erasure = (): StatisticsFact => ({ kind: 'categories', sourceEventId: id(), categories: [], erased: true });

/** The answer for a region and period (all occupations) over these trainees' facts, as StatisticsReader.region gives it. */
function answer(trainees: StatisticsFact[][], regionCode: string, period: string) {
  const sums = new Map<string, number>();
  for (const facts of trainees) for (const [key, value] of regionShares(new TraineeFacts(facts))) sums.set(key, (sums.get(key) ?? 0) + value);
  const rows: StoredShare[] = [];
  const standing = new Map<string, number>();
  for (const [key, value] of sums) {
    const share = parseRegionShareKey(key);
    if (share.regionCode !== regionCode || share.occupationCode !== '*') continue;
    if (share.period === period) rows.push({ category: share.category, figure: share.figure, dimension: share.dimension, value });
    if (share.figure === 'highSkillDelta' && share.period <= lastMonthOf(period)) standing.set(share.category, (standing.get(share.category) ?? 0) + value);
  }
  return regionFigures(rows, standing);
}

describe('what a bureau can learn from the figures (domain.md sections 6, 7 and 9)', () => {
  it("does not give a wage hidden in a month of one hire by difference between its quarter's median and another month's", () => {
    // September: five hires, 6000 to 8000 (median 7000). July: one hire, not shown. Q3: the six.
    const september = [6000, 6500, 7000, 7500, 8000].map((wage, day) => [hire('430202', `2025-09-1${day}`, wage)]);
    const withJuly = (wage: number) => {
      const trainees = [...september, [hire('430202', '2025-07-08', wage)]];
      return { july: answer(trainees, '430202', '2025-07'), september: answer(trainees, '430202', '2025-09'), quarter: answer(trainees, '430202', '2025-Q3') };
    };
    const seen = withJuly(7200);
    expect(seen.july.medianMonthlyWageByLevel).toEqual({ none: null });
    expect(seen.september.medianMonthlyWageByLevel).toEqual({ none: 7000 });
    // The exact Q3 median, 7100, gave 2 × 7100 − 7000 = 7200; rounded to the nearest 100, a July wage of
    // 7200 and one of 7290 (exact median 7145) answer alike: the difference no longer names the wage.
    expect(seen.quarter.medianMonthlyWageByLevel).toEqual({ none: 7100 });
    expect(withJuly(7290)).toEqual(seen);
  });

  it('rounds every median to the nearest 100 yuan', () => {
    const trainees = [5010, 5120, 5230, 5340, 5450, 5560].map((wage) => [hire('430202', '2025-09-01', wage)]);
    // The exact median of the six is (5230 + 5340) / 2 = 5285.
    expect(answer(trainees, '430202', '2025-09').medianMonthlyWageByLevel).toEqual({ none: 5300 });
  });

  it("shows no category count from 1 to 4: one disabled trainee alone in a county's month is not told apart", () => {
    const disabled = [categories('disabled'), assessment('430202', '2025-07-10'), hire('430202', '2025-07-20', 6000)];
    const alone = answer([disabled], '430202', '2025-07');
    expect(alone).toMatchObject({ trainingSessions: 1, trained: 1, passed: 1, passRate: 1, hires: 1 });
    expect(alone.byCategory.disabled).toMatchObject({ trainingSessions: null, trained: null, passed: null, passRate: null, hires: null });
    // A category with nobody in it looks the same: a null says "fewer than 5", not "at least one".
    expect(alone.byCategory.veteran).toEqual(alone.byCategory.disabled);
    // Which wage levels the category's hires had is not told either: everyone's levels, each null.
    expect(alone.byCategory.disabled.medianMonthlyWageByLevel).toEqual({ none: null });
    expect(alone.byCategory.veteran.medianMonthlyWageByLevel).toEqual({ none: null });
  });

  it('shows a category count from 5, and the pass rate where both its counts are shown', () => {
    const disabled = (index: number) => [categories('disabled'), assessment('430202', '2025-07-10', index < 5), hire('430202', '2025-07-20', 6000 + 100 * index)];
    const five = answer([0, 1, 2, 3, 4].map(disabled), '430202', '2025-07');
    expect(five.byCategory.disabled).toMatchObject({ trainingSessions: 5, trained: 5, passed: 5, passRate: 1, hires: 5, medianMonthlyWageByLevel: { none: 6200 } });
    expect(five.byCategory.disabled.certificatesByLevel.senior).toBeNull();
    // Six trained, five passed: the counts are shown, and so is the rate.
    expect(answer([0, 1, 2, 3, 4, 5].map(disabled), '430202', '2025-07').byCategory.disabled).toMatchObject({ trained: 6, passed: 5, passRate: 0.8333 });
    // Five trained, four passed: the passes are not shown, nor the rate that would give them.
    const fourPassed = [0, 1, 2, 3, 5].map(disabled);
    expect(answer(fourPassed, '430202', '2025-07').byCategory.disabled).toMatchObject({ trainingSessions: 5, trained: 5, passed: null, passRate: null });
  });

  it('keeps every count for everyone (the totals)', () => {
    const one = answer([[categories('disabled'), certificate('senior', '430203', '2025-07-01')]], '430200', '2025-07');
    expect(one).toMatchObject({ certificatesIssued: 1, certificatesByLevel: { senior: 1 }, certificatesByRoute: { assessment: 1 }, newHighSkillTalents: 1, highSkillTalents: 1 });
    expect(one.byCategory.disabled).toMatchObject({ certificatesIssued: null, certificatesByLevel: { senior: null }, certificatesByRoute: { assessment: null }, newHighSkillTalents: null, highSkillTalents: null });
  });
});

describe('the categories of a person whose personal data is erased', () => {
  it('counts none once the erasure is recorded, even if a registration parked as a dead letter is retried after it', () => {
    expect(new TraineeFacts([categories('disabled'), erasure()]).categories).toEqual([]);
    // The registration's message parked, the erasure applied, then the letter retried: the erasure still stands.
    expect(new TraineeFacts([erasure(), categories('disabled', 'poverty_registered')]).categories).toEqual([]);
    const retried = [assessment('430202', '2025-07-10'), erasure(), categories('disabled')];
    const figures = answer([0, 1, 2, 3, 4].map(() => retried), '430202', '2025-07');
    expect(figures).toMatchObject({ trained: 5 });
    expect(figures.byCategory.disabled).toMatchObject({ trained: null });
  });

  it('reads an erasure recorded before it was marked as any categories fact: the last one counts', () => {
    expect(new TraineeFacts([categories('disabled'), categories()]).categories).toEqual([]);
    expect(new TraineeFacts([categories(), categories('veteran', 'disabled', 'veteran')]).categories).toEqual(['disabled', 'veteran']);
  });
});

describe('which certificate makes a person high-skill talent, and where', () => {
  it('counts the standing talent where the earliest of two certificates of the same level came from, as the ladder shows it', () => {
    // An imported senior of 2019 from a Shenzhen evaluator, and a senior of 2025-08-15 from a Zhuzhou one.
    const trainee = [certificate('senior', '440305', '2019-05-01', 'Y0001440000001900000001', 'imported'), certificate('senior', '430203', '2025-08-15', 'S0002430000002530000001')];
    expect(answer([trainee], '440000', '2025')).toMatchObject({ highSkillTalents: 1, newHighSkillTalents: 0 });
    expect(answer([trainee], '430000', '2025')).toMatchObject({ highSkillTalents: 0, newHighSkillTalents: 0, certificatesIssued: 1 });
  });

  it('breaks a tie of the same day by the lower certificate number, as the ladder orders them', () => {
    const trainee = [certificate('senior', '430203', '2025-08-15', 'Y0002430000002530000009'), certificate('senior', '440305', '2025-08-15', 'Y0001440000002530000001')];
    expect(answer([trainee], '440000', '2025')).toMatchObject({ highSkillTalents: 1 });
    expect(answer([trainee], '430000', '2025')).toMatchObject({ highSkillTalents: 0 });
  });

  it('moves the standing talent to the other certificate once the earliest is revoked', () => {
    const trainee = [certificate('senior', '440305', '2019-05-01', 'Y1'), certificate('senior', '430203', '2025-08-15', 'Y2'), revocation('Y1', '2025-10-01')];
    expect(answer([trainee], '440000', '2025-Q3')).toMatchObject({ highSkillTalents: 1 });
    expect(answer([trainee], '430000', '2025-Q3')).toMatchObject({ highSkillTalents: 0 });
    expect(answer([trainee], '440000', '2025')).toMatchObject({ highSkillTalents: 0 });
    expect(answer([trainee], '430000', '2025')).toMatchObject({ highSkillTalents: 1 });
  });

  it('makes nobody high-skill talent by a certificate revoked on the day it was issued (never held), which still counts as issued and revoked', () => {
    const trainee = [certificate('senior', '430203', '2025-08-15', 'Y3'), revocation('Y3', '2025-08-15')];
    expect(answer([trainee], '430000', '2025')).toMatchObject({ certificatesIssued: 1, revocations: 1, newHighSkillTalents: 0, highSkillTalents: 0 });
    // Revoked the next day, it was held for a day: its holder did become high-skill talent.
    const held = [certificate('senior', '430203', '2025-08-15', 'Y4'), revocation('Y4', '2025-08-16')];
    expect(answer([held], '430000', '2025')).toMatchObject({ newHighSkillTalents: 1, highSkillTalents: 0 });
  });
});
