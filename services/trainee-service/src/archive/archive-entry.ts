import { CertificationIntegrationEvent, CourseFactsV1, PlacementIntegrationEvent, recordingOf, TrainingIntegrationEvent } from '@skills/contracts';
import { assertNever } from '@skills/domain-kernel';

/** The kinds of api.md; certification and placement entries arrive as those services publish them. */
export type ArchiveEntryKind = 'enrolled' | 'withdrew' | 'assessed' | 'certified' | 'certificate_revoked' | 'hired' | 'employment_ended';

/**
 * One line of a trainee's lifelong training archive (终身职业技能培训电子档案), taken from another
 * context's integration event. `at` is the business date of the fact, which orders the timeline;
 * `replaces` names the key of an earlier entry this one supersedes (a corrected assessment).
 */
export interface ArchiveEntry {
  traineeId: string;
  /** Stable per fact: the source event's id, or a key shared by the entries that correct each other. */
  key: string;
  sourceEventId: string;
  context: 'training' | 'certification' | 'placement';
  kind: ArchiveEntryKind;
  at: string;
  details: Record<string, unknown>;
  /**
   * For entries that correct each other (one key): the source stream's version of the fact, so the latest
   * correction stands whatever order the facts arrive in (a parked original retried after its correction).
   * Absent on entries recorded before it was kept: those stand by the order they were recorded in.
   */
  sourceVersion?: number;
  /**
   * For a certificate's entries (certified, certificate_revoked): which recording of its number they are of
   * (LevelCertifiedV1.recording), a number voided being free to be recorded again; absent: the first.
   */
  recording?: number;
  /**
   * For a course's entries (enrolled, withdrew, assessed): the course stream's version of the fact, whose
   * course facts (its title) the entry carries; a correction of the course of a higher version stands over
   * them (ArchiveCourseCorrection). Absent on entries recorded before it was kept: every correction stands over those.
   */
  courseVersion?: number;
}

/**
 * A course scheduled with a mistake whose title its school corrected (CourseCorrected): not a line of the
 * archive, but what every entry of the course reads as its title from then on, whichever of the course's
 * messages arrives first (the correction of the highest course version standing). The archive keeps no other
 * corrected fact of a course (its capacity or dates): a correction of those alone makes nothing here.
 */
export interface ArchiveCourseCorrection {
  courseId: string;
  sourceEventId: string;
  /** The course stream's version of the correction. */
  sourceVersion: number;
  title: string;
  correctedOn: string;
}

/**
 * A certificate recorded in error, voided (CertificateVoided): not a line of the archive, but what leaves the
 * entries of that recording of its number out of it, as if the certificate had never been recorded.
 */
export interface ArchiveCertificateVoid {
  traineeId: string;
  sourceEventId: string;
  certificateNumber: string;
  recording: number;
  voidedOn: string;
}

/**
 * A hire recorded in error, voided (EmploymentVoided): what leaves the employment's entries (hired,
 * employment_ended) out of the archive, as if it had never been recorded, whichever arrives first.
 */
export interface ArchiveEmploymentVoid {
  traineeId: string;
  sourceEventId: string;
  employmentId: string;
  voidedOn: string;
}

/**
 * An enrolment recorded in error, voided with its results (EnrollmentVoided): what leaves the enrolment's
 * entries (enrolled, withdrew, and assessed, every result of it being kept under its enrolment) out of the
 * archive, as if neither had ever been recorded, whichever arrives first.
 */
export interface ArchiveEnrollmentVoid {
  traineeId: string;
  sourceEventId: string;
  enrollmentId: string;
  voidedOn: string;
}

/** What a message makes of the archive: a line of it, or the void of a fact that leaves that fact's lines out. */
export type ArchiveFact = ArchiveEntry | ArchiveCertificateVoid | ArchiveEmploymentVoid | ArchiveEnrollmentVoid | ArchiveCourseCorrection;

const courseDetails = (courseId: string, enrollmentId: string, course: CourseFactsV1) => ({
  courseId,
  enrollmentId,
  courseTitle: course.title,
  courseKind: course.kind,
  occupationCode: course.occupationCode,
  occupationEdition: course.occupationEdition,
  providerId: course.providerId,
});

/**
 * What a training event makes of the archive, if anything (providers and course schedules make nothing): an
 * entry, an enrolment's void, or a course's corrected title.
 */
export function trainingArchiveEntry(message: TrainingIntegrationEvent): ArchiveEntry | ArchiveEnrollmentVoid | ArchiveCourseCorrection | undefined {
  const base = { sourceEventId: message.eventId, context: 'training' as const, courseVersion: message.aggregateVersion };
  switch (message.type) {
    case 'ProviderRegistered':
    case 'CourseScheduled':
      return undefined;
    case 'TraineeEnrolled': {
      const { traineeId, courseId, enrollmentId, enrolledOn, course } = message.payload;
      return { ...base, traineeId, key: message.eventId, kind: 'enrolled', at: enrolledOn, details: courseDetails(courseId, enrollmentId, course) };
    }
    case 'EnrollmentWithdrawn': {
      const { traineeId, courseId, enrollmentId, withdrawnOn, course } = message.payload;
      return { ...base, traineeId, key: message.eventId, kind: 'withdrew', at: withdrawnOn, details: courseDetails(courseId, enrollmentId, course) };
    }
    case 'AssessmentRecorded': {
      const { traineeId, courseId, enrollmentId, assessmentId, passed, score, assessedOn, corrects, course } = message.payload;
      // One entry per enrolment: a later result corrects the earlier one rather than adding a second.
      return {
        ...base,
        traineeId,
        key: `assessed:${enrollmentId}`,
        sourceVersion: message.aggregateVersion,
        kind: 'assessed',
        at: assessedOn,
        details: { ...courseDetails(courseId, enrollmentId, course), assessmentId, passed, score, ...(corrects ? { corrects } : {}) },
      };
    }
    case 'EnrollmentVoided': {
      const { traineeId, enrollmentId, voidedOn } = message.payload;
      return { traineeId, sourceEventId: message.eventId, enrollmentId, voidedOn };
    }
    case 'CourseCorrected': {
      const { courseId, after, correctedOn } = message.payload;
      return after.title === undefined ? undefined : { courseId, sourceEventId: message.eventId, sourceVersion: message.aggregateVersion, title: after.title, correctedOn };
    }
    case 'ImportRowsAnswered':
      return undefined;
    default:
      return assertNever(message);
  }
}

/** A certificate's recording as an entry keeps it: only where it is not the first (absent: the first). */
const recordingField = (payload: { recording?: number }) => (recordingOf(payload) === 1 ? {} : { recording: recordingOf(payload) });

/** What a certification event makes of the archive: entries for certificates issued and revoked, a void for one voided. */
export function certificationArchiveEntry(message: CertificationIntegrationEvent): ArchiveEntry | ArchiveCertificateVoid | undefined {
  const base = { sourceEventId: message.eventId, key: message.eventId, context: 'certification' as const };
  switch (message.type) {
    case 'EvaluatorRegistered':
    case 'ImportRowsAnswered':
      return undefined;
    case 'LevelCertified': {
      const { traineeId, certifiedOn, certificateNumber, occupationCode, level, previousLevel, route, evaluatorName } = message.payload;
      return { ...base, traineeId, kind: 'certified', at: certifiedOn, ...recordingField(message.payload), details: { certificateNumber, occupationCode, level, previousLevel, route, evaluator: evaluatorName } };
    }
    case 'CertificateRevoked': {
      const { traineeId, revokedOn, certificateNumber, occupationCode, revokedLevel, levelAfter, reason } = message.payload;
      return { ...base, traineeId, kind: 'certificate_revoked', at: revokedOn, ...recordingField(message.payload), details: { certificateNumber, occupationCode, revokedLevel, levelAfter, reason } };
    }
    case 'CertificateVoided': {
      const { traineeId, certificateNumber, voidedOn } = message.payload;
      return { traineeId, sourceEventId: message.eventId, certificateNumber, recording: recordingOf(message.payload), voidedOn };
    }
    default:
      return assertNever(message);
  }
}

/** What a placement event makes of the archive: entries for hires and ends of employment, a void for a hire voided. */
export function placementArchiveEntry(message: PlacementIntegrationEvent): ArchiveEntry | ArchiveEmploymentVoid | undefined {
  const base = { sourceEventId: message.eventId, key: message.eventId, context: 'placement' as const };
  switch (message.type) {
    case 'EmployerRegistered':
    case 'PlacementPosted':
    case 'PlacementClosed':
      return undefined;
    case 'TraineeHired': {
      const { traineeId, startDate, employmentId, placementId, employerId, industryCode, occupationCode, monthlyWage } = message.payload;
      return { ...base, traineeId, kind: 'hired', at: startDate, details: { employmentId, placementId, employerId, industryCode, occupationCode, monthlyWage } };
    }
    case 'EmploymentEnded': {
      const { traineeId, endDate, employmentId, employerId, industryCode, occupationCode, reason } = message.payload;
      return { ...base, traineeId, kind: 'employment_ended', at: endDate, details: { employmentId, employerId, industryCode, occupationCode, reason } };
    }
    case 'EmploymentVoided': {
      const { traineeId, employmentId, voidedOn } = message.payload;
      return { traineeId, sourceEventId: message.eventId, employmentId, voidedOn };
    }
    default:
      return assertNever(message);
  }
}
