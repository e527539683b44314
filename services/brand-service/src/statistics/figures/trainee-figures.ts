import { recordingOf } from '@skills/contracts';
import { HIGH_SKILL_RANK, isSkillLevel, rankOf } from '@skills/domain-kernel';
import { StatisticsFact } from '../facts/statistics-fact';
import { monthsAfter, periodsOf, regionsCounting } from './periods';

/**
 * One trainee's share of every figure, as a pure function of their facts (domain.md section 6). The
 * read models keep the sums over all trainees; when a fact of a trainee arrives they add the difference
 * between the trainee's shares after it and before it. That makes people count once where a figure
 * counts people (a distinct count is a share of 1), lets a late fact (a backdated certificate, a
 * revocation, a correction) move shares between periods, and keeps every answer a few rows to read.
 *
 * A share is keyed by region, period, occupation (`*`: all), category (`*`: everyone) and figure, with a
 * dimension for the figures split further (a level, a route, `level:wage`).
 */
export type Shares = Map<string, number>;

export const ALL = '*';

/** The figures as stored; `highSkillDelta` is kept per month and summed up to a period's end (a stock). */
export type Figure =
  | 'sessions'
  | 'trained'
  | 'passed'
  | 'certificates'
  | 'revocations'
  | 'newHighSkill'
  | 'highSkillDelta'
  | 'hires'
  | 'wages';

export interface RegionShareKey {
  regionCode: string;
  period: string;
  occupationCode: string;
  category: string;
  figure: Figure;
  dimension: string;
}

export const regionShareKey = (key: RegionShareKey): string =>
  [key.regionCode, key.period, key.occupationCode, key.category, key.figure, key.dimension].join('\t');

export function parseRegionShareKey(key: string): RegionShareKey {
  const [regionCode, period, occupationCode, category, figure, dimension] = key.split('\t');
  return { regionCode, period, occupationCode, category, figure: figure as Figure, dimension };
}

/** A school's outcomes: graduates and who of them worked, per course (`*`: the school's, distinct). */
export type OutcomeFigure = 'graduates' | 'employedWithin3Months' | 'employedWithin6Months';

export const outcomeShareKey = (providerId: string, period: string, courseId: string, figure: OutcomeFigure): string =>
  [providerId, period, courseId, figure].join('\t');

export function parseOutcomeShareKey(key: string) {
  const [providerId, period, courseId, figure] = key.split('\t');
  return { providerId, period, courseId, figure: figure as OutcomeFigure };
}

/** A recording of a certificate's number: what a revocation or a void names. */
const recordingKey = (fact: { certificateNumber: string; recording?: number }): string => `${fact.certificateNumber}\t${recordingOf(fact)}`;

type Assessment = Extract<StatisticsFact, { kind: 'assessment' }>;
type Certificate = Extract<StatisticsFact, { kind: 'certificate' }> & { rank: number; revokedOn: string | null };
type Hire = Extract<StatisticsFact, { kind: 'hire' }>;
interface Employment {
  startDate: string;
  endDate: string | null;
}

/**
 * The trainee's facts as the figures read them: the latest result per enrolment, each certificate once with
 * its revocation, none voided; no result of a voided enrolment, no voided hire (a void counts wherever it
 * stands in the log: a fact it voids may arrive after it).
 */
export class TraineeFacts {
  readonly assessments: Assessment[];
  readonly certificates: Certificate[];
  readonly hires: Hire[];
  readonly employments: Employment[];
  readonly categories: string[];

  constructor(facts: StatisticsFact[]) {
    const latest = new Map<string, Assessment>();
    // By number, the highest recording's (a number is recorded again only once its earlier recording was
    // voided); revocations and voids by the recording they name (recordingKey).
    const issued = new Map<string, Certificate>();
    const revoked = new Map<string, string>();
    const voided = new Set<string>();
    const voidedEnrollments = new Set<string>();
    const voidedEmployments = new Set<string>();
    const hires = new Map<string, Hire>();
    const employments = new Map<string, Employment>();
    let categories: string[] = [];
    let erased = false;
    // Per course, the corrected title and end date of the highest course version (each corrected apart).
    const corrected = new Map<string, { title?: { value: string; version: number }; endDate?: { value: string; version: number } }>();
    for (const fact of facts) {
      switch (fact.kind) {
        case 'assessment': {
          const known = latest.get(fact.enrollmentId);
          if (!known || known.version < fact.version) latest.set(fact.enrollmentId, fact);
          break;
        }
        case 'certificate': {
          const known = issued.get(fact.certificateNumber);
          if (isSkillLevel(fact.level) && (!known || recordingOf(known) < recordingOf(fact))) issued.set(fact.certificateNumber, { ...fact, rank: rankOf(fact.level), revokedOn: null });
          break;
        }
        case 'revocation': {
          const known = revoked.get(recordingKey(fact));
          if (!known || fact.revokedOn < known) revoked.set(recordingKey(fact), fact.revokedOn);
          break;
        }
        case 'void':
          voided.add(recordingKey(fact));
          break;
        case 'hire':
          hires.set(fact.employmentId, fact);
          employments.set(fact.employmentId, { startDate: fact.startDate, endDate: employments.get(fact.employmentId)?.endDate ?? null });
          break;
        case 'employment_end':
          employments.set(fact.employmentId, { startDate: fact.startDate, endDate: fact.endDate });
          break;
        case 'employment_void':
          voidedEmployments.add(fact.employmentId);
          break;
        case 'enrollment_void':
          voidedEnrollments.add(fact.enrollmentId);
          break;
        case 'course_correction': {
          const course = corrected.get(fact.courseId) ?? {};
          if (fact.title !== undefined && (course.title?.version ?? 0) < fact.version) course.title = { value: fact.title, version: fact.version };
          if (fact.endDate !== undefined && (course.endDate?.version ?? 0) < fact.version) course.endDate = { value: fact.endDate, version: fact.version };
          corrected.set(fact.courseId, course);
          break;
        }
        case 'categories':
          // Marked by an erasure or a voided registration: a TraineeRegistered parked as a dead letter and retried
          // after it must not bring the categories back (the consumer empties them in the log too).
          if (fact.erased) erased = true;
          categories = fact.categories;
          break;
      }
    }
    // A result carries its course's facts as of its own course version: a correction of a later one stands over them.
    this.assessments = [...latest.values()]
      .filter((assessment) => !voidedEnrollments.has(assessment.enrollmentId))
      .map((assessment) => {
        const course = corrected.get(assessment.courseId);
        if (!course) return assessment;
        const title = course.title && course.title.version > assessment.version ? course.title.value : assessment.courseTitle;
        const endDate = course.endDate && course.endDate.version > assessment.version ? course.endDate.value : assessment.courseEndDate;
        return title === assessment.courseTitle && endDate === assessment.courseEndDate ? assessment : { ...assessment, courseTitle: title, courseEndDate: endDate };
      });
    this.certificates = [...issued.values()]
      .filter((certificate) => !voided.has(recordingKey(certificate)))
      .map((certificate) => ({ ...certificate, revokedOn: revoked.get(recordingKey(certificate)) ?? null }));
    this.hires = [...hires.values()].filter((hire) => !voidedEmployments.has(hire.employmentId));
    this.employments = [...employments].flatMap(([employmentId, employment]) => (voidedEmployments.has(employmentId) ? [] : [employment]));
    this.categories = erased ? [] : [...new Set(categories)].sort();
  }

  /** A certificate is held from the day it was issued until the day it was revoked (domain.md section 2). */
  static heldOn(certificate: Certificate, date: string): boolean {
    return certificate.certifiedOn <= date && (certificate.revokedOn === null || date < certificate.revokedOn);
  }

  /** A certificate revoked on the day it was issued (or earlier) was never held: it gave no level on any day. */
  static everHeld(certificate: Certificate): boolean {
    return certificate.revokedOn === null || certificate.revokedOn > certificate.certifiedOn;
  }

  /**
   * The certificate of the person's level in an occupation on a date: the highest held; of two at that rank
   * the earliest, then the lowest certificate number, as the ladder and the distribution choose the current
   * one (certification-service: ORDER BY rank DESC, certified_on, certificate_number), so that the region it
   * counts in is the one the ladder shows.
   */
  currentIn(occupationCode: string, date: string): Certificate | undefined {
    let current: Certificate | undefined;
    for (const certificate of this.certificates) {
      if (certificate.occupationCode !== occupationCode || !TraineeFacts.heldOn(certificate, date)) continue;
      if (!current || certificate.rank > current.rank || (certificate.rank === current.rank && TraineeFacts.before(certificate, current))) current = certificate;
    }
    return current;
  }

  /** Of two certificates, the one issued first: the earlier date, then the lower number (C collation, as the certificates' database compares). */
  private static before(one: Certificate, other: Certificate): boolean {
    if (one.certifiedOn !== other.certifiedOn) return one.certifiedOn < other.certifiedOn;
    return one.certificateNumber < other.certificateNumber;
  }
}

/** Adds a share of everyone's figures: `once` for a distinct count, `add` for a sum. */
type Put = (at: { regionCode: string; period: string; occupationCode: string }, figure: Figure, how: 'add' | 'once', dimension?: string, by?: number) => void;

/** The trainee's shares of the region figures: everyone's (`*`), and the same again in each of `categories`. */
export function regionShares(facts: TraineeFacts, categories: string[] = facts.categories): Shares {
  const everyone = everyonesShares(facts);
  return new Map([...everyone, ...inCategories(everyone, categories)]);
}

/** A trainee's shares of everyone's figures (category `*`) counted again in each of their categories: the same values, keyed by the category. */
export function inCategories(everyone: Shares, categories: string[]): Shares {
  const shares: Shares = new Map();
  for (const [key, value] of everyone) for (const category of categories) shares.set(regionShareKey({ ...parseRegionShareKey(key), category }), value);
  return shares;
}

/** The trainee's shares of the region figures of everyone (category `*`). */
function everyonesShares(facts: TraineeFacts): Shares {
  const shares: Shares = new Map();
  const put: Put = (at, figure, how, dimension = '', by = 1) => {
    const key = regionShareKey({ ...at, category: ALL, figure, dimension });
    shares.set(key, how === 'once' ? 1 : (shares.get(key) ?? 0) + by);
  };
  // A fact counts in every region containing its organisation's, in its month, quarter and year, in all occupations and in its own.
  const count = (regionCode: string | null, date: string, occupationCode: string, figure: Figure, how: 'add' | 'once', dimension = '') => {
    for (const region of regionsCounting(regionCode))
      for (const period of periodsOf(date))
        for (const occupation of [ALL, occupationCode]) put({ regionCode: region, period, occupationCode: occupation }, figure, how, dimension);
  };

  // Training counts by the provider's region: sessions (人次), people trained, people who passed.
  for (const assessment of facts.assessments) {
    const { providerRegionCode: region, assessedOn, occupationCode } = assessment;
    count(region, assessedOn, occupationCode, 'sessions', 'add');
    count(region, assessedOn, occupationCode, 'trained', 'once');
    if (assessment.passed) count(region, assessedOn, occupationCode, 'passed', 'once');
  }

  // Certification counts by the evaluator's region: every certificate issued, and every revocation.
  for (const certificate of facts.certificates) {
    const { evaluatorRegionCode: region, certifiedOn, occupationCode } = certificate;
    for (const dimension of ['', `level:${certificate.level}`, `route:${certificate.route}`]) count(region, certifiedOn, occupationCode, 'certificates', 'add', dimension);
    if (certificate.revokedOn) count(region, certificate.revokedOn, occupationCode, 'revocations', 'add');
  }
  highSkillShares(facts, put);

  // Hires count by the employer's region; a wage by the level held in the hire's occupation on its start date.
  for (const hire of facts.hires) {
    count(hire.employerRegionCode, hire.startDate, hire.occupationCode, 'hires', 'add');
    const level = facts.currentIn(hire.occupationCode, hire.startDate)?.level ?? 'none';
    count(hire.employerRegionCode, hire.startDate, hire.occupationCode, 'wages', 'add', `${level}:${hire.monthlyWage}`);
  }
  for (const [key, value] of shares) if (value === 0) shares.delete(key);
  return shares;
}

/**
 * High-skill talent (rank ≥ 4), in all occupations and in each: the day the person first held such a
 * level is counted as new (in its month, quarter and year), in the region of the certificate that brought
 * it; and the person stands as high-skill talent in a region while the certificate of their level in some
 * occupation is high-skill and from an evaluator there, kept as +1/−1 per month, so that the standing at
 * a period's end is the sum of the months up to it.
 */
function highSkillShares(facts: TraineeFacts, put: Put): void {
  // Only a level held for a day makes a person high-skill talent: not one revoked on the day it was issued.
  const high = facts.certificates.filter((certificate) => certificate.rank >= HIGH_SKILL_RANK && TraineeFacts.everHeld(certificate));
  if (high.length === 0) return;
  const scopes: { occupationCode: string; occupations: string[] }[] = [
    { occupationCode: ALL, occupations: [...new Set(facts.certificates.map((certificate) => certificate.occupationCode))] },
    ...[...new Set(high.map((certificate) => certificate.occupationCode))].map((occupation) => ({ occupationCode: occupation, occupations: [occupation] })),
  ];
  for (const { occupationCode, occupations } of scopes) {
    const inScope = high.filter((certificate) => occupations.includes(certificate.occupationCode));
    const first = inScope.map((certificate) => certificate.certifiedOn).sort()[0];
    // Once in each region a certificate of that first day came from (so once in the country).
    const firstRegions = new Set(inScope.filter((certificate) => certificate.certifiedOn === first).flatMap((certificate) => regionsCounting(certificate.evaluatorRegionCode)));
    for (const regionCode of firstRegions) for (const period of periodsOf(first)) put({ regionCode, period, occupationCode }, 'newHighSkill', 'once');

    const days = facts.certificates.filter((certificate) => occupations.includes(certificate.occupationCode)).flatMap((certificate) => (certificate.revokedOn ? [certificate.certifiedOn, certificate.revokedOn] : [certificate.certifiedOn]));
    let standing = new Set<string>();
    for (const day of [...new Set(days)].sort()) {
      const now = new Set(
        occupations.flatMap((code) => {
          const current = facts.currentIn(code, day);
          return current && current.rank >= HIGH_SKILL_RANK ? regionsCounting(current.evaluatorRegionCode) : [];
        }),
      );
      const [month] = periodsOf(day);
      for (const regionCode of now) if (!standing.has(regionCode)) put({ regionCode, period: month, occupationCode }, 'highSkillDelta', 'add', '', 1);
      for (const regionCode of standing) if (!now.has(regionCode)) put({ regionCode, period: month, occupationCode }, 'highSkillDelta', 'add', '', -1);
      standing = now;
    }
  }
}

/** The trainee's shares of their schools' outcomes, and the titles of the courses they graduated from. */
export function outcomeShares(facts: TraineeFacts): { shares: Shares; titles: Map<string, string> } {
  const shares: Shares = new Map();
  const titles = new Map<string, string>();
  for (const assessment of facts.assessments) {
    if (!assessment.passed || assessment.courseKind !== 'skill') continue;
    titles.set(assessment.courseId, assessment.courseTitle);
    const end = assessment.courseEndDate ?? assessment.assessedOn;
    const employedWithin = (months: number) => facts.employments.some((job) => job.startDate <= monthsAfter(end, months) && (job.endDate === null || job.endDate > end));
    const figures: OutcomeFigure[] = ['graduates', ...(employedWithin(3) ? (['employedWithin3Months'] as const) : []), ...(employedWithin(6) ? (['employedWithin6Months'] as const) : [])];
    for (const period of periodsOf(assessment.assessedOn))
      for (const courseId of [ALL, assessment.courseId])
        for (const figure of figures) shares.set(outcomeShareKey(assessment.providerId, period, courseId, figure), 1);
  }
  return { shares, titles };
}
