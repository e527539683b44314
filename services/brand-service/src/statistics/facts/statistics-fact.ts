import { assertNever } from '@skills/domain-kernel';

/**
 * What the statistics of domain.md section 6 count, learnt from other contexts' messages and recorded
 * once per trainee in this service's own log (like the training archive in trainee-service), so the
 * figures can be rebuilt from the log whichever transport brought the facts. Each fact carries the
 * region of the organisation it counts by, as that organisation was registered when the fact happened;
 * null when the message predates that field and the organisation was not known here either (such a
 * fact counts in the national figures only).
 */
export type StatisticsFact =
  | {
      kind: 'assessment';
      sourceEventId: string;
      enrollmentId: string;
      courseId: string;
      courseTitle: string;
      /** The course's end date (outcomes count employment from it); null on messages that predate it. */
      courseEndDate: string | null;
      providerId: string;
      providerRegionCode: string | null;
      occupationCode: string;
      courseKind: 'skill' | 'ethics_and_law';
      assessedOn: string;
      passed: boolean;
      /** The course stream's version: a later result for the same enrolment corrects the earlier one. */
      version: number;
    }
  | {
      kind: 'certificate';
      sourceEventId: string;
      certificateNumber: string;
      occupationCode: string;
      level: string;
      route: string;
      evaluatorRegionCode: string | null;
      certifiedOn: string;
      /** Which recording of the number (LevelCertifiedV1.recording): absent for the first, and on facts recorded before it was kept. */
      recording?: number;
    }
  | { kind: 'revocation'; sourceEventId: string; certificateNumber: string; revokedOn: string; recording?: number }
  /** A certificate recorded in error, voided: it counts nowhere, as if never issued (its recording of the number only). */
  | { kind: 'void'; sourceEventId: string; certificateNumber: string; voidedOn: string; recording?: number }
  | {
      kind: 'hire';
      sourceEventId: string;
      employmentId: string;
      occupationCode: string;
      employerRegionCode: string | null;
      startDate: string;
      monthlyWage: number;
    }
  | { kind: 'employment_end'; sourceEventId: string; employmentId: string; startDate: string; endDate: string }
  /** A hire recorded in error, voided: the employment counts nowhere, as if never recorded, whichever of its facts arrives after it. */
  | { kind: 'employment_void'; sourceEventId: string; employmentId: string; voidedOn: string }
  /** An enrolment recorded in error, voided: its results count nowhere, as if never recorded, whichever of them arrives after it. */
  | { kind: 'enrollment_void'; sourceEventId: string; enrollmentId: string; voidedOn: string }
  /**
   * A course scheduled with a mistake whose school corrected its title or end date (CourseCorrected), recorded
   * in the stream of each trainee with a result of the course: the trainee's results of the course read the
   * corrected value where their course version is lower than the correction's (`version`), whichever arrives first.
   */
  | { kind: 'course_correction'; sourceEventId: string; courseId: string; version: number; title?: string; endDate?: string }
  /**
   * A person's categories; the one an erasure or a voided registration records (none) is marked `erased`, and no
   * categories fact counts after it, whatever its place in the log (TraineeFacts); the stream's categories facts
   * are emptied in the log at the mark (forgetErasedCategories). Erasures recorded before the mark carry none
   * (ErasedCategoriesForgotten marked them).
   */
  | { kind: 'categories'; sourceEventId: string; categories: string[]; erased?: true };

export interface StatisticsFactRecorded {
  type: 'StatisticsFactRecorded';
  data: { traineeId: string; fact: StatisticsFact };
}

export interface RecordStatisticsFact {
  type: 'RecordStatisticsFact';
  traineeId: string;
  fact: StatisticsFact;
}

export const statisticsStreamId = (traineeId: string) => `statistics-${traineeId}`;
export const STATISTICS_STREAM_PREFIX = 'statistics-';

/** The facts of one trainee: what every figure of theirs is a function of. */
export const statisticsAggregate = {
  initialState: (): { sourceEventIds: Set<string> } => ({ sourceEventIds: new Set() }),

  evolve(state: { sourceEventIds: Set<string> }, event: StatisticsFactRecorded) {
    switch (event.type) {
      case 'StatisticsFactRecorded':
        return { sourceEventIds: new Set(state.sourceEventIds).add(event.data.fact.sourceEventId) };
      default:
        return assertNever(event.type);
    }
  },

  /** A message is recorded once, even if a consumer's inbox were bypassed (a replay from another source). */
  decide(command: RecordStatisticsFact, state: { sourceEventIds: Set<string> }): StatisticsFactRecorded[] {
    if (state.sourceEventIds.has(command.fact.sourceEventId)) return [];
    return [{ type: 'StatisticsFactRecorded', data: { traineeId: command.traineeId, fact: command.fact } }];
  },
};

/**
 * A course's corrections as the figures know them, in the course's own stream of this log
 * (statisticsCourseStreamId): what a result of the course that arrives after its correction (a message parked
 * and retried) is read with. Not a fact of a trainee: no figure counts it.
 */
export interface StatisticsCourseCorrected {
  type: 'StatisticsCourseCorrected';
  data: { courseId: string; sourceEventId: string; version: number; title?: string; endDate?: string };
}

export interface RecordCourseCorrection {
  type: 'RecordCourseCorrection';
  correction: StatisticsCourseCorrected['data'];
}

/** Not under STATISTICS_STREAM_PREFIX: the trainees' streams alone are there. */
export const statisticsCourseStreamId = (courseId: string) => `course-corrections-${courseId}`;

/** A course's corrections, each recorded once (by its message), even if a consumer's inbox were bypassed. */
export const statisticsCourseAggregate = {
  initialState: (): { sourceEventIds: Set<string> } => ({ sourceEventIds: new Set() }),

  evolve(state: { sourceEventIds: Set<string> }, event: StatisticsCourseCorrected) {
    return { sourceEventIds: new Set(state.sourceEventIds).add(event.data.sourceEventId) };
  },

  decide(command: RecordCourseCorrection, state: { sourceEventIds: Set<string> }): StatisticsCourseCorrected[] {
    if (state.sourceEventIds.has(command.correction.sourceEventId)) return [];
    return [{ type: 'StatisticsCourseCorrected', data: command.correction }];
  },
};
